"""Whole pages cached under the database snapshot (core/pagecache.py): served again only while the
database and the reader are the same, never stale, never someone else's.

Transactional tests: the cache steps aside inside a transaction (a test's own uncommitted writes
are not in the snapshot), so these commit as the application does.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from compliance.states import Status
from core.pagecache import page_key
from registry.models import Employer
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db(transaction=True)
CASES = reverse("compliance:cases")


def _get(client: Client, path: str = CASES, **params: str) -> tuple[str, list[str]]:
    """The page and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def _warm(client: Client, path: str = CASES) -> str:
    """The first request sets the CSRF cookie (not cached), the second stores the page."""
    _get(client, path)
    return _get(client, path)[0]


@pytest.fixture
def bpjs(client: Client, people: dict[str, Any]) -> Client:
    client.force_login(people["bpjs"])
    return client


def test_the_same_page_in_the_same_state_is_served_without_building_it(bpjs: Client) -> None:
    CaseFactory(employer=EmployerFactory(name="PT Tersimpan"))
    page = _warm(bpjs)
    again, sql = _get(bpjs)
    assert again == page and "PT Tersimpan" in again
    assert len(sql) == 3 and "pg_current_snapshot" in sql[-1]  # session, user, snapshot
    assert not any("sanction" in query for query in sql)


def test_a_committed_write_of_any_kind_shows_at_once(bpjs: Client) -> None:
    case = CaseFactory(employer=EmployerFactory(name="PT Nama Lama"))
    assert "PT Nama Lama" in _warm(bpjs)
    Employer.objects.filter(pk=case.employer_id).update(name="PT Lewat Update")
    assert "PT Lewat Update" in _get(bpjs)[0]
    with connection.cursor() as cursor:  # raw SQL, no model, no signal
        cursor.execute("UPDATE registry_employer SET name = 'PT Lewat SQL' WHERE id = %s", [case.employer_id])
    assert "PT Lewat SQL" in _get(bpjs)[0]
    CaseFactory(employer=EmployerFactory(name="PT Kasus Baru"))
    page = _get(bpjs)[0]
    assert "PT Kasus Baru" in page and "2 kasus" in page


def test_a_write_still_running_elsewhere_shows_once_it_commits(bpjs: Client) -> None:
    """Another process's open transaction is in the snapshot: its commit gives the next reader a new key."""
    case = CaseFactory(employer=EmployerFactory(name="PT Sebelum"))
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as other:
        other.execute("UPDATE registry_employer SET name = 'PT Sesudah' WHERE id = %s", [case.employer_id])
        assert "PT Sebelum" in _warm(bpjs)
        assert "PT Sebelum" in _get(bpjs)[0]
        other.commit()
        page = _get(bpjs)[0]
    assert "PT Sesudah" in page and "PT Sebelum" not in page


def test_another_user_in_the_same_state_never_gets_the_page(client: Client, people: dict[str, Any]) -> None:
    recommended = CaseFactory(employer=EmployerFactory(name="PT Direkomendasikan"))
    drive(recommended, people, until=Status.RECOMMENDED)
    CaseFactory(employer=EmployerFactory(name="PT Belum Direkomendasikan"))
    readers = {name: Client() for name in ("bpjs", "dpmptsp", "citata")}
    for name, reader in readers.items():
        reader.force_login(people[name])
        reader.cookies["csrftoken"] = "k" * 32  # one browser's cookie: only the session and user differ
    for _round in range(2):  # the second round is served from the cache, each reader its own
        for name, reader in readers.items():
            page = _warm(reader)
            assert ("PT Belum Direkomendasikan" in page) == (name == "bpjs")
            assert f" · {people[name].organization.short_name}</span>" in page


def test_a_cached_page_carries_a_csrf_token_the_session_accepts(bpjs: Client) -> None:
    bpjs.enforce_csrf_checks = True
    _warm(bpjs)
    page, sql = _get(bpjs)
    assert len(sql) == 3  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    assert bpjs.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert bpjs.get(CASES).status_code == 302  # logged out: to the login page, not a cached page


def test_the_language_and_the_filter_are_part_of_the_key(bpjs: Client) -> None:
    CaseFactory(employer=EmployerFactory(name="PT Dua Bahasa"))
    indonesian = _warm(bpjs)
    bpjs.cookies["django_language"] = "en"
    english = _warm(bpjs)
    assert 'lang="id"' in indonesian and 'lang="en"' in english
    filtered, _sql = _get(bpjs, CASES, status=Status.REVOKED)
    assert "PT Dua Bahasa" not in filtered


def test_the_api_answers_per_token_and_still_refuses_without_one(people: dict[str, Any]) -> None:
    CaseFactory(employer=EmployerFactory(name="PT Lewat API"))
    path = reverse("compliance-api:cases")
    api = Client(headers={"authorization": f"Token {Token.objects.create(user=people['bpjs']).key}"})
    first = api.get(path)
    with CaptureQueriesContext(connection) as queries:
        second = api.get(path)
    assert second.status_code == 200 and second.content == first.content and b"PT Lewat API" in second.content
    assert any("pg_current_snapshot" in query["sql"] for query in queries.captured_queries)
    assert not any("sanction" in query["sql"] for query in queries.captured_queries)
    assert Client().get(path).status_code in (401, 403)
    agency = Client(headers={"authorization": f"Token {Token.objects.create(user=people['citata']).key}"})
    assert b"PT Lewat API" not in agency.get(path).content  # not recommended: not the agency's case


def test_waiting_messages_and_open_transactions_are_never_cached(people: dict[str, Any]) -> None:
    request = RequestFactory().get(CASES)
    request.user = people["bpjs"]
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    assert page_key(request) is not None
    messages.success(request, "Tersimpan.")
    assert page_key(request) is None
    del request._messages  # type: ignore[attr-defined]
    with transaction.atomic():
        assert page_key(request) is None
