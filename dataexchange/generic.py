"""Uploads of the company and aggregate streams (2a-2d, 2f): row-by-row through the shared pipeline.

These files are small (hundreds to thousands of companies), so each row is checked in Python with
the validators of :mod:`core.identifiers` and :meth:`registry.models.Region.objects.recognise`, through
:func:`core.tabular.validate_rows`; an accepted file is stored as :class:`DataRow` values, normalised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.identifiers import (
    validate_email,
    validate_nib,
    validate_npp,
    validate_npwp,
    validate_phone,
    validate_rupiah,
)
from core.rowerrors import RowErrors, UploadResult
from core.tabular import Column, Row, read_table, validate_rows
from core.upload_checks import UploadLimits
from dataexchange.privacy import nik_stored
from registry.models import Region

TEXT_MAX = 500
ACTIVE = {
    "aktif": True,
    "active": True,
    "non aktif": False,
    "nonaktif": False,
    "non-aktif": False,
    "tidak aktif": False,
}


def _region(value: str) -> str:
    region = _recognise(" ".join(value.split()))
    if region is None:
        raise ValidationError(_("Wilayah %(value)s tidak dikenal; tulis nama kota (mis. Jakarta Selatan) atau kode BPS/"
                                "Kemendagri.") % {"value": value})  # fmt: skip
    return str(region.kode_bps)


@cache
def _recognise(value: str) -> Region | None:
    return Region.objects.recognise(value)


def _status(value: str) -> bool:
    key = " ".join(value.casefold().replace("_", " ").split())
    if key not in ACTIVE:
        raise ValidationError(_("Status kepesertaan harus Aktif atau Non Aktif."))
    return ACTIVE[key]


def _count(value: str) -> int:
    text = value.replace(".", "").strip()
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to str.isdigit, not to int()
        raise ValidationError(_("Jumlah harus bilangan bulat tidak negatif."))
    return int(text)


def _year(value: str) -> int:
    year = _count(value)
    if not 2025 <= year <= 2030:
        raise ValidationError(_("Tahun harus antara 2025 dan 2030 (masa Nota Kesepakatan)."))
    return year


def _text(value: str) -> str:
    if len(value) > TEXT_MAX:
        raise ValidationError(_("Isian paling panjang %d karakter.") % TEXT_MAX)
    return value


VALIDATORS: dict[str, Callable[[str], Any]] = {
    "nik": nik_stored, "npp": validate_npp, "nib": validate_nib, "npwp": validate_npwp, "email": validate_email,
    "phone": validate_phone, "wage": validate_rupiah, "amount": validate_rupiah, "city": _region, "status": _status,
    "workers": _count, "year": _year,
}  # fmt: skip


def checker(columns: Sequence[Column]) -> Callable[[Row, RowErrors], dict[str, Any] | None]:
    required = {column.key for column in columns if column.required}

    def check(row: Row, errors: RowErrors) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        found = len(errors)
        for key, raw in row.values.items():
            if not raw.strip():
                if key in required:
                    row.error(errors, key, _("Kolom ini wajib diisi."))
                continue
            try:
                values[key] = VALIDATORS.get(key, _text)(raw.strip())
            except ValidationError as error:
                row.error(errors, key, str(error.messages[0]))
        return {"row": row.number, "values": values} if len(errors) == found else None

    return check


def check_rows(*, file: IO[bytes], filename: str, columns: Sequence[Column], limits: UploadLimits) -> UploadResult[Any]:
    _recognise.cache_clear()

    def rows() -> Any:
        return read_table(file, filename=filename, columns=columns, limits=limits)[1]

    return validate_rows(rows, checker(columns))
