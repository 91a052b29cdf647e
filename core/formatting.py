"""Indonesian formats for dates and money, used by templates, PDFs and exports alike."""

from __future__ import annotations

import datetime
from decimal import Decimal

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def tanggal(value: datetime.date | None, *, with_weekday: bool = False) -> str:
    """``4 Februari 2025`` (or ``Selasa, 4 Februari 2025``); empty for ``None``."""
    if value is None:
        return ""
    text = f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
    if with_weekday:
        return f"{WEEKDAYS_ID[value.weekday()]}, {text}"
    return text


def rupiah(value: int | Decimal | None) -> str:
    """``Rp 10.547.400``: whole Rupiah with dots as thousands separators."""
    if value is None:
        return ""
    amount = round(Decimal(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def join_id(items: list[str]) -> str:
    """Join a list the Indonesian way: ``A, B dan C``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]
