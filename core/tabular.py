"""Reading an uploaded CSV or XLSX into rows with recognised headers: the one upload pipeline.

Every upload of the project reads its file here, then validates row by row with
:mod:`core.rowerrors`::

    COLUMNS = [Column("nik", "NIK"), Column("phone", "Nomor HP", aliases=("No. HP", "HP"), required=False)]
    result = validate_table(file=upload, filename=upload.name, columns=COLUMNS, check=check_row)
    store_if_clean(result, store)

The file is checked before anything is parsed (size, extension, content; for XLSX the zip
directory against zip bombs), then read lazily: CSV through an incremental decoder (UTF-8 with
or without BOM, UTF-16 with BOM, else Windows-1252) with the delimiter sniffed among comma,
semicolon and tab; XLSX with python-calamine. A problem with the file raises
:class:`UploadRejected`, whose Indonesian ``message`` the services turn into a file-level error:
no exception reaches the user.

Row numbers are the numbers the user sees: the sheet row in Excel, the record number (header = 1)
of a CSV opened in a spreadsheet program.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from typing import IO, TypeVar

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from core.rowerrors import RowErrors, UploadResult
from core.upload_checks import CHUNK, UploadLimits, UploadRejected, check_upload

T = TypeVar("T")

DELIMITERS = ",;\t"
SNIFF_LINES = 20
EXCEL_EXACT_LIMIT = 1e15  # from here on a spreadsheet number has lost digits


@dataclass(frozen=True)
class RawRow:
    """One non-empty row as read, cells as text, ``number`` as the user sees it."""

    number: int
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


# --- Reading rows ----------------------------------------------------------------------------


def iter_raw_rows(file: IO[bytes], *, filename: str, limits: UploadLimits | None = None) -> Iterator[RawRow]:
    """Check the file now, then yield its non-empty rows one by one."""
    limits = limits or UploadLimits.from_settings()
    kind = check_upload(file, filename=filename, limits=limits)
    rows = xlsx_rows(file, filename=filename) if kind == "xlsx" else csv_rows(file, filename=filename)
    return _limited(rows, limits.max_rows)


def _limited(rows: Iterator[RawRow], max_rows: int) -> Iterator[RawRow]:
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            raise UploadRejected(_("Berkas melebihi batas %(max)s baris.") % {"max": f"{max_rows:,}".replace(",", ".")})
        if any(row.cells):
            yield row


def detect_encoding(file: IO[bytes], *, filename: str) -> str:
    file.seek(0)
    head = file.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(file, encoding):
            return encoding
    raise UploadRejected(
        _("Berkas %(name)s tidak dapat dibaca: pengodean karakternya tidak dikenali. Simpan sebagai CSV UTF-8.")
        % {"name": filename}
    )


def _decodes(file: IO[bytes], encoding: str) -> bool:
    file.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in iter(partial(file.read, CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def text_lines(file: IO[bytes], encoding: str) -> Iterator[str]:
    """Decoded lines, each with its line end, without holding the file in memory."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    for chunk in iter(partial(file.read, CHUNK), b""):
        *lines, pending = (pending + decoder.decode(chunk)).split("\n")
        yield from (line + "\n" for line in lines)
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def sniff_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer first, else the one used most in the sample."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: sample.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=lambda delimiter: counts[delimiter])
        return best if counts[best] else ","


def csv_rows(file: IO[bytes], *, filename: str) -> Iterator[RawRow]:
    encoding = detect_encoding(file, filename=filename)
    lines = text_lines(file, encoding)
    first = list(islice(lines, SNIFF_LINES))
    reader = csv.reader(chain(first, lines), delimiter=sniff_delimiter("".join(first)))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield RawRow(number, tuple(cell.strip() for cell in cells))
    except csv.Error as error:
        raise UploadRejected(
            _("Berkas CSV rusak di sekitar baris %(row)s: %(detail)s") % {"row": number + 1, "detail": error}
        ) from error


def xlsx_rows(file: IO[bytes], *, filename: str) -> Iterator[RawRow]:
    """The first visible worksheet; cells padded so that index 0 is column A."""
    file.seek(0)
    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheet = workbook.get_sheet_by_name(first_sheet_name(workbook))
        padding = ("",) * (sheet.start[1] if sheet.start else 0)
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield RawRow(number, padding + tuple(cell_text(cell) for cell in cells))
    except CalamineError as error:
        raise UploadRejected(
            _("Berkas %(name)s bukan berkas Excel (.xlsx) yang sah atau berkasnya rusak.") % {"name": filename}
        ) from error


def first_sheet_name(workbook: CalamineWorkbook) -> str:
    for sheet in workbook.sheets_metadata:
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible:
            return str(sheet.name)
    raise UploadRejected(_("Berkas Excel tidak memiliki lembar kerja yang terlihat."))


def cell_text(value: object) -> str:
    """A cell as the user typed it: ``12`` not ``12.0``, dates as ``2025-02-04``."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and abs(value) >= EXCEL_EXACT_LIMIT:
        # Excel keeps 15 significant digits: a 16-digit NIK typed as a number has already lost
        # its last digit. Show it as Excel does so the validators reject it and say why.
        return f"{value:.14E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


# --- Headers ---------------------------------------------------------------------------------


def normalise_label(text: str) -> str:
    """``No. HP``, ``no hp`` and ``NO_HP`` all become ``nohp``."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Column:
    """A column an upload kind expects, with the other names users give it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, header: str) -> bool:
        key = normalise_label(header)
        return bool(key) and key in {normalise_label(name) for name in (self.label, *self.aliases)}


@dataclass(frozen=True)
class HeaderMap:
    """Where each declared column is in the file, and its header as the file writes it."""

    row: int
    index: Mapping[str, int]
    names: Mapping[str, str]
    width: int = 0  # cells in the header row


def map_headers(row: RawRow, columns: Sequence[Column]) -> tuple[HeaderMap, list[Column], list[str]]:
    """The map, the required columns not found, and the headers matched by two columns."""
    index: dict[str, int] = {}
    duplicates: list[str] = []
    for position, header in enumerate(row.cells):
        column = next((column for column in columns if column.matches(header)), None)
        if column is None:
            continue
        if column.key in index:
            duplicates.append(header)
        index.setdefault(column.key, position)
    names = {key: row.cells[position] for key, position in index.items()}
    missing = [column for column in columns if column.required and column.key not in index]
    mapped = HeaderMap(row=row.number, index=index, names=names, width=len(row.cells))
    return mapped, missing, duplicates


def header_message(found: Sequence[str], columns: Sequence[Column], missing: Sequence[Column]) -> str:
    return _(
        "Judul kolom tidak dikenali. Kolom yang diharapkan: %(expected)s. Kolom yang belum ditemukan: "
        "%(missing)s. Judul kolom di berkas: %(found)s."
    ) % {
        "expected": ", ".join(column.label for column in columns),
        "missing": ", ".join(column.label for column in missing) or "-",
        "found": ", ".join(header for header in found if header) or "-",
    }


def find_header(rows: Iterator[RawRow], columns: Sequence[Column], *, scan: int = 10) -> HeaderMap:
    """The first of the first ``scan`` rows that holds every required column (title rows above are skipped)."""
    first: RawRow | None = None
    for row in islice(rows, scan):
        header, missing, duplicates = map_headers(row, columns)
        if duplicates and not missing:
            raise UploadRejected(_("Kolom ini muncul lebih dari sekali: %(names)s.") % {"names": ", ".join(duplicates)})
        if not missing:
            return header
        first = first or row
    if first is None:
        raise UploadRejected(_("Berkas tidak berisi data."))
    _map, missing, _dup = map_headers(first, columns)
    raise UploadRejected(header_message(first.cells, columns, missing))


# --- Rows with recognised columns ------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A data row: values by column key, and the means to report an error on one of its cells."""

    number: int
    values: Mapping[str, str]
    headers: Mapping[str, str] = field(repr=False)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    def error(self, errors: RowErrors, key: str, message: str, *, value: str | None = None) -> None:
        column = self.headers.get(key, key)
        errors.add(row=self.number, column=column, value=self[key] if value is None else value, message=message)


def table_rows(rows: Iterable[RawRow], header: HeaderMap) -> Iterator[Row]:
    for raw in rows:
        values = {key: raw.cell(position) for key, position in header.index.items()}
        yield Row(number=raw.number, values=values, headers=header.names)


def read_table(
    file: IO[bytes],
    *,
    filename: str,
    columns: Sequence[Column],
    limits: UploadLimits | None = None,
    header_scan: int = 10,
) -> tuple[HeaderMap, Iterator[Row]]:
    """Check the file, find its header row, and return the header map and a lazy row iterator."""
    raw = iter_raw_rows(file, filename=filename, limits=limits)
    header = find_header(raw, columns, scan=header_scan)
    return header, table_rows(raw, header)


def validate_table(
    *,
    file: IO[bytes],
    filename: str,
    columns: Sequence[Column],
    check: Callable[[Row, RowErrors], T | None],
    limits: UploadLimits | None = None,
) -> UploadResult[T]:
    """Read a file with the declared ``columns`` and run ``check`` on every row; nothing is stored here."""

    def rows() -> Iterator[Row]:
        _header, found = read_table(file, filename=filename, columns=columns, limits=limits)
        return found

    return validate_rows(rows, check)


def validate_rows(rows: Callable[[], Iterable[Row]], check: Callable[[Row, RowErrors], T | None]) -> UploadResult[T]:
    """Run ``check`` on every row and collect every error, turning a rejected file into one error.

    ``rows`` opens the file when called, so a rejection found while opening it is caught too.
    ``check`` reports problems with ``row.error(errors, key, message)`` and returns the cleaned
    item (or ``None``). Items are kept only while no error has been found, since a file with
    one error is stored not at all.
    """
    result: UploadResult[T] = UploadResult()
    try:
        for row in rows():
            result.rows += 1
            item = check(row, result.errors)
            if item is not None and not result.errors:
                result.items.append(item)
    except UploadRejected as rejection:
        result.errors.add_file_error(rejection.message)
    return result
