"""Validators and masks for the identifiers every upload carries: NIK, NIB, NPWP, NPP, phone, email, Rupiah.

Each ``validate_*`` function returns the normalised value or raises :class:`IdentifierError`
(a Django ``ValidationError``, so forms accept it too) whose Indonesian message says what is
wrong and how to fix it. Nothing is ever repaired by guessing: a value that a spreadsheet
program turned into a number (``3.17E+15``, ``3171234567890001.0``) has already lost digits,
so it is rejected with that explanation, never "corrected".

Identifiers are text (DOMAIN.md section 3): a cell read as a number is rejected too. Note that
Excel keeps only 15 significant digits, so a 16-digit NIK typed into a number cell loses its
last digit to ``0`` silently; one value cannot show that, a column can: see
:func:`looks_excel_truncated`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

# Kemendagri codes of DKI's five cities and one regency as used in NIK (DOMAIN.md section 3).
DKI_PROVINCE = "31"
DKI_CITY_CODES = frozenset({"01", "71", "72", "73", "74", "75"})
# Provinces python-stdnum's list lacks: Kalimantan Utara (2012) and the Papua provinces of 2022
# under both the BPS and the Kemendagri numbering. [UNVERIFIED exact mapping]: accepting a real
# person's NIK matters more here than rejecting a rare wrong code.
EXTRA_PROVINCE_CODES = frozenset({"65", "92", "93", "95", "96", "97"})
NPP_MAX_LENGTH = 20
MAX_RUPIAH = 10**15 - 1  # a larger amount is a typo or a spreadsheet artefact

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?\s*[eE]\s*[+-]?\d+$")
_DECIMAL_ZERO = re.compile(r"^\d+[.,]0+$")
_SEPARATORS = re.compile(r"[\s.\-/]+")
_DIGITS = re.compile(r"^[0-9]+$")
_NPP = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")


class IdentifierError(ValidationError):
    """An identifier or amount that cannot be accepted; ``messages[0]`` says why, in Indonesian."""


def _text(value: object, label: str) -> str:
    """The value as trimmed text; a number or a spreadsheet-mangled number is rejected."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        message = _(
            "%(label)s terbaca sebagai angka, bukan teks. Sel Excel berformat angka menghapus nol di depan "
            "dan mengubah digit ke-16; ubah format kolom menjadi Teks lalu salin ulang dari sumber."
        )
        raise IdentifierError(message % {"label": label}, code="number")
    if not isinstance(value, str):
        raise IdentifierError(_("%(label)s harus berupa teks.") % {"label": label}, code="type")
    # NFKC turns full-width digits and no-break spaces into plain ones; "'" is Excel's text marker.
    text = unicodedata.normalize("NFKC", value).strip().removeprefix("'").strip()
    if not text:
        raise IdentifierError(_("%(label)s kosong.") % {"label": label}, code="required")
    _reject_spreadsheet_number(text, label)
    return text


def _reject_spreadsheet_number(text: str, label: str) -> None:
    """``3.17E+15`` and ``3171234567890000.0`` are what Excel makes of a number: digits are lost."""
    if _SCIENTIFIC.match(text):
        message = _(
            "%(label)s %(value)s tertulis dalam notasi ilmiah: Excel telah mengubahnya menjadi angka dan "
            "digitnya sudah hilang. Ubah format kolom menjadi Teks lalu salin ulang dari sumber."
        )
        raise IdentifierError(message % {"label": label, "value": text}, code="excel")
    if _DECIMAL_ZERO.match(text):
        message = _(
            "%(label)s %(value)s berakhiran desimal: sel dibaca sebagai angka, sehingga nol di depan dan "
            "digit ke-16 bisa hilang. Ubah format kolom menjadi Teks lalu salin ulang dari sumber."
        )
        raise IdentifierError(message % {"label": label, "value": text}, code="excel")


def _digits(value: object, label: str, lengths: tuple[int, ...]) -> str:
    """Digits only (spaces, dots, hyphens and slashes dropped), of one of the allowed lengths."""
    digits = _SEPARATORS.sub("", _text(value, label))
    if not _DIGITS.match(digits):
        raise IdentifierError(_("%(label)s hanya boleh berisi angka.") % {"label": label}, code="format")
    if len(digits) not in lengths:
        expected = _(" atau ").join(str(n) for n in lengths)
        message = _("%(label)s harus %(expected)s digit, bukan %(count)d digit.")
        hint = _(" Jika diawali 0, mungkin nol di depan hilang karena sel Excel berformat angka.")
        text = message % {"label": label, "expected": expected, "count": len(digits)}
        raise IdentifierError(text + (hint if len(digits) < min(lengths) else ""), code="length")
    return digits


# --- NIK ----------------------------------------------------------------------------------------


def _province_known(code: str) -> bool:
    return code in EXTRA_PROVINCE_CODES or bool(numdb.get("id/loc").info(code)[0][1])


def _check_nik_place(nik: str) -> None:
    """Province known; for DKI the city is one of six; no code part is ``00``."""
    province, city, district = nik[:2], nik[2:4], nik[4:6]
    if not _province_known(province):
        raise IdentifierError(_("Kode provinsi %(code)s pada NIK tidak dikenal.") % {"code": province}, code="place")
    # python-stdnum's city list predates newer regencies, so only DKI's is checked in full.
    if (province == DKI_PROVINCE and city not in DKI_CITY_CODES) or city == "00":
        message = _("Kode kabupaten/kota %(code)s pada NIK tidak dikenal.")
        raise IdentifierError(message % {"code": province + city}, code="place")
    if district == "00":
        raise IdentifierError(_("Kode kecamatan 00 pada NIK tidak ada."), code="place")


def _check_nik_birth_date(nik: str) -> None:
    """DDMMYY: day 01-31 (men) or 41-71 (women, +40), month 01-12, a date that exists."""
    day, month = int(nik[6:8]), int(nik[8:10])
    valid_day = 1 <= day <= 31 or 41 <= day <= 71
    try:
        stdnum_nik.get_birth_date(nik)
    except StdnumError:
        valid_day = False
    if not valid_day or not 1 <= month <= 12:
        message = _(
            "Tanggal lahir pada NIK (digit 7-12: %(part)s) tidak valid. Hari 01-31, untuk perempuan "
            "ditambah 40 (41-71); bulan 01-12."
        )
        raise IdentifierError(message % {"part": nik[6:12]}, code="date")


def validate_nik(value: object) -> str:
    """A 16-digit NIK (``PP KK CC DDMMYY NNNN``), checked for place, birth date and serial."""
    nik = _digits(value, "NIK", (16,))
    _check_nik_place(nik)
    _check_nik_birth_date(nik)
    if nik.endswith("0000"):
        message = _(
            "Nomor urut NIK (4 digit terakhir) tidak boleh 0000. Bila NIK berasal dari Excel, digit "
            "terakhirnya mungkin hilang karena Excel hanya menyimpan 15 digit angka."
        )
        raise IdentifierError(message, code="serial")
    if nik[:2] not in EXTRA_PROVINCE_CODES:
        try:
            stdnum_nik.validate(nik)  # python-stdnum's own rules, as a second opinion
        except StdnumError as error:
            raise IdentifierError(_("NIK %(value)s tidak valid.") % {"value": nik}, code="invalid") from error
    return nik


def nik_birth_date(nik: str) -> datetime.date:
    """The birth date a valid NIK encodes: a hint only, the century is a guess."""
    return stdnum_nik.get_birth_date(nik)


def looks_excel_truncated(values: Iterable[str], *, minimum: int = 5) -> bool:
    """True when a column's 16-digit values all end in ``0``: Excel kept only 15 digits.

    One NIK in ten really ends in 0, so a single value proves nothing; five or more all ending
    in 0 happen by chance once in 100,000 honest files.
    """
    long_numbers = [v.strip().removeprefix("'") for v in values if len(_SEPARATORS.sub("", v)) >= 16]
    return len(long_numbers) >= minimum and all(v.endswith("0") for v in long_numbers)


# --- Business identifiers --------------------------------------------------------------------------


def validate_nib(value: object) -> str:
    """NIB (OSS business ID): 13 digits, no public checksum."""
    return _digits(value, "NIB", (13,))


def validate_npwp(value: object) -> str:
    """NPWP: the 15 digits of the old format or the 16 of the new one (a NIK, or ``0`` + old number).

    Returned as digits, as given: converting 15 to 16 digits for matching is the registry's concern.
    """
    digits = _digits(value, "NPWP", (15, 16))
    if len(digits) == 16 and not digits.startswith("0"):
        try:
            return validate_nik(digits)
        except IdentifierError as error:
            message = _("NPWP 16 digit perorangan adalah NIK, tetapi: %(reason)s")
            raise IdentifierError(message % {"reason": error.messages[0]}, code=error.code) from error
    try:
        return stdnum_npwp.validate(digits)
    except StdnumError as error:
        message = _("NPWP %(value)s tidak valid: digit pemeriksanya tidak cocok.")
        raise IdentifierError(message % {"value": stdnum_npwp.format(digits[-15:])}, code="checksum") from error


def validate_npp(value: object) -> str:
    """NPP (BPJS employer number): opaque, upper-case, spaces removed, at most 20 characters."""
    npp = re.sub(r"\s+", "", _text(value, "NPP")).upper()
    if len(npp) > NPP_MAX_LENGTH:
        message = _("NPP paling panjang %(max)d karakter, bukan %(count)d.")
        raise IdentifierError(message % {"max": NPP_MAX_LENGTH, "count": len(npp)}, code="length")
    if not _NPP.match(npp):
        message = _("NPP hanya boleh berisi huruf, angka, titik, garis miring dan tanda hubung.")
        raise IdentifierError(message, code="format")
    return npp


# --- Contact details ---------------------------------------------------------------------------


def validate_phone(value: object, *, mobile_only: bool = False) -> str:
    """An Indonesian phone number in E.164 (``0812-3456-7890`` -> ``+6281234567890``)."""
    text = _text(value, _("Nomor telepon"))
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as error:
        message = _("Nomor telepon %(value)s tidak dapat dibaca.")
        raise IdentifierError(message % {"value": text}, code="format") from error
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "ID":
        message = _("Nomor telepon %(value)s bukan nomor Indonesia yang valid (contoh: 0812-3456-7890).")
        raise IdentifierError(message % {"value": text}, code="invalid")
    mobile = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    if mobile_only and phonenumbers.number_type(number) not in mobile:
        raise IdentifierError(_("Nomor %(value)s bukan nomor HP.") % {"value": text}, code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_email(value: object) -> str:
    """A syntactically valid address, trimmed, with the domain in lower case."""
    text = _text(value, _("Email"))
    try:
        EmailValidator()(text)
    except ValidationError as error:
        raise IdentifierError(_("Alamat email %(value)s tidak valid.") % {"value": text}, code="invalid") from error
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


# --- Money ---------------------------------------------------------------------------------------

_RUPIAH_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
# Indonesian notation: dots group thousands, a comma starts the fraction ("1.500.000,00").
_ID_AMOUNT = re.compile(r"^(?P<whole>\d+|\d{1,3}(?:\.\d{3})+)(?:,(?P<fraction>\d+))?$")
# A machine export ("1500000.00"): a dot followed by one or two digits can only be a fraction.
_DOT_DECIMAL = re.compile(r"^(?P<whole>\d+)\.(?P<fraction>\d{1,2})$")


def _whole_rupiah(amount: Decimal) -> int:
    """A non-negative whole amount within range, or an error saying which rule it breaks."""
    if amount != amount.to_integral_value():
        raise IdentifierError(_("Nilai rupiah harus bulat, tanpa sen."), code="fraction")
    if amount < 0:
        raise IdentifierError(_("Nilai rupiah tidak boleh negatif."), code="negative")
    if amount > MAX_RUPIAH:
        raise IdentifierError(_("Nilai rupiah terlalu besar; periksa kembali angkanya."), code="too_large")
    return int(amount)


def validate_rupiah(value: object) -> int:
    """Whole Rupiah: ``Rp 1.500.000``, ``1500000`` and ``1.500.000,00`` give 1500000.

    A fraction of a rupiah is rejected, not rounded. ``1,500,000`` is rejected as ambiguous:
    in Indonesian notation the comma starts the fraction.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _whole_rupiah(Decimal(str(value)))
    if not isinstance(value, str):
        raise IdentifierError(_("Nilai rupiah harus berupa angka atau teks."), code="type")
    text = unicodedata.normalize("NFKC", value).strip().removeprefix("'")
    text = re.sub(r"\s+", "", _RUPIAH_PREFIX.sub("", text.strip())).removesuffix(",-").removesuffix(".-")
    if text.startswith("-"):
        raise IdentifierError(_("Nilai rupiah tidak boleh negatif."), code="negative")
    match = _ID_AMOUNT.match(text) or _DOT_DECIMAL.match(text)
    if not match:
        message = _("Nilai rupiah %(value)s tidak dikenali. Tulis seperti Rp 1.500.000 atau 1500000.")
        raise IdentifierError(message % {"value": value.strip()}, code="format")
    fraction = match["fraction"] or ""
    if fraction.strip("0"):
        raise IdentifierError(_("Nilai rupiah harus bulat, tanpa sen."), code="fraction")
    return _whole_rupiah(Decimal(match["whole"].replace(".", "")))


# --- Masks (UU PDP: show only what the reader needs) ------------------------------------------------


def mask_nik(nik: str) -> str:
    """``3171234567890001`` -> ``3171**********01``: province and city stay readable."""
    text = nik.strip()
    if len(text) <= 6:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 6) + text[-2:]


def _national_phone(phone: str) -> str:
    """``+6281234567890`` -> ``081234567890``; anything unparseable is returned trimmed."""
    try:
        number = phonenumbers.parse(phone, "ID")
    except phonenumbers.NumberParseException:
        return phone.strip()
    if number.country_code != 62:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "0" + str(number.national_number)


def mask_phone(phone: str) -> str:
    """``+6281234567890`` -> ``0812****7890``: operator prefix and last four digits stay readable."""
    text = _national_phone(phone)
    if len(text) < 9:
        return "*" * (len(text) - 2) + text[-2:] if len(text) > 2 else "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]
