"""The NIK and phone rules of :mod:`core.identifiers` as PostgreSQL expressions, for set-based validation.

A million-row upload cannot call :func:`core.identifiers.validate_nik` per row inside a
transaction budget of seconds, so the same rules are written here as SQL, built from the same
sources (the province list of python-stdnum, ``DKI_CITY_CODES``, ``EXTRA_PROVINCE_CODES``, the
phone metadata of ``phonenumbers``). Python stays the one source of truth:

* the SQL decides only values in a plain ASCII domain (digits, spaces, ``.``, ``-``, ``/``, a
  leading ``'``); anything else (tabs, full-width digits, ``+62 (21)``, extensions) gets the
  verdict ``undecided`` and is judged by the Python validator;
* the SQL gives a verdict code (``None`` = valid), never a message: the rows it rejects are few,
  and their messages come from the Python validator, so the user reads one wording;
* ``tests/core/test_identifiers_sql.py`` runs both on the same inputs (Hypothesis) and asserts
  that every SQL verdict and normalised value equals Python's.

Each builder takes a SQL expression for the raw cell (e.g. ``"s.nik"``) and returns an expression;
nothing user-supplied is interpolated.
"""

from __future__ import annotations

import calendar
import re
from functools import cache

from phonenumbers import PhoneMetadata
from stdnum import numdb

from core.identifiers import DKI_CITY_CODES, DKI_PROVINCE, EXTRA_PROVINCE_CODES

UNDECIDED = "undecided"
PHONE_TYPES = (  # mobile first: most numbers in the lists are, and OR stops at the first match
    "mobile",
    "fixed_line",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _id_metadata() -> PhoneMetadata:
    metadata = PhoneMetadata.metadata_for_region("ID")
    assert metadata is not None  # noqa: S101 - shipped with phonenumbers
    return metadata


def _in_list(values: object) -> str:
    return "(" + ", ".join(_literal(str(value)) for value in sorted(values)) + ")"  # type: ignore[call-overload]


@cache
def nik_province_codes() -> frozenset[str]:
    """Every province code :func:`core.identifiers.validate_nik` accepts."""
    known = {f"{n:02d}" for n in range(100) if numdb.get("id/loc").info(f"{n:02d}")[0][1]}
    return frozenset(known | EXTRA_PROVINCE_CODES)


def _trimmed(raw: str) -> str:
    """``strip().removeprefix("'").strip()`` for values of the plain domain (spaces only)."""
    return f"btrim(regexp_replace(btrim(coalesce({raw}, ''), ' '), '^''', ''), ' ')"


EXCEL_CHECKS = (
    # core.identifiers._SCIENTIFIC and _DECIMAL_ZERO, with \s narrowed to the domain's space
    r"^[+-]?[0-9]+([.,][0-9]*)? *[eE] *[+-]?[0-9]+$",
    r"^[0-9]+[.,]0+$",
)


def nik_digits_sql(raw: str) -> str:
    """The NIK as ``validate_nik`` returns it (separators dropped), for values it accepts."""
    return f"regexp_replace({_trimmed(raw)}, '[ ./-]+', '', 'g')"


def nik_verdict_sql(raw: str) -> str:
    """``NULL`` for a valid NIK, else the ``IdentifierError.code`` Python gives, or ``'undecided'``."""
    return f"CASE WHEN {nik_plain_valid_sql(raw)} THEN NULL ELSE {_nik_verdict_full_sql(raw)} END"


def _all_digits(raw: str, lengths: str) -> str:
    """Only ASCII digits, without a regular expression (PostgreSQL's cost about 1 us per call)."""
    return f"(length({raw}) {lengths} AND translate({raw}, '0123456789', '') = '')"


@cache
def _valid_day_months() -> tuple[frozenset[str], frozenset[str]]:
    """DDMM of every valid birth day (+40 for women) except 29 February, and the two 29 February forms."""
    plain = set()
    for month in range(1, 13):
        for day in range(1, calendar.monthrange(2001, month)[1] + 1):
            plain |= {f"{day:02d}{month:02d}", f"{day + 40:02d}{month:02d}"}
    return frozenset(plain), frozenset({"2902", "6902"})


def nik_plain_valid_sql(raw: str) -> str:
    """True for 16 plain digits that pass every rule: lookups in constant lists, no regular expression."""
    plain, leap = _valid_day_months()
    provinces = _in_list(nik_province_codes() - {DKI_PROVINCE})
    dki_cities = _in_list(DKI_PROVINCE + city for city in DKI_CITY_CODES)
    return f"""({_all_digits(raw, "= 16")}
      AND (substr({raw}, 1, 4) IN {dki_cities} OR (substr({raw}, 1, 2) IN {provinces} AND substr({raw}, 3, 2) <> '00'))
      AND substr({raw}, 5, 2) <> '00'
      AND (substr({raw}, 7, 4) IN {_in_list(plain)}
           OR (substr({raw}, 7, 4) IN {_in_list(leap)} AND mod(substr({raw}, 11, 2)::int, 4) = 0))
      AND right({raw}, 4) <> '0000')"""


def _nik_verdict_full_sql(raw: str) -> str:
    text, digits = _trimmed(raw), nik_digits_sql(raw)
    return f"""CASE
      WHEN coalesce({raw}, '') !~ '^ *''? *[0-9 ./eE+,-]*$' THEN {_literal(UNDECIDED)}
      WHEN {text} = '' THEN 'required'
      WHEN {text} ~ {_literal(EXCEL_CHECKS[0])} OR {text} ~ {_literal(EXCEL_CHECKS[1])} THEN 'excel'
      WHEN {digits} !~ '^[0-9]+$' THEN 'format'
      WHEN length({digits}) <> 16 THEN 'length'
      ELSE {_nik_structure_sql(digits)}
    END"""


def _nik_structure_sql(digits: str) -> str:
    """Place, birth date and serial of 16 digits."""
    province, city = f"substr({digits}, 1, 2)", f"substr({digits}, 3, 2)"
    day, month, year = (f"substr({digits}, {start}, 2)::int" for start in (7, 9, 11))
    return f"""CASE
      WHEN {province} NOT IN {_in_list(nik_province_codes())}
        OR ({province} = {_literal(DKI_PROVINCE)} AND {city} NOT IN {_in_list(DKI_CITY_CODES)})
        OR {city} = '00' OR substr({digits}, 5, 2) = '00' THEN 'place'
      WHEN NOT ({day} BETWEEN 1 AND 31 OR {day} BETWEEN 41 AND 71) OR {month} NOT BETWEEN 1 AND 12
        OR mod({day}, 40) > {_month_length_sql(month, year)} THEN 'date'
      WHEN right({digits}, 4) = '0000' THEN 'serial'
    END"""


def _month_length_sql(month: str, year: str) -> str:
    """Days in the month, taking 29 February as python-stdnum does: valid in 19YY or 20YY."""
    lengths = " ".join(f"WHEN {m} THEN {calendar.monthrange(2001, m)[1]}" for m in range(1, 13) if m != 2)
    return f"(CASE {month} {lengths} WHEN 2 THEN CASE WHEN mod({year}, 4) = 0 THEN 29 ELSE 28 END ELSE 0 END)"


# --- Phone ---------------------------------------------------------------------------------------


def _desc_sql(number: str, desc: object) -> str | None:
    """``phonenumbers._is_number_matching_desc`` for one number description."""
    pattern = getattr(desc, "national_number_pattern", None)
    if pattern is None:
        return None
    lengths = [n for n in (getattr(desc, "possible_length", None) or ()) if n > 0]
    length_check = f"length({number}) IN ({', '.join(map(str, lengths))}) AND " if lengths else ""
    if getattr(desc, "possible_length", None) == (-1,):
        return None
    return f"({length_check}{number} ~ {_literal('^(?:' + pattern + ')$')})"


@cache
def _phone_valid_sql_template() -> str:
    """Valid as ``phonenumbers.is_valid_number`` for ID: the general description and one type match."""
    metadata = _id_metadata()
    general = _desc_sql("{n}", metadata.general_desc)
    types = [sql for name in PHONE_TYPES if (sql := _desc_sql("{n}", getattr(metadata, name)))]
    return f"({general} AND ({' OR '.join(types)}))"


def _plain_digits(raw: str) -> str:
    return f"translate({raw}, ' -', '')"


def _plain_national(raw: str, digits: str | None = None) -> str:
    """``0812-3456 7890``: digits, spaces and hyphens only, a leading 0 then not 0 (the common case)."""
    digits = digits or _plain_digits(raw)
    return (
        f"(translate({raw}, '0123456789 -', '') = '' AND length({digits}) BETWEEN 5 AND 17"
        f" AND left({digits}, 1) = '0' AND substr({digits}, 2, 1) <> '0')"
    )


@cache
def _mobile_sql() -> tuple[str, str]:
    """The mobile description's pattern and lengths. Every mobile number also fits the general description
    (libphonenumber builds it as the union of the types); the agreement tests would catch a change."""
    mobile = _id_metadata().mobile
    assert mobile is not None and mobile.national_number_pattern is not None  # noqa: S101
    lengths = ", ".join(str(n) for n in mobile.possible_length)
    return mobile.national_number_pattern, lengths


_PATTERN_TOKEN = re.compile(r"(\\d|\[[0-9-]+\]|[0-9])(?:\{([0-9]+)(?:,([0-9]+))?\})?")


def _digit_pattern_sql(number: str, pattern: str) -> str | None:
    """A pattern of digits, digit classes and ``\\d{m,n}`` (``8[1-35-9]\\d{7,10}``) as substr tests.

    For a ``number`` already known to be ASCII digits only, so ``\\d`` needs no test. Measured on the
    800,718 phones of the benchmark list: 3.1 s with PostgreSQL's regular expression, 0.8 s with these.
    ``None`` for any other pattern (alternation, groups): the caller keeps the regular expression.
    """
    tests, position, minimum, maximum, end = [], 1, 0, 0, 0
    for match in _PATTERN_TOKEN.finditer(pattern):
        if match.start() != end or maximum != minimum:  # a gap, or a variable repeat before the end
            return None
        end = match.end()
        atom, low, high = match.group(1), int(match.group(2) or 1), int(match.group(3) or match.group(2) or 1)
        if atom != "\\d":
            allowed = sorted(d for d in "0123456789" if re.fullmatch(atom, d))
            tests += [f"substr({number}, {position + i}, 1) IN {_in_list(allowed)}" for i in range(low)]
            if high != low:
                return None
        position, minimum, maximum = position + low, minimum + low, maximum + high
    if end != len(pattern) or not tests:
        return None
    return " AND ".join([f"length({number}) BETWEEN {minimum} AND {maximum}", *tests])


def phone_plain_valid_sql(raw: str, *, digits: str | None = None) -> str:
    """True for a plain national mobile number that ``validate_phone`` accepts.

    ``digits`` may name a column already holding :func:`phone_plain_digits_sql` of ``raw``, so that a
    query over a million rows computes it once per row.
    """
    digits = digits or _plain_digits(raw)
    national = f"substr({digits}, 2)"
    pattern, lengths = _mobile_sql()
    # _plain_national leaves only digits, so the mobile pattern can be tested position by position
    shape = _digit_pattern_sql(national, pattern) or f"{national} ~ {_literal(f'^(?:{pattern})$')}"
    return f"({_plain_national(raw, digits)} AND length({national}) IN ({lengths}) AND {shape})"


def phone_plain_digits_sql(raw: str) -> str:
    return _plain_digits(raw)


def phone_national_sql(raw: str) -> str:
    """The national significant number ``phonenumbers.parse(raw, "ID")`` finds, for decidable values."""
    digits = f"regexp_replace({_trimmed(raw)}, '[^0-9]+', '', 'g')"
    return f"""(CASE
      WHEN left({_trimmed(raw)}, 1) = '+' THEN regexp_replace(substr({digits}, 3), '^0', '')
      ELSE regexp_replace({digits}, '^0', '')
    END)"""


def phone_e164_sql(raw: str) -> str:
    """``validate_phone(raw)`` for values it accepts: ``+62`` and the national number."""
    plain = f"substr({_plain_digits(raw)}, 2)"
    return f"('+62' || CASE WHEN {_plain_national(raw)} THEN {plain} ELSE {phone_national_sql(raw)} END)"


def phone_verdict_sql(raw: str) -> str:
    """``NULL`` for a valid phone number, ``'invalid'``/``'excel'``/``'required'``, or ``'undecided'``."""
    text = _trimmed(raw)
    digits = f"regexp_replace({text}, '[^0-9]+', '', 'g')"
    national = phone_national_sql(raw)
    # What the SQL leaves to Python: another country code, an international prefix (00...),
    # 62 without '+' (phonenumbers may read it as the country code), a 0 after +62 0, and
    # lengths where phonenumbers raises instead of judging (fewer than 5 or more than 17 digits).
    undecided = (
        f"coalesce({raw}, '') !~ '^ *''? *[+]?[0-9 .-]*$'"
        f" OR ({text} <> '' AND length({digits}) NOT BETWEEN 5 AND 17)"
        f" OR (left({text}, 1) = '+' AND ({digits} !~ '^62' OR {digits} ~ '^6200'))"
        f" OR (left({text}, 1) <> '+' AND ({digits} ~ '^00' OR {digits} ~ '^62'))"
    )
    valid = _phone_valid_sql_template().replace("{n}", national)
    return f"""CASE
      WHEN {phone_plain_valid_sql(raw)} THEN NULL
      WHEN {undecided} THEN {_literal(UNDECIDED)}
      WHEN {text} = '' THEN 'required'
      WHEN {text} ~ {_literal(EXCEL_CHECKS[1])} THEN 'excel'
      WHEN NOT {valid} THEN 'invalid'
    END"""
