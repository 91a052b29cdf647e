"""The SQL that reads BPJS's extract: the fast lookups for the usual spellings give what the general rules give."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from dataexchange.pipeline import MEMBER_ACTIVE, MEMBER_INACTIVE, _month_sql, _status_sql

pytestmark = pytest.mark.django_db


def evaluate(expression: str, values: list[str | None]) -> list[object]:
    sql = f"SELECT {expression} FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [values])
        return [value for (value,) in cursor.fetchall()]


def expected_status(value: str | None) -> bool | None:
    key = (value or "").strip(" ").lower()  # btrim: spaces only
    return True if key in MEMBER_ACTIVE else False if key in MEMBER_INACTIVE else None


STATUSES = ["Aktif", "aktif", "AKTIF", " Aktif ", "aKtIf", "Non Aktif", "NON AKTIF", "non-aktif", "Non-Aktif",
            "Tidak Aktif", " tidak aktif", "NA", "na", "Ya", "1", "0", "mungkin", "", None, "Aktif\t"]  # fmt: skip


def test_status_spellings_read_as_the_general_rule_reads_them() -> None:
    assert evaluate(_status_sql("t.v"), STATUSES) == [expected_status(value) for value in STATUSES]


MONTHS = {
    "2025-03": datetime.date(2025, 3, 1),
    "1990-01": datetime.date(1990, 1, 1),
    "2100-12": datetime.date(2100, 12, 1),
    "1985-07": datetime.date(1985, 7, 1),  # before the lookup's years: the general rule
    " 2025-03 ": datetime.date(2025, 3, 1),
    "2025-03-15": datetime.date(2025, 3, 1),
    "03/2025": datetime.date(2025, 3, 1),
    "3/2025": datetime.date(2025, 3, 1),
    "202503": datetime.date(2025, 3, 1),
    "2025-13": None,
    "2025-00": None,
    "2025-3": None,
    "Maret 2025": None,
    "": None,
}


def test_last_paid_months_in_every_accepted_form() -> None:
    assert evaluate(_month_sql("t.v"), [*MONTHS, None]) == [*MONTHS.values(), None]
