"""The annex spreadsheet: the 16-column export, the import through the shared pipeline, and the round trip."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from core.formatting import join_id
from workplan.annex_rows import split_funding
from workplan.annex_sheet import read_annex_sheet, workplan_import, write_annex_xlsx
from workplan.models import Activity, Agreement, Institution, Organization, Program, Responsibility, Side

pytestmark = pytest.mark.django_db
FIRST_DATA_ROW = 8  # title (1-2), blank (3), header (4-6), column numbers (7)
LONG_SOURCE = "sumber pembiayaan lainnya yang sah dan tidak mengikat, sesuai ketentuan peraturan perundang-undangan"


def export(agreement: Agreement) -> io.BytesIO:
    stream = io.BytesIO()
    write_annex_xlsx(agreement=agreement, stream=stream)
    stream.seek(0)
    return stream


def cells(stream: io.BytesIO) -> list[list[Any]]:
    stream.seek(0)
    rows = CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0).to_python(skip_empty_area=False)
    stream.seek(0)
    return rows


def plan(agreement: Agreement) -> list[tuple[Any, ...]]:
    """Every field of the work plan, units by short name in their order."""
    activities = Activity.objects.for_agreement(agreement).with_plan().order_by("program__number", "letter")
    return [
        (
            a.program.number,
            a.program.title,
            a.letter,
            a.title,
            a.location,
            list(a.funding),
            list(a.years),
            a.output,
            a.outcome,
            [
                (r.side, r.text, [(u.position, u.organization.short_name) for u in r.units.all()])
                for r in a.responsibilities.all()
            ],
        )
        for a in activities
    ]


def units(responsibility: Responsibility) -> list[tuple[int, str]]:
    return [(unit.position, unit.organization.short_name) for unit in responsibility.units.all()]


def empty_copy(agreement: Agreement, number: str = "2 Tahun 2025") -> Agreement:
    """A second agreement with the same term, title and parties, and no work plan."""
    copy = Agreement.objects.create(
        number=number,
        second_number="MOU/2/022025",
        title=agreement.title,
        signed_on=agreement.signed_on,
        signed_place=agreement.signed_place,
        term_years=agreement.term_years,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
    )
    for party in agreement.parties.all():
        party.pk, party.agreement = None, copy
        party.save()
    return copy


def edited(stream: io.BytesIO, changes: dict[str, Any]) -> io.BytesIO:
    workbook = load_workbook(stream)
    for ref, value in changes.items():
        workbook.active[ref] = value
    result = io.BytesIO()
    workbook.save(result)
    result.seek(0)
    return result


# --- Export ----------------------------------------------------------------------------------


def test_export_has_the_annex_two_level_header_and_column_numbers(seeded_mou: Agreement) -> None:
    rows = cells(export(seeded_mou))
    assert rows[0][0] == "DOKUMEN RENCANA KERJA"
    assert rows[1][0] == seeded_mou.title.upper()
    assert rows[3][:6] == ["No", "PROGRAM / KEGIATAN", "TAHAPAN KEGIATAN", "LOKASI", "SUMBER DANA", "TAHUN"]
    assert rows[3][10] == "TUGAS DAN TANGGUNG JAWAB"
    assert rows[3][14:16] == ["OUTPUT", "OUTCOME"]
    assert rows[4][5:14] == ["2025", "2026", "2027", "2028", "2029", "PIHAK KESATU", "", "PIHAK KEDUA", ""]
    assert rows[5][10:14] == ["PENANGGUNGJAWAB", "KEGIATAN", "PENANGGUNGJAWAB", "KEGIATAN"]
    assert rows[6] == [f"({n})" for n in range(1, 17)]
    merged = {str(r) for r in load_workbook(export(seeded_mou)).active.merged_cells.ranges}
    assert {"A4:A6", "F4:J4", "K4:N4", "K5:L5", "M5:N5", "F5:F6", "O4:O6", "P4:P6"} <= merged


def test_export_rows_follow_the_annex(seeded_mou: Agreement) -> None:
    rows = cells(export(seeded_mou))[FIRST_DATA_ROW - 1 :]
    assert len(rows) == 18
    first, second = rows[0], rows[1]
    assert first[0] == 1
    assert first[1].startswith("Sosialisasi, Pembinaan dan Pendampingan")
    assert first[2].startswith("a. Pembuatan materi Sosialisasi")
    assert first[4] == "APBN, APBD dan Anggaran Belanja PIHAK KEDUA"
    assert first[5:10] == ["V"] * 5
    assert first[10] == "Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta"
    assert (second[0], second[1]) == ("", "")
    assert second[2].startswith("b. ")
    by_code = {f"{n}{row[2][0]}": row for n, row in zip(program_numbers(rows), rows, strict=True)}
    assert len(by_code["2e"][10].split("\n")) == 10
    assert by_code["1e"][4] == ""
    assert by_code["2f"][4] == f"APBN, APBD, Anggaran Belanja PIHAK KEDUA dan {LONG_SOURCE}"
    assert by_code["3a"][0] == 3


def program_numbers(rows: list[list[Any]]) -> list[int]:
    numbers, current = [], 0
    for row in rows:
        current = int(row[0] or current)
        numbers.append(current)
    return numbers


def test_year_columns_follow_the_plan_years(seeded_mou: Agreement) -> None:
    Agreement.objects.filter(pk=seeded_mou.pk).update(term_years=3)
    seeded_mou.refresh_from_db()
    rows = cells(export(seeded_mou))
    assert rows[4][5:8] == ["2025", "2026", "2027"]
    assert rows[6] == [f"({n})" for n in range(1, 15)]


def test_export_neutralises_formulas_and_the_import_restores_them(seeded_mou: Agreement) -> None:
    Activity.objects.filter(program__agreement=seeded_mou, letter="a", program__number=1).update(
        title='=HYPERLINK("http://x")', output="-5 peserta"
    )
    stream = export(seeded_mou)
    row = cells(stream)[FIRST_DATA_ROW - 1]
    assert row[2] == 'a. =HYPERLINK("http://x")'  # not at the start of the cell: harmless
    assert row[14] == "'-5 peserta"
    target = empty_copy(seeded_mou)
    assert workplan_import(file=stream, filename="rk.xlsx", agreement=target).accepted
    assert plan(target) == plan(seeded_mou)


# --- Round trip ------------------------------------------------------------------------------


def test_round_trip_export_import_export_is_identical(seeded_mou: Agreement) -> None:
    first = export(seeded_mou)
    target = empty_copy(seeded_mou)
    result = workplan_import(file=first, filename="rencana-kerja.xlsx", agreement=target)
    assert result.summary() == {"rows": 18, "accepted": True, "stored": True, "errors": []}
    assert plan(target) == plan(seeded_mou)
    assert cells(export(target)) == cells(first)


def test_import_runs_in_a_fixed_number_of_queries_and_a_reimport_writes_nothing(
    seeded_mou: Agreement, django_assert_max_num_queries: Any
) -> None:
    stream, target = export(seeded_mou), empty_copy(seeded_mou)
    with django_assert_max_num_queries(40):
        assert workplan_import(file=stream, filename="rk.xlsx", agreement=target).accepted
    stream.seek(0)
    with django_assert_max_num_queries(25) as captured:
        assert workplan_import(file=stream, filename="rk.xlsx", agreement=target).accepted
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert plan(target) == plan(seeded_mou)


def test_import_accepts_a_flat_csv_with_one_header_row(seeded_mou: Agreement) -> None:
    rows = cells(export(seeded_mou))
    header = ["No", "Program", "Tahapan Kegiatan", "Lokasi", "Sumber Dana", *map(str, range(2025, 2030))]
    header += ["Pihak Kesatu Penanggung Jawab", "Pihak Kesatu Kegiatan", "Pihak Kedua Penanggungjawab"]
    header += ["Pihak Kedua Kegiatan", "Output", "Outcome"]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    current: list[Any] = []
    for row in rows[FIRST_DATA_ROW - 1 :]:
        current = [int(row[0]), row[1]] if row[0] else current  # the flat layout repeats the program
        writer.writerow([*current, *row[2:]])
    target = empty_copy(seeded_mou)
    file = io.BytesIO(text.getvalue().encode("cp1252", errors="strict"))
    result = workplan_import(file=file, filename="rencana.csv", agreement=target)
    assert list(result.errors) == []
    assert plan(target) == plan(seeded_mou)


def test_header_repeated_on_every_page_is_skipped(seeded_mou: Agreement) -> None:
    rows = [
        ["" if cell == "" else str(int(cell) if isinstance(cell, float) else cell) for cell in row]
        for row in cells(export(seeded_mou))
    ]
    header, data = rows[3:7], rows[7:]
    text = io.StringIO()
    csv.writer(text, delimiter="\t").writerows([*header, *data[:3], [], *header, *data[3:]])
    target = empty_copy(seeded_mou)
    result = workplan_import(file=io.BytesIO(text.getvalue().encode()), filename="lampiran.tsv", agreement=target)
    assert (result.rows, list(result.errors)) == (18, [])
    assert plan(target) == plan(seeded_mou)


def test_import_updates_an_existing_plan_and_replaces_its_units(seeded_mou: Agreement) -> None:
    stream = edited(
        export(seeded_mou),
        {"C8": "a. Judul baru", "K8": "Diskominfotik\ndinas tenaga kerja transmigrasi dan energi provinsi dki jakarta"},
    )
    assert workplan_import(file=stream, filename="rk.xlsx", agreement=seeded_mou).accepted
    activity = Activity.objects.for_agreement(seeded_mou).with_plan().get(program__number=1, letter="a")
    assert activity.title == "Judul baru"
    assert [org.short_name for org in activity.first_party.organizations] == ["Diskominfotik", "Disnakertransgi"]
    assert Activity.objects.for_agreement(seeded_mou).count() == 18


# --- Rejection -------------------------------------------------------------------------------


def test_a_file_with_several_bad_rows_is_rejected_whole_and_changes_nothing(seeded_mou: Agreement) -> None:
    before = plan(seeded_mou)
    stream = edited(
        export(seeded_mou),
        {
            "C8": "a. Judul yang tidak boleh tersimpan",
            "K9": "Dinas Perhubngan Provinsi DKI Jakarta",
            "E10": "APBN dan Dana Hibah",
            "G11": "X",
            "C12": "e.",
            "C13": "a. Kegiatan kembar",
        },
    )
    result = workplan_import(file=stream, filename="rk.xlsx", agreement=seeded_mou)
    assert not result.accepted and not result.stored
    found = {(e.row, e.column, e.value): e.message for e in result.errors}
    unit = found[(9, "PIHAK KESATU PENANGGUNGJAWAB (11)", "Dinas Perhubngan Provinsi DKI Jakarta")]
    assert "tidak dikenal" in unit
    assert "Dinas Perhubungan Provinsi DKI Jakarta (Dishub)" in unit
    assert "Sumber dana tidak dikenal" in found[(10, "SUMBER DANA (5)", "APBN dan Dana Hibah")]
    assert "huruf V" in found[(11, "2026 (7)", "X")]
    assert "wajib diisi" in found[(12, "TAHAPAN KEGIATAN (3)", "e.")]
    assert "sudah dipakai di baris 8" in found[(13, "TAHAPAN KEGIATAN (3)", "a. Kegiatan kembar")]
    assert len(result.errors) == 5
    assert plan(seeded_mou) == before


def test_units_of_the_wrong_party_and_duplicates_are_errors(seeded_mou: Agreement) -> None:
    stream = edited(
        export(seeded_mou),
        {"M8": "Disnakertransgi", "K9": "Dishub\nDISHUB"},
    )
    errors = [
        (e.row, e.column, e.message)
        for e in read_annex_sheet(file=stream, filename="a.xlsx", agreement=seeded_mou).errors
    ]
    assert (8, "PIHAK KEDUA PENANGGUNGJAWAB (13)", "Unit kerja ini bukan unit PIHAK KEDUA.") in errors
    assert (9, "PIHAK KESATU PENANGGUNGJAWAB (11)", "Unit kerja ini tercantum dua kali.") in errors


def test_program_rows_must_start_with_a_number_and_title(seeded_mou: Agreement) -> None:
    stream = edited(export(seeded_mou), {"A8": None, "B8": None, "A14": "x"})
    errors = [(e.row, e.column) for e in read_annex_sheet(file=stream, filename="a.xlsx", agreement=seeded_mou).errors]
    assert errors == [(8, "No (1)"), (14, "No (1)")]


def test_year_header_must_match_the_agreement(seeded_mou: Agreement) -> None:
    stream = edited(export(seeded_mou), {"F5": "2024"})
    [error] = read_annex_sheet(file=stream, filename="a.xlsx", agreement=seeded_mou).errors
    assert error.row is None
    assert "kolom (6) harus 2025, tertulis 2024" in error.message


def test_unrecognised_layout_lists_expected_headers(seeded_mou: Agreement) -> None:
    file = io.BytesIO(b"Kegiatan;Lokasi\nx;y\n")
    [error] = workplan_import(file=file, filename="a.csv", agreement=seeded_mou).errors
    assert "Kolom yang diharapkan: No, PROGRAM / KEGIATAN, TAHAPAN KEGIATAN" in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("APBN, APBD dan Anggaran Belanja PIHAK KEDUA", ["APBN", "APBD", "Anggaran Belanja PIHAK KEDUA"]),
        ("APBD dan PIHAK KEDUA", ["APBD", "PIHAK KEDUA"]),
        (
            f"APBN, APBD, Anggaran Belanja PIHAK KEDUA dan {LONG_SOURCE}",
            ["APBN", "APBD", "Anggaran Belanja PIHAK KEDUA", LONG_SOURCE],
        ),
        (f"apbd dan  {LONG_SOURCE}.", ["APBD", LONG_SOURCE]),
        ("APBN dan Hibah", None),
        ("APBN APBD", None),
    ],
)
def test_funding_is_split_by_known_names_not_by_commas(text: str, expected: list[str] | None) -> None:
    names = ["APBN", "APBD", "Anggaran Belanja PIHAK KEDUA", "PIHAK KEDUA", LONG_SOURCE]
    assert split_funding(text, names) == expected


SEED_SOURCES = ["APBN", "APBD", "Anggaran Belanja PIHAK KEDUA", "PIHAK KEDUA", LONG_SOURCE]


@given(st.lists(st.sampled_from(SEED_SOURCES), unique=True))
def test_any_list_of_known_sources_survives_join_and_split(sources: list[str]) -> None:
    assert split_funding(join_id(sources), SEED_SOURCES) == sources


# --- The management command ------------------------------------------------------------------


def run_import(path: str, *args: str) -> tuple[dict[str, Any], int]:
    out = io.StringIO()
    try:
        call_command("import_workplan", path, *args, stdout=out, stderr=io.StringIO())
        code = 0
    except CommandError as error:
        code = error.returncode
    return json.loads(out.getvalue()), code


def test_import_workplan_command_accepts_and_prints_json(seeded_mou: Agreement, tmp_path: Any) -> None:
    target = empty_copy(seeded_mou)
    path = tmp_path / "rk.xlsx"
    path.write_bytes(export(seeded_mou).getvalue())
    summary, code = run_import(str(path), "--agreement", target.number)
    assert code == 0
    assert (summary["rows"], summary["accepted"], summary["stored"], summary["errors"]) == (18, True, True, [])
    assert plan(target) == plan(seeded_mou)


def test_import_workplan_dry_run_stores_nothing(seeded_mou: Agreement, tmp_path: Any) -> None:
    target = empty_copy(seeded_mou)
    path = tmp_path / "rk.xlsx"
    path.write_bytes(export(seeded_mou).getvalue())
    summary, code = run_import(str(path), "--agreement", target.number, "--dry-run")
    assert (code, summary["accepted"], summary["stored"]) == (0, True, False)
    assert plan(target) == []


def test_import_workplan_command_rejects_with_exit_1_and_changes_nothing(seeded_mou: Agreement, tmp_path: Any) -> None:
    before = plan(seeded_mou)
    path = tmp_path / "rk.xlsx"
    path.write_bytes(edited(export(seeded_mou), {"C8": "a. Baru", "E9": "Dana Desa"}).getvalue())
    summary, code = run_import(str(path), "--agreement", seeded_mou.number)
    assert code == 1
    assert summary["accepted"] is False
    assert summary["errors"] == [
        {
            "row": 9,
            "column": "SUMBER DANA (5)",
            "value": "Dana Desa",
            "message": summary["errors"][0]["message"],
        }
    ]
    assert plan(seeded_mou) == before


def test_import_workplan_unknown_agreement_or_file(seeded_mou: Agreement, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_workplan", str(tmp_path / "rk.xlsx"), "--agreement", "99", stdout=io.StringIO())
    summary, code = run_import(str(tmp_path / "tidak-ada.xlsx"))
    assert code == 1
    assert "tidak dapat dibuka" in summary["errors"][0]["message"]


# --- Round trip of any plan ------------------------------------------------------------------

TEXT = (
    st.text(alphabet=st.sampled_from("abcXYZ019 .,;:/()'\"=+-@\néü"), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def plans(draw: st.DrawFn) -> list[dict[str, Any]]:
    """1-3 programs of 1-4 activities, with any text, sources, years and units."""
    pemprov = list(Organization.objects.filter(institution=Institution.PEMPROV).order_by("pk"))
    bpjs = list(Organization.objects.filter(institution=Institution.BPJS).order_by("pk"))
    activities = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        title = draw(TEXT)
        for letter in "abcd"[: draw(st.integers(1, 4))]:
            activities.append(
                {
                    "number": number,
                    "program": title,
                    "letter": letter,
                    "texts": [draw(TEXT) for _ in range(5)],
                    "funding": draw(st.lists(st.sampled_from(SEED_SOURCES), unique=True)),
                    "years": sorted(draw(st.sets(st.sampled_from(range(2025, 2030))))),
                    "units": [
                        draw(st.lists(st.sampled_from(orgs), min_size=1, unique=True)) for orgs in (pemprov, bpjs)
                    ],
                }
            )
    return activities


def build(agreement: Agreement, activities: list[dict[str, Any]]) -> None:
    for item in activities:
        program, _ = Program.objects.get_or_create(
            agreement=agreement, number=item["number"], defaults={"title": item["program"]}
        )
        title, location, output, outcome, text = item["texts"]
        activity = Activity.objects.create(
            program=program,
            letter=item["letter"],
            title=title,
            location=location,
            output=output,
            outcome=outcome,
            funding=item["funding"],
            years=item["years"],
        )
        for side, units in zip(Side.values, item["units"], strict=True):
            responsibility = Responsibility.objects.create(activity=activity, side=side, text=f"{text} {side}")
            for position, organization in enumerate(units, start=1):
                responsibility.units.create(organization=organization, position=position)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_plan_survives_export_import_export(seeded_mou: Agreement, data: st.DataObject) -> None:
    with transaction.atomic():
        source, target = empty_copy(seeded_mou, "98 Tahun 2025"), empty_copy(seeded_mou, "99 Tahun 2025")
        build(source, data.draw(plans()))
        first = export(source)
        result = workplan_import(file=first, filename="rk.xlsx", agreement=target)
        assert list(result.errors) == []
        assert plan(target) == plan(source)
        assert cells(export(target)) == cells(first)
        transaction.set_rollback(True)
