"""The SQL NIK and phone checks of core.identifiers_sql agree with the Python validators, value by value."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.identifiers import IdentifierError, validate_nik, validate_phone
from core.identifiers_sql import (
    UNDECIDED,
    _digit_pattern_sql,
    _mobile_sql,
    nik_digits_sql,
    nik_verdict_sql,
    phone_e164_sql,
    phone_verdict_sql,
)
from tests.core.test_identifiers import niks

pytestmark = pytest.mark.django_db


def python_verdict(validator: object, value: str) -> tuple[str | None, str | None]:
    try:
        return None, validator(value)  # type: ignore[operator]
    except IdentifierError as error:
        return str(error.code), None


def sql_verdicts(values: list[str], verdict: str, normal: str) -> list[tuple[str | None, str | None]]:
    sql = f"SELECT {verdict}, {normal} FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [values])
        return [(code, None if code else value) for code, value in cursor.fetchall()]


def assert_agree(values: list[str], validator: object, verdict: str, normal: str) -> list[str]:
    """Every value SQL decides gets Python's verdict and normalised value; returns the undecided ones."""
    undecided = []
    for value, (code, normalised) in zip(values, sql_verdicts(values, verdict, normal), strict=True):
        if code == UNDECIDED:
            undecided.append(value)
            continue
        assert (code, normalised) == python_verdict(validator, value), value
    return undecided


def nik_agree(values: list[str]) -> list[str]:
    return assert_agree(values, validate_nik, nik_verdict_sql("t.v"), nik_digits_sql("t.v"))


def phone_agree(values: list[str]) -> list[str]:
    return assert_agree(values, validate_phone, phone_verdict_sql("t.v"), phone_e164_sql("t.v"))


NIK_CASES = [
    "3171234567890001",
    "3171014107850001",  # a woman: day + 40
    " '3171-0141-0785-0001 ",
    "3171.01.410785.0001",
    "3171/01/410785/0001",
    "3.17E+15",
    "3171234567890000.0",
    "3,17e15",
    "317123456789000",  # 15 digits: Excel's leading-zero or last-digit loss
    "31712345678900011",
    "3177014107850001",  # DKI city 77 does not exist
    "9971014107850001",  # unknown province
    "3200014107850001",  # city 00
    "3201004107850001",  # district 00
    "3171013202850001",  # day 32
    "3171012902010001",  # 29 February 1901/2001: neither is a leap year
    "3171012902040001",  # 29 February 2004
    "3171016902000001",  # a woman born 29 February 2000
    "3171013104850001",  # 31 April
    "3171010113850001",  # month 13
    "3171014107850000",  # serial 0000
    "6501014107850001",  # Kalimantan Utara: not in python-stdnum's list
    "abc",
    "",
    "   ",
    "31710141078500O1",  # letter O for zero
    "\uff0b3171014107850001",  # full-width plus: left to Python
    "3171014107850001\t",
]

PHONE_CASES = [
    "081234567890",
    "0812-3456-7890",
    "0812 3456 7890",
    "0812.3456.7890",
    "+6281234567890",
    "+62 812 3456 7890",
    "+62 0812 3456 7890",
    "81234567890",  # Excel dropped the leading zero
    "6281234567890",  # no plus: left to Python
    "'081234567890",
    "021-5551234",
    "(021) 5551234",
    "08123456",
    "0812345678901234567",
    "081234567890.00",
    "+1 202 555 0100",
    "0062 812 3456 7890",
    "0800 1234 567",
    "1500 123",
    "-",
    "",
    "0812 3456 7890 ext 12",
]


def test_sql_nik_verdicts_equal_python_on_known_cases() -> None:
    undecided = nik_agree(NIK_CASES)
    # letters, tabs and full-width characters are Python's to judge
    assert set(undecided) == {"abc", "31710141078500O1", "\uff0b3171014107850001", "3171014107850001\t"}


def test_sql_phone_verdicts_equal_python_on_known_cases() -> None:
    undecided = phone_agree(PHONE_CASES)
    assert set(undecided) == {
        "6281234567890",
        "(021) 5551234",
        "+1 202 555 0100",
        "0062 812 3456 7890",
        "0812 3456 7890 ext 12",
        "0812345678901234567",
        "-",
    }


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(niks(), min_size=1, max_size=40))
def test_sql_accepts_every_valid_nik(values: list[str]) -> None:
    assert nik_agree(values) == []


NIK_ALPHABET = "0123456789 .-/'eE+,"


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(NIK_ALPHABET, max_size=20) | niks().map(lambda nik: nik[:-1] + "0"), max_size=40))
def test_sql_nik_agrees_with_python_on_arbitrary_text(values: list[str]) -> None:
    nik_agree(values)


@st.composite
def nik_mutations(draw: st.DrawFn) -> str:
    """A valid NIK with one part replaced: wrong place, date, serial."""
    nik = draw(niks())
    start = draw(st.sampled_from([0, 2, 4, 6, 8, 10, 12, 14]))
    return nik[:start] + draw(st.text("0123456789", min_size=2, max_size=2)) + nik[start + 2 :]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(nik_mutations(), min_size=1, max_size=40))
def test_sql_nik_agrees_with_python_on_near_misses(values: list[str]) -> None:
    assert nik_agree(values) == []


PHONE_PREFIXES = st.sampled_from(["", "0", "+62", "+62 ", "62", "08", "+628", "021", "'0", "00", "+1"])


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(PHONE_PREFIXES, st.text("0123456789 .-", max_size=16)).map("".join), max_size=40))
def test_sql_phone_agrees_with_python(values: list[str]) -> None:
    phone_agree(values)


DIGIT_PATTERNS = [_mobile_sql()[0], r"8[1-35-9]\d{7,10}", r"21\d{6}", r"\d{3}[5-7]", r"[1-9]{2}\d{0,3}", r"0"]


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(DIGIT_PATTERNS), st.lists(st.text("0123456789", max_size=14), min_size=1, max_size=40))
def test_digit_pattern_tests_equal_the_regular_expression(pattern: str, values: list[str]) -> None:
    shape = _digit_pattern_sql("t.v", pattern)
    assert shape is not None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {shape} FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n", [values])  # noqa: S608
        found = [bool(matched) for (matched,) in cursor.fetchall()]
    assert found == [re.fullmatch(pattern, value) is not None for value in values]


@pytest.mark.parametrize("pattern", [r"(?:8\d)", r"8|9", r"8\d{2,3}1", r"[^0]\d", r"\d{2}"])
def test_patterns_beyond_digits_and_classes_keep_the_regular_expression(pattern: str) -> None:
    assert _digit_pattern_sql("n", pattern) is None


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["08", "0", "08-", "08 "]), st.text("0123456789-", max_size=14)).map("".join),
                min_size=1, max_size=40))  # fmt: skip
def test_plain_mobile_numbers_are_decided_in_sql_as_python_decides_them(values: list[str]) -> None:
    phone_agree(values)
