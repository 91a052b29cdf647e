"""Row errors of an upload, the all-or-nothing import contract, and the downloadable error report.

Every upload of the project (data-exchange lists, non-compliance lists, the work-plan import)
follows the same contract:

1. read the file with :mod:`core.tabular` (a rejected file becomes one error without a row);
2. validate *every* row, adding each problem to a :class:`RowErrors` instead of stopping at the first;
3. store only when no error was found, in one transaction (:func:`store_if_clean`).

The user gets the whole list at once, as a table on the page or as the CSV/XLSX report written
by :func:`write_error_csv` and :func:`write_error_xlsx`.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.db import transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.spreadsheet_safety import neutralise, xlsx_cell

T = TypeVar("T")


class BinaryWriter(Protocol):
    """Where a report goes: a file, ``BytesIO`` or an ``HttpResponse``."""

    def write(self, data: bytes, /) -> object: ...


@dataclass(frozen=True)
class RowError:
    """One problem: the row as numbered in the file, the column header as written in the file.

    ``row`` is ``None`` and ``column`` empty for a problem with the whole file (too large, headers
    not recognised).
    """

    row: int | None
    column: str
    value: str
    message: str

    def __post_init__(self) -> None:
        # A NUL byte from a damaged file cannot be stored in PostgreSQL text or JSON: show it as U+2400.
        for name in ("column", "value", "message"):
            text = getattr(self, name)
            if isinstance(text, str) and "\x00" in text:
                object.__setattr__(self, name, text.replace("\x00", "\u2400"))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RowErrors:
    """Collects every error of an upload, in the order found."""

    def __init__(self) -> None:
        self._errors: list[RowError] = []

    def add(self, *, row: int | None, column: str = "", value: str = "", message: str) -> None:
        self._errors.append(RowError(row=row, column=column, value=value, message=message))

    def add_file_error(self, message: str) -> None:
        self.add(row=None, message=message)

    def __iter__(self) -> Iterator[RowError]:
        return iter(self._errors)

    def __len__(self) -> int:
        return len(self._errors)

    def __bool__(self) -> bool:
        return bool(self._errors)

    def for_row(self, row: int) -> list[RowError]:
        return [error for error in self._errors if error.row == row]


@dataclass
class UploadResult(Generic[T]):
    """What an upload service returns: counts, errors, and the validated items (when accepted)."""

    rows: int = 0
    errors: RowErrors = field(default_factory=RowErrors)
    items: list[T] = field(default_factory=list)
    stored: bool = False

    @property
    def accepted(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        """The JSON-ready summary shown by commands and APIs."""
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "stored": self.stored,
            "errors": [error.as_dict() for error in self.errors],
        }


def store_if_clean(result: UploadResult[T], store: Callable[[list[T]], None]) -> UploadResult[T]:
    """Call ``store(items)`` in one transaction, only if validation found no error at all."""
    if result.accepted:
        with transaction.atomic():
            store(result.items)
        result.stored = True
    return result


def report_headers() -> list[str]:
    return [_("Baris"), _("Kolom"), _("Nilai"), _("Pesan")]


def report_rows(errors: Sequence[RowError] | RowErrors) -> Iterator[list[str]]:
    for error in errors:
        row = "" if error.row is None else str(error.row)
        yield [row, error.column, error.value, error.message]


def write_error_csv(errors: Sequence[RowError] | RowErrors, stream: BinaryWriter, *, delimiter: str = ",") -> None:
    """The error report as UTF-8 CSV with a BOM (so Excel shows the accents), cells neutralised.

    ``stream`` is anything with ``write(bytes)``: a file, ``BytesIO`` or an ``HttpResponse``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    stream.write(codecs.BOM_UTF8)
    for row in (report_headers(), *report_rows(errors)):
        writer.writerow([neutralise(cell) for cell in row])
        stream.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()


def write_error_xlsx(errors: Sequence[RowError] | RowErrors, stream: BinaryWriter) -> None:
    """The error report as one XLSX sheet, cells neutralised, row numbers as numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Kesalahan"))
    for letter, width in (("A", 8), ("B", 30), ("C", 40), ("D", 80)):
        sheet.column_dimensions[letter].width = width
    sheet.append([_bold(sheet, title) for title in report_headers()])
    for row, column, value, message in report_rows(errors):
        number = int(row) if row else None
        sheet.append([number, xlsx_cell(column), xlsx_cell(value), xlsx_cell(message)])
    workbook.save(stream)


REPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def error_report_response(errors: Sequence[RowError] | RowErrors, *, file_format: str, name: str) -> HttpResponse:
    """The error report as a download (``file_format`` ``csv`` or ``xlsx``), named ``<name>.<format>``."""
    response = HttpResponse(content_type=REPORT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    if file_format == "csv":
        write_error_csv(errors, response)
    else:
        write_error_xlsx(errors, response)
    return response


def _bold(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
