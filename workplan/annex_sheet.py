"""The work plan as the annex's spreadsheet (Dokumen Rencana Kerja): writer, reader and import.

The layout is the annex's 16 columns (more or fewer when the agreement's term is not five years):

    (1) No  (2) PROGRAM / KEGIATAN  (3) TAHAPAN KEGIATAN  (4) LOKASI  (5) SUMBER DANA
    (6)-(10) TAHUN 2025..2029 ("V" when ticked)
    (11) PIHAK KESATU PENANGGUNGJAWAB  (12) PIHAK KESATU KEGIATAN
    (13) PIHAK KEDUA PENANGGUNGJAWAB   (14) PIHAK KEDUA KEGIATAN  (15) OUTPUT  (16) OUTCOME

:func:`write_annex_xlsx` writes it with the annex's two-level header and the (1)..(16) row;
:func:`read_annex_sheet` reads that layout back (or a plain single header row, CSV or XLSX)
through the shared pipeline in :mod:`core.tabular`, and :func:`workplan_import` stores a file
only when every row is valid. Writing then reading gives back the same plan, cell for cell.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font
from openpyxl.styles import Side as BorderSide
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.rowerrors import UploadResult, store_if_clean
from core.spreadsheet_safety import restore, xlsx_cell
from core.tabular import (
    Column,
    HeaderMap,
    RawRow,
    Row,
    UploadLimits,
    UploadRejected,
    header_message,
    iter_raw_rows,
    map_headers,
    normalise_label,
    table_rows,
    validate_rows,
)
from workplan.annex_rows import AnnexRow, AnnexValidator
from workplan.annex_store import store_plan
from workplan.models import Activity, Agreement, Responsibility

TICK = "V"
TITLE = "DOKUMEN RENCANA KERJA"
HEADER_TOP = 4  # rows 1-2 carry the title, row 3 is empty
NUMBER_ROW = HEADER_TOP + 3
HEADER_SCAN = 15
BEFORE_YEARS = (
    ("no", "No", ("Nomor", "No Program")),
    ("program", "PROGRAM / KEGIATAN", ("Program",)),
    ("activity", "TAHAPAN KEGIATAN", ("Tahapan",)),
    ("location", "LOKASI", ()),
    ("funding", "SUMBER DANA", ()),
)
AFTER_YEARS = (
    ("first_units", "PIHAK KESATU PENANGGUNGJAWAB", ("Penanggung jawab PIHAK KESATU",)),
    ("first_text", "PIHAK KESATU KEGIATAN", ("Kegiatan PIHAK KESATU",)),
    ("second_units", "PIHAK KEDUA PENANGGUNGJAWAB", ("Penanggung jawab PIHAK KEDUA",)),
    ("second_text", "PIHAK KEDUA KEGIATAN", ("Kegiatan PIHAK KEDUA",)),
    ("output", "OUTPUT", ()),
    ("outcome", "OUTCOME", ()),
)
WIDTHS = {"no": 5, "program": 28, "activity": 40, "location": 16, "funding": 24, "output": 40, "outcome": 40}
WIDTHS |= {"first_units": 38, "first_text": 50, "second_units": 38, "second_text": 50}


@dataclass(frozen=True)
class AnnexLayout:
    """The columns for one agreement: the fixed ones around one column per plan year."""

    years: tuple[int, ...]

    def columns(self) -> list[Column]:
        years = [Column(f"y{year}", str(year), (f"TAHUN {year}",)) for year in self.years]
        before = [Column(key, label, aliases) for key, label, aliases in BEFORE_YEARS]
        after = [Column(key, label, aliases) for key, label, aliases in AFTER_YEARS]
        return [*before, *years, *after]

    def keys(self) -> list[str]:
        return [column.key for column in self.columns()]

    def year_keys(self) -> dict[str, int]:
        return {f"y{year}": year for year in self.years}


# --- Writing ---------------------------------------------------------------------------------


def write_annex_xlsx(*, agreement: Agreement, stream: IO[bytes]) -> None:
    """The agreement's work plan in the annex layout, as one XLSX sheet written to ``stream``."""
    layout = AnnexLayout(tuple(agreement.plan_years))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook always has one sheet)
    sheet.title = "Rencana Kerja"
    write_title(sheet, agreement, width=len(layout.keys()))
    write_header(sheet, layout)
    for offset, values in enumerate(annex_values(agreement, layout)):
        sheet.append([xlsx_cell(value) for value in values])
        style_data_row(sheet, NUMBER_ROW + 1 + offset, len(values))
    finish_sheet(sheet, layout)
    workbook.save(stream)


def write_title(sheet: Worksheet, agreement: Agreement, *, width: int) -> None:
    for row, text in ((1, TITLE), (2, agreement.title.upper())):
        sheet.cell(row=row, column=1, value=xlsx_cell(text)).font = Font(bold=True, size=12)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def header_cells(layout: AnnexLayout) -> list[tuple[int, int, int, int, str]]:
    """(row, column, last row, last column, text) of each header cell, rows relative to the header."""
    first_year, after = 6, 6 + len(layout.years)
    cells = [(0, index, 2, index, label) for index, (_key, label, _a) in enumerate(BEFORE_YEARS, start=1)]
    cells.append((0, first_year, 0, after - 1, "TAHUN"))
    cells += [(1, first_year + i, 2, first_year + i, str(year)) for i, year in enumerate(layout.years)]
    cells.append((0, after, 0, after + 3, "TUGAS DAN TANGGUNG JAWAB"))
    cells += [(1, after, 1, after + 1, "PIHAK KESATU"), (1, after + 2, 1, after + 3, "PIHAK KEDUA")]
    cells += [(2, after + i, 2, after + i, ("PENANGGUNGJAWAB", "KEGIATAN")[i % 2]) for i in range(4)]
    cells += [(0, after + 4, 2, after + 4, "OUTPUT"), (0, after + 5, 2, after + 5, "OUTCOME")]
    return cells


def write_header(sheet: Worksheet, layout: AnnexLayout) -> None:
    bold, centred = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row, column, last_row, last_column, text in header_cells(layout):
        cell = sheet.cell(row=HEADER_TOP + row, column=column, value=text)
        cell.font, cell.alignment = bold, centred
        if (last_row, last_column) != (row, column):
            sheet.merge_cells(
                start_row=HEADER_TOP + row, start_column=column, end_row=HEADER_TOP + last_row, end_column=last_column
            )
    for column in range(1, len(layout.keys()) + 1):
        cell = sheet.cell(row=NUMBER_ROW, column=column, value=f"({column})")
        cell.font, cell.alignment = Font(italic=True), centred
    for row in range(HEADER_TOP, NUMBER_ROW + 1):
        style_border(sheet, row, len(layout.keys()))


def annex_values(agreement: Agreement, layout: AnnexLayout) -> Iterator[list[object]]:
    activities = Activity.objects.for_agreement(agreement).with_plan().order_by("program__number", "letter")
    previous: int | None = None
    for activity in activities:
        first = activity.program.number != previous
        previous = activity.program.number
        yield activity_values(activity, layout, first_of_program=first)


def activity_values(activity: Activity, layout: AnnexLayout, *, first_of_program: bool) -> list[object]:
    program = activity.program
    ticks = [TICK if year in activity.years else "" for year in layout.years]
    return [
        program.number if first_of_program else None,
        program.title if first_of_program else "",
        f"{activity.letter}. {activity.title}",
        activity.location,
        activity.funding_text,
        *ticks,
        *party_values(activity.first_party),
        *party_values(activity.second_party),
        activity.output,
        activity.outcome,
    ]


def party_values(responsibility: Responsibility | None) -> tuple[str, str]:
    """Column (11)/(13) one unit per line, column (12)/(14) the party's own activity."""
    if responsibility is None:
        return "", ""
    return "\n".join(unit.name for unit in responsibility.organizations), responsibility.text


BORDER = Border(*(BorderSide(style="thin"),) * 4)


def style_border(sheet: Worksheet, row: int, width: int) -> None:
    for column in range(1, width + 1):
        sheet.cell(row=row, column=column).border = BORDER


def style_data_row(sheet: Worksheet, row: int, width: int) -> None:
    top = Alignment(vertical="top", wrap_text=True)
    for column in range(1, width + 1):
        cell = sheet.cell(row=row, column=column)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="top") if cell.value == TICK else top


def finish_sheet(sheet: Worksheet, layout: AnnexLayout) -> None:
    for index, key in enumerate(layout.keys(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 7)
    sheet.freeze_panes = sheet.cell(row=NUMBER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_TOP}:{NUMBER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# --- Reading ---------------------------------------------------------------------------------

NUMBER_CELL = re.compile(r"^\((\d{1,2})\)$")
YEAR_LABEL = re.compile(r"^(?:tahun)?(\d{4})$")


def find_annex_header(rows: Iterator[RawRow], layout: AnnexLayout) -> HeaderMap:
    """The annex's header block (ending with the (1)..(n) row) or one plain header row."""
    block: list[RawRow] = []
    starts = Column("activity", *BEFORE_YEARS[2][1:])
    for row in islice(rows, HEADER_SCAN):
        if not block and not any(starts.matches(cell) for cell in row.cells):
            continue
        block.append(row)
        if is_number_row(row):
            return positional_header(block, layout)
        header, missing, _duplicates = map_headers(row, layout.columns())
        if len(block) == 1 and not missing:
            check_single_header_years(row, layout)
            return header
    found = block[0].cells if block else ()
    raise UploadRejected(header_message(found, layout.columns(), layout.columns()))


def is_number_row(row: RawRow) -> bool:
    return sum(bool(NUMBER_CELL.match(cell)) for cell in row.cells) >= 3


def positional_header(block: Sequence[RawRow], layout: AnnexLayout) -> HeaderMap:
    """Column (k) of the number row is annex column k; the year columns must carry the plan years."""
    keys, labels = layout.keys(), {column.key: column.label for column in layout.columns()}
    index: dict[str, int] = {}
    for position, cell in enumerate(block[-1].cells):
        match = NUMBER_CELL.match(cell)
        if match and 1 <= int(match.group(1)) <= len(keys):
            index[keys[int(match.group(1)) - 1]] = position
    if len(index) != len(keys):
        numbers = ", ".join(f"({n})" for n in range(1, len(keys) + 1))
        raise UploadRejected(_("Baris nomor kolom harus berisi %(numbers)s.") % {"numbers": numbers})
    check_block_years(block[:-1], index, layout)
    names = {key: f"{labels[key]} ({keys.index(key) + 1})" for key in keys}
    return HeaderMap(row=block[-1].number, index=index, names=names)


def check_block_years(block: Sequence[RawRow], index: dict[str, int], layout: AnnexLayout) -> None:
    keys = layout.keys()
    for key, year in layout.year_keys().items():
        found = [year_label(row.cell(index[key])) for row in block]
        if year not in found:
            message = _(
                "Kolom tahun tidak sesuai rencana kerja: kolom (%(number)s) harus %(year)s, tertulis %(found)s."
            )
            found_text = ", ".join(str(label) for label in found if label) or "-"
            raise UploadRejected(message % {"number": keys.index(key) + 1, "year": year, "found": found_text})


def year_label(header: str) -> int | None:
    """``2025`` or ``Tahun 2025`` as a year; anything else ``None``."""
    match = YEAR_LABEL.match(normalise_label(header))
    return int(match.group(1)) if match else None


def check_single_header_years(row: RawRow, layout: AnnexLayout) -> None:
    """A year column outside the plan would be silently ignored: refuse it instead."""
    extra = [cell for cell in row.cells if (year := year_label(cell)) and year not in layout.years]
    if extra:
        raise UploadRejected(
            _("Kolom tahun %(extra)s di luar tahun rencana kerja (%(years)s).")
            % {"extra": ", ".join(extra), "years": ", ".join(map(str, layout.years))}
        )


def annex_rows(file: IO[bytes], *, filename: str, layout: AnnexLayout, limits: UploadLimits | None) -> Iterator[Row]:
    raw = iter_raw_rows(file, filename=filename, limits=limits)
    header = find_annex_header(raw, layout)
    vocabulary = header_vocabulary(layout)
    for row in table_rows((r for r in raw if not is_repeated_header(r, vocabulary)), header):
        yield Row(number=row.number, values={k: restore(v) for k, v in row.values.items()}, headers=row.headers)


def header_vocabulary(layout: AnnexLayout) -> set[str]:
    texts = [text for *_position, text in header_cells(layout)]
    texts += [name for column in layout.columns() for name in (column.label, *column.aliases)]
    texts += [f"({number})" for number in range(1, len(layout.keys()) + 1)]
    return {normalise_label(text) for text in texts}


def is_repeated_header(row: RawRow, vocabulary: set[str]) -> bool:
    """The annex repeats its header on every page; a pasted copy brings those rows along."""
    return all(normalise_label(cell) in vocabulary for cell in row.cells if cell)


def read_annex_sheet(
    *, file: IO[bytes], filename: str, agreement: Agreement, limits: UploadLimits | None = None
) -> UploadResult[AnnexRow]:
    """Validate every row of an annex spreadsheet for ``agreement``; nothing is stored."""
    layout = AnnexLayout(tuple(agreement.plan_years))
    validate = AnnexValidator(agreement=agreement, years=layout.year_keys())
    rows = partial(annex_rows, file, filename=filename, layout=layout, limits=limits)
    result = validate_rows(rows, validate)
    if not result.rows and not result.errors:
        result.errors.add_file_error(_("Berkas tidak berisi baris kegiatan."))
    return result


# --- Import ----------------------------------------------------------------------------------


def workplan_import(
    *,
    file: IO[bytes],
    filename: str,
    agreement: Agreement,
    dry_run: bool = False,
    limits: UploadLimits | None = None,
    retire_on: datetime.date | None = None,
    retire_basis: str = "",
) -> UploadResult[AnnexRow]:
    """Import an annex spreadsheet into ``agreement``: all rows, or nothing if any row is wrong.

    Programs, activities and each party's responsibility are created or updated by program number,
    activity letter and side; the responsible units of an imported row replace the old ones, except
    that a dropped unit with reports is retired from ``retire_on`` instead (see ``store_plan``).
    Activities missing from the file are left as they are.
    """
    result = read_annex_sheet(file=file, filename=filename, agreement=agreement, limits=limits)
    if dry_run:
        return result
    store = partial(store_plan, agreement=agreement, retire_on=retire_on, basis=retire_basis)
    return store_if_clean(result, store)
