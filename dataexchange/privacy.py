"""NIK tokens: HMAC-SHA256 under ``settings.EXCHANGE_NIK_KEY``, the same in Python and in PostgreSQL.

Lists and BPJS's extract are matched on these tokens only; the NIK itself is kept as a mask
(``3171**********01``) and, until the retention purge, in the uploaded file. The SQL form is
built from PostgreSQL's own ``sha256()`` (RFC 2104: ``H(K^opad || H(K^ipad || m))``), so no
extension is needed; ``tests/dataexchange/test_privacy.py`` checks both give the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from core.identifiers import mask_nik, validate_nik

BLOCK = 64  # SHA-256 block size


def nik_key() -> bytes:
    return str(settings.EXCHANGE_NIK_KEY).encode("utf-8")


def nik_token(nik: str) -> bytes:
    """The token of a normalised (16-digit) NIK."""
    return hmac.digest(nik_key(), nik.encode("ascii"), "sha256")


def hmac_pads() -> tuple[bytes, bytes]:
    """The inner and outer padded keys, passed to :func:`nik_token_sql` as query parameters."""
    key = nik_key()
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def nik_token_sql(nik: str, *, inner: str = "%(inner)s", outer: str = "%(outer)s") -> str:
    """SQL for the token of the text expression ``nik``; bind ``inner``/``outer`` to :func:`hmac_pads`."""
    return f"sha256({outer}::bytea || sha256({inner}::bytea || convert_to({nik}, 'UTF8')))"


def nik_stored(nik: str) -> dict[str, str]:
    """What a company-stream row keeps of a NIK (2d's KPJ holder): its token in hex and its mask, never the NIK."""
    clean = validate_nik(nik)
    return {"token": nik_token(clean).hex(), "masked": mask_nik(clean)}
