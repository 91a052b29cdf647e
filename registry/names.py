"""Canonical forms of employer names and identifiers, so that lists from different senders meet.

A name is compared without its legal form (PT, CV, Tbk, Persero ...), accents, case and
punctuation: "PT. Maju Jaya, Tbk" and "MAJU JAYA (PERSERO)" both become ``maju jaya``. The
identifiers are stored as the digits (NIB, NPWP) or upper-case text (NPP) they stand for;
whether they are *valid* is for the upload's validators (``core.identifiers``) to say.
"""

from __future__ import annotations

import re
import unicodedata

# Legal forms and their common spellings once dots are gone ("P.T." -> "pt").
LEGAL_FORMS = frozenset({"pt", "cv", "tbk", "persero", "perseroan", "terbatas", "ud", "fa", "firma", "perum", "pd"})
_DOTS = re.compile(r"\.")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NON_DIGIT = re.compile(r"\D+")
_SPACE = re.compile(r"\s+")


def normalize_company_name(name: str) -> str:
    """``PT. Maju-Jaya Abadi, Tbk.`` -> ``maju jaya abadi`` (empty when nothing but a legal form)."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = _NON_WORD.sub(" ", _DOTS.sub("", text.replace("&", " dan ")))
    return " ".join(token for token in text.split() if token not in LEGAL_FORMS)


def normalize_npp(value: str) -> str:
    """NPP is opaque: trimmed, upper-case, inner spaces removed."""
    return _SPACE.sub("", value or "").upper()


def normalize_nib(value: str) -> str:
    return _NON_DIGIT.sub("", value or "")


def normalize_npwp(value: str) -> str:
    """Digits of the NPWP, the 16-digit form: an old 15-digit entity number gains its leading ``0``."""
    digits = _NON_DIGIT.sub("", value or "")
    return "0" + digits if len(digits) == 15 else digits
