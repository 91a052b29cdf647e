"""Identifier validators and masks: NIK (with property tests), NIB, NPWP, NPP, phone, email, Rupiah."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import numdb

from core.identifiers import (
    DKI_CITY_CODES,
    EXTRA_PROVINCE_CODES,
    IdentifierError,
    looks_excel_truncated,
    mask_nik,
    mask_phone,
    nik_birth_date,
    validate_email,
    validate_nib,
    validate_nik,
    validate_npp,
    validate_npwp,
    validate_phone,
    validate_rupiah,
)

KNOWN_PROVINCES = sorted(
    {f"{code:02d}" for code in range(100) if numdb.get("id/loc").info(f"{code:02d}")[0][1]} | EXTRA_PROVINCE_CODES
)
UNKNOWN_PROVINCES = [f"{code:02d}" for code in range(100) if f"{code:02d}" not in KNOWN_PROVINCES]


def error_code(validator: object, value: object) -> str:
    with pytest.raises(IdentifierError) as info:
        validator(value)  # type: ignore[operator]
    assert info.value.messages[0]  # every rejection says why
    return str(info.value.code)


@st.composite
def niks(draw: st.DrawFn) -> str:
    """NIKs that follow every rule: a known place, a real birth date (+40 for women), serial >= 1."""
    province = draw(st.sampled_from(KNOWN_PROVINCES))
    cities = sorted(DKI_CITY_CODES) if province == "31" else [f"{n:02d}" for n in range(1, 100)]
    city = draw(st.sampled_from(cities))
    district = draw(st.integers(1, 99))
    born = draw(st.dates(datetime.date(1920, 1, 1), datetime.date(2019, 12, 31)))
    day = born.day + (40 if draw(st.booleans()) else 0)
    serial = draw(st.integers(1, 9999))
    return f"{province}{city}{district:02d}{day:02d}{born:%m%y}{serial:04d}"


# --- NIK: properties --------------------------------------------------------------------------


@given(niks())
def test_valid_niks_pass_unchanged(nik: str) -> None:
    assert validate_nik(nik) == nik


@given(niks())
def test_separators_and_the_excel_text_marker_are_dropped(nik: str) -> None:
    spaced = f"'{nik[:6]} {nik[6:12]}-{nik[12:]} "
    assert validate_nik(spaced) == nik


@given(niks())
def test_birth_date_is_decoded_with_the_plus_40_rule(nik: str) -> None:
    assert nik_birth_date(nik).day == int(nik[6:8]) % 40


@given(niks(), st.sampled_from([0, *range(32, 41), *range(72, 100)]))
def test_an_impossible_birth_day_fails(nik: str, day: int) -> None:
    assert error_code(validate_nik, f"{nik[:6]}{day:02d}{nik[8:]}") == "date"


@given(niks(), st.sampled_from([0, *range(13, 100)]))
def test_an_impossible_birth_month_fails(nik: str, month: int) -> None:
    assert error_code(validate_nik, f"{nik[:8]}{month:02d}{nik[10:]}") == "date"


@given(niks())
def test_serial_0000_fails(nik: str) -> None:
    assert error_code(validate_nik, nik[:12] + "0000") == "serial"


@given(niks(), st.sampled_from(UNKNOWN_PROVINCES))
def test_an_unknown_province_fails(nik: str, province: str) -> None:
    assert error_code(validate_nik, province + nik[2:]) == "place"


@given(niks(), st.integers(0, 99))
def test_a_dki_nik_needs_one_of_the_six_dki_codes(nik: str, city: int) -> None:
    assume(f"{city:02d}" not in DKI_CITY_CODES)
    assert error_code(validate_nik, f"31{city:02d}{nik[4:]}") == "place"


@given(niks(), st.data())
def test_a_dropped_or_added_digit_fails(nik: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, 15))
    assert error_code(validate_nik, nik[:position] + nik[position + 1 :]) == "length"
    assert error_code(validate_nik, nik[:position] + "1" + nik[position:]) == "length"


@given(niks(), st.integers(0, 15), st.sampled_from("OoIlSB"))
def test_a_letter_in_place_of_a_digit_fails(nik: str, position: int, letter: str) -> None:
    assert error_code(validate_nik, nik[:position] + letter + nik[position + 1 :]) == "format"


@given(niks())
def test_numbers_mangled_by_excel_are_rejected_not_repaired(nik: str) -> None:
    assert error_code(validate_nik, f"{int(nik):.2E}") == "excel"  # 3.17E+15
    assert error_code(validate_nik, f"{int(nik):.14E}".replace(".", ",")) == "excel"  # Indonesian Excel
    assert error_code(validate_nik, nik + ".0") == "excel"
    assert error_code(validate_nik, float(nik)) == "number"
    assert error_code(validate_nik, int(nik)) == "number"


# --- NIK: examples ------------------------------------------------------------------------------


def test_nik_examples() -> None:
    assert validate_nik("3171015708450001") == "3171015708450001"  # a woman born 17 Aug 1945
    assert nik_birth_date("3171015708450001") == datetime.date(1945, 8, 17)
    assert validate_nik("6501011708450001") == "6501011708450001"  # Kalimantan Utara, missing in stdnum
    assert error_code(validate_nik, "3176011708450001") == "place"  # BPS-only code, not used in NIK
    assert error_code(validate_nik, "3171001708450001") == "place"  # kecamatan 00
    assert error_code(validate_nik, "3171012902011234") == "date"  # 29 Feb 1901 and 2001 do not exist
    assert error_code(validate_nik, "") == "required"
    assert error_code(validate_nik, None) == "type"


def test_identifier_error_is_a_django_validation_error() -> None:
    with pytest.raises(ValidationError, match="16 digit"):
        validate_nik("317101170845")


def test_a_column_of_niks_all_ending_in_zero_looks_excel_truncated() -> None:
    damaged = ["3171011708450010", "3171011708450020", "3171015708450030", "3174011708450040", "3175011708450050"]
    assert looks_excel_truncated(damaged)
    assert not looks_excel_truncated(damaged[:4])  # too few to tell
    assert not looks_excel_truncated([*damaged, "3171011708450001"])


# --- Business identifiers --------------------------------------------------------------------------


def test_nib() -> None:
    assert validate_nib(" 9120 0012 34567 ") == "9120001234567"
    assert error_code(validate_nib, "912000123456") == "length"
    with pytest.raises(IdentifierError, match="nol di depan hilang"):
        validate_nib("12345")
    assert error_code(validate_nib, "9.12E+12") == "excel"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01.312.166.0-091.000", "013121660091000"),
        ("016090524017000", "016090524017000"),
        ("0013121660091000", "0013121660091000"),  # 16-digit entity: 0 + the old number
        ("3171015708450001", "3171015708450001"),  # 16-digit individual: the NIK
    ],
)
def test_valid_npwp_are_normalised_to_digits(value: str, expected: str) -> None:
    assert validate_npwp(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("01.312.166.1-091.000", "checksum"),
        ("0013121661091000", "checksum"),
        ("3171019908450001", "date"),  # a 16-digit individual NPWP is checked as a NIK
        ("13121660091000", "length"),  # the leading 0 lost in Excel
        ("1.31E+14", "excel"),
    ],
)
def test_invalid_npwp(value: str, code: str) -> None:
    assert error_code(validate_npwp, value) == code


def test_npp_is_opaque_upper_case_text() -> None:
    assert validate_npp(" jj 0123 45 ") == "JJ012345"
    assert validate_npp("kc-01/2025") == "KC-01/2025"
    assert error_code(validate_npp, "A" * 21) == "length"
    assert error_code(validate_npp, "AB#1") == "format"
    assert error_code(validate_npp, "12345678.0") == "excel"


# --- Contact details and money ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("'+6281234567890", "+6281234567890"),  # as our own exports neutralise it
        ("6281234567890", "+6281234567890"),
        ("(021) 3456789", "+62213456789"),
    ],
)
def test_phone_numbers_become_e164(value: str, expected: str) -> None:
    assert validate_phone(value) == expected


def test_invalid_phone_numbers() -> None:
    assert error_code(validate_phone, "08123456") == "invalid"
    assert error_code(validate_phone, "+6591234567") == "invalid"  # Singapore
    assert error_code(validate_phone, "nomor saya") == "format"
    assert error_code(validate_phone, "8.12346E+10") == "excel"
    assert error_code(lambda v: validate_phone(v, mobile_only=True), "(021) 3456789") == "not_mobile"


def test_email() -> None:
    assert validate_email(" Disnakertrans@Jakarta.GO.ID ") == "Disnakertrans@jakarta.go.id"
    assert error_code(validate_email, "kanwil.jakarta@") == "invalid"


@pytest.mark.parametrize(
    "value",
    ["Rp 1.500.000", "Rp1.500.000", "1500000", "1.500.000,00", "Rp 1.500.000,-", "1500000.00", "IDR 1.500.000"],
)
def test_rupiah_amounts(value: str) -> None:
    assert validate_rupiah(value) == 1_500_000


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.500.000,50", "fraction"),
        ("1,5", "fraction"),
        ("1500000.5", "fraction"),
        (Decimal("10.01"), "fraction"),
        (0.5, "fraction"),
        ("1,500,000", "format"),  # English grouping: ambiguous in Indonesian notation
        ("1.50.000", "format"),
        ("1,5E+06", "format"),
        ("-Rp 5.000", "negative"),
        ("Rp -5.000", "negative"),
        (-5000, "negative"),
        ("", "format"),
        (None, "type"),
        (10**16, "too_large"),
    ],
)
def test_invalid_rupiah_amounts(value: object, code: str) -> None:
    assert error_code(validate_rupiah, value) == code


def test_numbers_from_spreadsheets_are_whole_rupiah() -> None:
    assert validate_rupiah(1500000.0) == 1_500_000
    assert validate_rupiah(Decimal("10547400")) == 10_547_400
    assert validate_rupiah("1.500") == 1_500  # dots group thousands


# --- Masks ---------------------------------------------------------------------------------------


def test_masks() -> None:
    assert mask_nik("3171234567890001") == "3171**********01"
    assert mask_phone("+6281234567890") == "0812****7890"
    assert mask_phone("0812-3456-7890") == "0812****7890"
    assert mask_phone("+62213456789") == "0213**6789"
    assert mask_nik("123") == "***"
