"""The shared upload pipeline: reading CSV/XLSX, recognising headers, collecting row errors, rejecting bad files."""

from __future__ import annotations

import codecs
import io
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from core.rowerrors import (
    RowErrors,
    UploadResult,
    error_report_response,
    store_if_clean,
    write_error_csv,
    write_error_xlsx,
)
from core.spreadsheet_safety import neutralise, restore, xlsx_cell
from core.tabular import (
    Column,
    Row,
    UploadLimits,
    UploadRejected,
    iter_raw_rows,
    normalise_label,
    read_table,
    validate_table,
)

COLUMNS = [
    Column("name", "Nama", aliases=("Nama Lengkap",)),
    Column("nik", "NIK"),
    Column("phone", "Nomor HP", aliases=("No. HP", "HP"), required=False),
]


def csv_bytes(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def xlsx_bytes(rows: list[list[object]], *, hidden_first: bool = False) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "Tersembunyi"
        sheet.append(["bukan", "ini"])
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def values(file: io.BytesIO, filename: str = "data.csv") -> list[dict[str, str]]:
    _header, rows = read_table(file, filename=filename, columns=COLUMNS)
    return [dict(row.values) for row in rows]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter: str) -> None:
    text = (
        delimiter.join(["Nama", "NIK", "No. HP"]) + "\n" + delimiter.join(["Budi", "3171011201900001", "0812"]) + "\n"
    )
    assert values(csv_bytes(text)) == [{"name": "Budi", "nik": "3171011201900001", "phone": "0812"}]


def test_semicolon_file_with_commas_inside_quoted_cells() -> None:
    text = 'Nama;NIK;No. HP\n"Siti, S.Kom";3171011201900001;0812\n"Adi, S.E.";3171011201900002;0813\n'
    assert [row["name"] for row in values(csv_bytes(text))] == ["Siti, S.Kom", "Adi, S.E."]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("cp1252", b""), ("utf-16", b"")],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-bom"],
)
def test_csv_encodings(encoding: str, prefix: bytes) -> None:
    file = io.BytesIO(prefix + "Nama,NIK\r\nJosé Müller,3171011201900001\r\n".encode(encoding))
    assert values(file) == [{"name": "José Müller", "nik": "3171011201900001"}]


def test_bom_does_not_stick_to_the_first_header() -> None:
    header, _rows = read_table(io.BytesIO(codecs.BOM_UTF8 + b"Nama,NIK\nA,1\n"), filename="a.csv", columns=COLUMNS)
    assert header.names["name"] == "Nama"


@pytest.mark.parametrize("phone_header", ["No. HP", "nomor hp", "NOMOR_HP", " No HP ", "hp"])
def test_header_variants_ignore_case_spacing_and_punctuation(phone_header: str) -> None:
    header, _rows = read_table(
        csv_bytes(f"NAMA LENGKAP,nik,{phone_header}\nA,1,2\n"), filename="a.csv", columns=COLUMNS
    )
    assert dict(header.index) == {"name": 0, "nik": 1, "phone": 2}
    assert header.names["phone"] == phone_header.strip()


def test_normalise_label() -> None:
    assert normalise_label("No. HP") == normalise_label("no hp") == normalise_label("NO_HP") == "nohp"


def test_optional_column_may_be_absent_and_extra_columns_are_ignored() -> None:
    assert values(csv_bytes("Catatan,NIK,Nama\nx,1,A\n")) == [{"name": "A", "nik": "1"}]


def test_title_rows_above_the_header_are_skipped_and_rows_keep_file_numbers() -> None:
    text = "Daftar pekerja BPU\n\nNama,NIK\nA,1\n\nB,2\n"
    _header, rows = read_table(csv_bytes(text), filename="a.csv", columns=COLUMNS)
    assert [(row.number, row["name"]) for row in rows] == [(4, "A"), (6, "B")]


def test_unrecognised_headers_list_expected_and_found() -> None:
    with pytest.raises(UploadRejected) as rejected:
        values(csv_bytes("Name,ID number\nA,1\n"))
    message = rejected.value.message
    assert "Kolom yang diharapkan: Nama, NIK, Nomor HP" in message
    assert "Kolom yang belum ditemukan: Nama, NIK" in message
    assert "Judul kolom di berkas: Name, ID number" in message


def test_a_column_given_twice_is_rejected() -> None:
    with pytest.raises(UploadRejected, match="lebih dari sekali: Nama Lengkap"):
        values(csv_bytes("Nama,NIK,Nama Lengkap\nA,1,B\n"))


def check_nik(row: Row, errors: RowErrors) -> str | None:
    if not row["name"]:
        row.error(errors, "name", "Nama wajib diisi.")
    if not (row["nik"].isdigit() and len(row["nik"]) == 16):
        row.error(errors, "nik", "NIK harus 16 angka.")
    return row["nik"]


def test_validation_collects_every_error_with_row_column_and_value() -> None:
    text = "nama,nik\nA,3171011201900001\n,123\nC,3171011201900003\nD,abc\n"
    result = validate_table(file=csv_bytes(text), filename="a.csv", columns=COLUMNS, check=check_nik)
    assert result.rows == 4
    assert not result.accepted
    assert [(e.row, e.column, e.value, e.message) for e in result.errors] == [
        (3, "nama", "", "Nama wajib diisi."),
        (3, "nik", "123", "NIK harus 16 angka."),
        (5, "nik", "abc", "NIK harus 16 angka."),
    ]


def test_clean_file_is_accepted_with_its_items() -> None:
    text = "Nama,NIK\nA,3171011201900001\nB,3171011201900002\n"
    result = validate_table(file=csv_bytes(text), filename="a.csv", columns=COLUMNS, check=check_nik)
    assert result.accepted
    assert result.items == ["3171011201900001", "3171011201900002"]


def test_xlsx_rows_numbers_and_first_visible_sheet() -> None:
    file = xlsx_bytes([["Judul"], [], ["Nama", "NIK", "HP"], ["A", "3171011201900001", 812.0], [], ["B", "2", None]])
    _header, rows = read_table(file, filename="data.xlsx", columns=COLUMNS)
    assert [(row.number, dict(row.values)) for row in rows] == [
        (4, {"name": "A", "nik": "3171011201900001", "phone": "812"}),
        (6, {"name": "B", "nik": "2", "phone": ""}),
    ]
    hidden = xlsx_bytes([["Nama", "NIK"], ["A", "1"]], hidden_first=True)
    assert values(hidden, "data.xlsx") == [{"name": "A", "nik": "1"}]


def test_xlsx_cells_keep_their_columns_when_the_sheet_starts_right_of_a() -> None:
    workbook = Workbook()
    workbook.active["C3"] = "x"
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    assert [row.cells for row in iter_raw_rows(stream, filename="a.xlsx")] == [("", "", "x")]


def zip_file(entries: dict[str, bytes]) -> io.BytesIO:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    stream.seek(0)
    return stream


REJECTIONS = {
    "oversized": (lambda: csv_bytes("Nama,NIK\n" + "A,1\n" * 400), "a.csv", "terlalu besar"),
    "empty": (lambda: io.BytesIO(b""), "a.csv", "kosong"),
    "unknown extension": (lambda: csv_bytes("Nama,NIK\n"), "a.pdf", "tidak didukung"),
    "old excel": (lambda: io.BytesIO(b"\xd0\xcf\x11\xe0"), "a.xls", "Simpan ulang sebagai .xlsx"),
    "not a zip": (lambda: csv_bytes("Nama,NIK\nA,1\n"), "a.xlsx", "bukan berkas Excel"),
    "zip without workbook": (lambda: zip_file({"a.txt": b"hello"}), "a.xlsx", "bukan berkas Excel"),
    "zip bomb by ratio": (
        lambda: zip_file({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * (3 * 1024 * 1024)}),
        "a.xlsx",
        "rasio kompresinya",
    ),
    "corrupt workbook": (
        lambda: zip_file({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"garbage"}),
        "a.xlsx",
        "bukan berkas Excel",
    ),
    "binary as csv": (lambda: io.BytesIO(b"Nama\0NIK\0"), "a.csv", "bukan teks CSV"),
    "xlsx named csv": (lambda: xlsx_bytes([["Nama", "NIK"]]), "a.csv", "berakhiran .xlsx"),
    "undecodable csv": (lambda: io.BytesIO(b"Nama,NIK\n\x81\x8d,1\n"), "a.csv", "pengodean karakternya"),
}


@pytest.mark.parametrize("case", REJECTIONS, ids=list(REJECTIONS))
def test_bad_files_are_rejected_with_an_indonesian_message_not_an_exception(case: str) -> None:
    make, filename, expected = REJECTIONS[case]
    limits = UploadLimits(max_bytes=1024) if case == "oversized" else UploadLimits()
    result = validate_table(file=make(), filename=filename, columns=COLUMNS, check=check_nik, limits=limits)
    assert not result.accepted
    [error] = list(result.errors)
    assert error.row is None
    assert expected in error.message


def test_zip_bomb_by_declared_total_size_is_rejected_before_parsing() -> None:
    file = xlsx_bytes([["Nama", "NIK"], ["A", "1"]])
    with pytest.raises(UploadRejected, match="terlalu besar"):
        list(iter_raw_rows(file, filename="a.xlsx", limits=UploadLimits(max_uncompressed_bytes=1000)))


def test_row_limit() -> None:
    with pytest.raises(UploadRejected, match="batas 2 baris"):
        list(iter_raw_rows(csv_bytes("Nama,NIK\nA,1\nB,2\n"), filename="a.csv", limits=UploadLimits(max_rows=2)))


def test_corrupt_csv_quoting_is_a_rejection() -> None:
    text = "Nama,NIK\n" + '"' + "x" * 200_000 + "\n"
    result = validate_table(file=csv_bytes(text), filename="a.csv", columns=COLUMNS, check=check_nik)
    assert "rusak" in next(iter(result.errors)).message


@pytest.mark.parametrize("value", ["=1+1", "+62812", "-5", "@SUM(A1)", "\tx", "\rx", "'=1"])
def test_formula_triggers_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Budi", "", "0812", "'quoted", "a=b"])
def test_ordinary_text_is_left_alone(value: str) -> None:
    assert neutralise(value) == value


@given(st.text())
def test_restore_undoes_neutralise(value: str) -> None:
    assert restore(neutralise(value)) == value
    assert not neutralise(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_cell_drops_control_characters_and_keeps_numbers() -> None:
    assert xlsx_cell("=A\x01B") == "'=AB"
    assert xlsx_cell(12) == 12


def sample_errors() -> RowErrors:
    errors = RowErrors()
    errors.add(row=3, column="Nama", value='=HYPERLINK("http://x")', message="Nama tidak sah.")
    errors.add_file_error("Berkas terlalu besar.")
    return errors


def test_error_report_csv_is_utf8_with_bom_and_neutralised() -> None:
    stream = io.BytesIO()
    write_error_csv(sample_errors(), stream)
    data = stream.getvalue()
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == [
        "Baris,Kolom,Nilai,Pesan",
        '3,Nama,"\'=HYPERLINK(""http://x"")",Nama tidak sah.',
        ",,,Berkas terlalu besar.",
    ]


def test_error_report_xlsx_has_every_error_neutralised() -> None:
    stream = io.BytesIO()
    write_error_xlsx(sample_errors(), stream)
    stream.seek(0)
    rows = CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0).to_python()
    assert rows == [
        ["Baris", "Kolom", "Nilai", "Pesan"],
        [3, "Nama", '\'=HYPERLINK("http://x")', "Nama tidak sah."],
        ["", "", "", "Berkas terlalu besar."],
    ]


def test_store_if_clean_stores_nothing_when_any_row_failed() -> None:
    stored: list[list[str]] = []
    result: UploadResult[str] = UploadResult(rows=2, items=["a"])
    result.errors.add(row=3, column="NIK", value="x", message="salah")
    store_if_clean(result, stored.append)
    assert stored == []
    assert not result.stored


@pytest.mark.django_db
def test_store_if_clean_stores_everything_when_every_row_is_valid() -> None:
    stored: list[list[str]] = []
    result = store_if_clean(UploadResult(rows=2, items=["a", "b"]), stored.append)
    assert stored == [["a", "b"]]
    assert result.summary() == {"rows": 2, "accepted": True, "stored": True, "errors": []}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_error_report_download(file_format: str) -> None:
    response = error_report_response(sample_errors(), file_format=file_format, name="kesalahan-unggahan")
    assert response["Content-Disposition"] == f'attachment; filename="kesalahan-unggahan.{file_format}"'
    stream = io.BytesIO()
    (write_error_csv if file_format == "csv" else write_error_xlsx)(sample_errors(), stream)
    if file_format == "csv":
        assert response.content == stream.getvalue()
    else:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        assert rows[1][2] == '\'=HYPERLINK("http://x")'


def test_limits_come_from_the_settings(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 20
    settings.UPLOAD_MAX_ROWS = 7
    limits = UploadLimits.from_settings()
    assert (limits.max_bytes, limits.max_rows) == (20, 7)
    file = csv_bytes("Nama,NIK\n" + "A,1\n" * 10)
    result = validate_table(file=file, filename="a.csv", columns=COLUMNS, check=check_nik)
    assert "terlalu besar" in next(iter(result.errors)).message
