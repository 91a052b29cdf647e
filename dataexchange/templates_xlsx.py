"""The downloadable XLSX template of a stream: its columns, identifiers as text, and data validation.

Identifier columns (NIK, NPP, NIB, NPWP, phone) are formatted as text so that Excel keeps leading
zeros and all 16 digits; NIK must be 16 characters long; status offers Aktif / Non Aktif.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dataexchange.models import SchemaVersion
from dataexchange.schemas import columns_from_json

TEXT_KEYS = {"nik", "npp", "nib", "npwp", "phone", "pic"}
ROWS = 5000


def write_template(schema: SchemaVersion, stream: Any) -> None:
    """``stream`` is anything with ``write(bytes)``: a file, ``BytesIO`` or an ``HttpResponse``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    columns = columns_from_json(schema.columns)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 4)
        if column.key in TEXT_KEYS:
            for row in range(2, ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        _validation(sheet, column.key, f"{letter}2:{letter}{ROWS + 1}")
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Petunjuk"))
    notes.append([f"{schema.stream.code}. {schema.stream.title} (skema versi {schema.version})"])
    notes.append([_("Isi lembar Data mulai baris 2. Kolom wajib:") + " " +
                  ", ".join(c.label for c in columns if c.required)])  # fmt: skip
    notes.append([_("NIK dan nomor lain sudah berformat Teks: salin sebagai nilai, jangan sebagai angka.")])
    notes.append([_("Berkas dengan satu baris salah ditolak seluruhnya; laporan kesalahan menyebut setiap baris.")])
    workbook.save(stream)


def _validation(sheet: object, key: str, cells: str) -> None:
    rule = None
    if key == "nik":
        rule = DataValidation(type="textLength", operator="equal", formula1="16", allow_blank=True)
        rule.error = _("NIK harus 16 digit.")
    elif key == "status":
        rule = DataValidation(type="list", formula1='"Aktif,Non Aktif"', allow_blank=False)
        rule.error = _("Pilih Aktif atau Non Aktif.")
    if rule is not None:
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)  # type: ignore[attr-defined]
        rule.add(cells)
