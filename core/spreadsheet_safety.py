"""Cell values that are safe to put in a CSV or XLSX a user will open in a spreadsheet program.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run as a formula
by Excel or LibreOffice (CSV/formula injection). Every export of the project passes its text
cells through :func:`neutralise`, which prefixes such a value with an apostrophe; spreadsheet
programs show the text as typed. Values that already start with apostrophes before a dangerous
character get one more, so :func:`restore` undoes :func:`neutralise` exactly and an
export-import round trip is lossless.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# Control characters that the XLSX (XML 1.0) format cannot hold; openpyxl refuses them.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _is_escaped_formula(value: str) -> bool:
    """True for ``=1``, ``'=1``, ``''=1``: a trigger after any number of apostrophes."""
    rest = value.lstrip(QUOTE)
    return rest.startswith(FORMULA_TRIGGERS)


def neutralise(value: str) -> str:
    """``=SUM(A1)`` becomes ``'=SUM(A1)``; ordinary text is returned unchanged."""
    if value and _is_escaped_formula(value):
        return QUOTE + value
    return value


def restore(value: str) -> str:
    """The inverse of :func:`neutralise`, for reading back a file this project wrote."""
    if value.startswith(QUOTE) and _is_escaped_formula(value):
        return value[1:]
    return value


def xlsx_text(value: str) -> str:
    """A neutralised value without the control characters XLSX cannot store."""
    return neutralise(XLSX_ILLEGAL.sub("", value))


def xlsx_cell(value: object) -> object:
    """For openpyxl: numbers, dates and ``None`` pass through; text is neutralised."""
    if isinstance(value, str):
        return xlsx_text(value)
    return value
