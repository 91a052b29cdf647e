"""The unmasked export of a list: the kept file read again through the shared pipeline, joined with the results.

Only for the roles :func:`dataexchange.access.may_unmask` allows, after an AccessLog row is written.
The file is read row by row and merged with the stored results in row order, so memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from core.identifiers import IdentifierError, validate_nik, validate_phone
from core.spreadsheet_safety import neutralise
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
