"""Exports of exchanged data: the list with its matching results, the 2d reconciliation, the change report.

Unmasked exports are only for the roles :func:`dataexchange.access.may_unmask` allows, after an
AccessLog row is written; the clear NIK comes from the kept file, read again through the shared
pipeline (the database holds only tokens and masks). Every text cell goes through
:func:`core.spreadsheet_safety.neutralise` (CSV) or ``xlsx_cell`` (XLSX).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from core.formatting import rupiah
from core.identifiers import IdentifierError, validate_nik, validate_phone
from core.spreadsheet_safety import neutralise, xlsx_cell
from core.tabular import read_table
from dataexchange.models import MatchStatus, Submission
from dataexchange.schemas import columns_from_json
from dataexchange.services import exchange_limits

LABELS = dict(MatchStatus.choices)


def unmasked_rows(submission: Submission) -> Iterator[list[str]]:
    yield [_("Baris"), _("Nama"), "NIK", _("Nomor HP"), _("Hasil pemadanan")]
    people = submission.people.order_by("row").values_list("row", "name", "match_status").iterator(chunk_size=5000)
    with submission.file.open("rb") as file:
        columns = columns_from_json(submission.schema.columns)
        _header, rows = read_table(file, filename=submission.filename, columns=columns, limits=exchange_limits())
        file_rows = ((row.number, row) for row in rows)
        for number, name, status in people:
            for file_number, row in file_rows:
                if file_number == number:
                    yield [str(number), name, _clean(validate_nik, row["nik"]), _clean(validate_phone, row["phone"]),
                           str(LABELS.get(status, status))]  # fmt: skip
                    break


def _clean(validator: object, value: str) -> str:
    try:
        return validator(value) if value.strip() else ""  # type: ignore[operator, no-any-return]
    except IdentifierError:
        return value


def unmasked_csv(rows: Iterator[list[str]]) -> Iterator[bytes]:
    yield codecs.BOM_UTF8
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(rows: Iterable[list[Any]], *, fmt: str, filename: str) -> HttpResponseBase:
    """A header row and data rows as an XLSX download or a streamed CSV (UTF-8 with BOM), formula-neutralised."""
    response: HttpResponseBase
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Data")
        for row in rows:
            sheet.append([xlsx_cell(cell) for cell in row])
        response = HttpResponse(content_type=XLSX)
        workbook.save(response)
    else:
        text_rows = ([str(cell) for cell in row] for row in rows)
        response = StreamingHttpResponse(unmasked_csv(text_rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def people_rows(submission: Submission) -> Iterator[list[str]]:
    """A 2e list's matching result per person, NIK and phone masked: what goes back to the sender."""
    yield [_("Baris"), _("Nama"), "NIK", _("Nomor HP"), _("Hasil pemadanan")]
    people = submission.people.order_by("row").values_list("row", "name", "nik_masked", "phone_masked", "match_status")
    for row, name, nik, phone, status in people.iterator(chunk_size=5000):
        yield [str(row), name, nik, phone, str(LABELS[status]) if status else _("Belum dipadankan")]


def clear_niks(submission: Submission) -> dict[int, str]:
    """Row number -> clear NIK, read again from the kept file of a company-stream submission (2d)."""
    columns = columns_from_json(submission.schema.columns)
    with submission.file.open("rb") as file:
        _header, rows = read_table(file, filename=submission.filename, columns=columns, limits=exchange_limits())
        return {row.number: _clean(validate_nik, row["nik"]) for row in rows if row["nik"].strip()}


def kpj_rows(holders: Iterable[Any], *, niks: dict[int, str] | None = None) -> Iterator[list[Any]]:
    """The 2d reconciliation, one line per holder; NIKs masked unless ``niks`` (from :func:`clear_niks`)."""
    yield [_("Baris"), _("Nama Pemegang KPJ"), "NIK", _("Nama Perusahaan"), "NPP", _("Status dalam berkas"),
           _("Upah Dilaporkan"), _("Kepesertaan"), _("Selisih")]  # fmt: skip
    for h in holders:
        status = "" if h.reported_active is None else (_("Aktif") if h.reported_active else _("Non Aktif"))
        nik = niks.get(h.row, h.nik_masked) if niks is not None else h.nik_masked
        yield [h.row, h.name, nik, h.company, h.npp, status, rupiah(h.wage),
               h.participation_label, "; ".join(h.mismatch_labels)]  # fmt: skip
