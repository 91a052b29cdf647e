"""NIK tokens: PostgreSQL's HMAC construction equals Python's hmac; masks show only what they should."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings

from dataexchange.privacy import hmac_pads, nik_token, nik_token_sql
from tests.core.test_identifiers import niks

pytestmark = pytest.mark.django_db


def sql_token(nik: str) -> bytes:
    inner, outer = hmac_pads()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {nik_token_sql('%(nik)s')}", {"nik": nik, "inner": inner, "outer": outer})
        return bytes(cursor.fetchone()[0])


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(niks())
def test_sql_token_equals_python_hmac(nik: str) -> None:
    assert (
        sql_token(nik)
        == nik_token(nik)
        == hmac.new(b"dev-only-nik-key-change-me", nik.encode(), hashlib.sha256).digest()
    )


@pytest.mark.parametrize("key", ["short", "k" * 64, "a-much-longer-key-" * 8])
def test_token_follows_the_configured_key_of_any_length(settings: object, key: str) -> None:
    settings.EXCHANGE_NIK_KEY = key  # type: ignore[attr-defined]
    nik = "3171014107850001"
    assert sql_token(nik) == hmac.new(key.encode(), nik.encode(), hashlib.sha256).digest()
