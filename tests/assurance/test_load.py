"""The think-time model of the load test drives a real server and counts only the page itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role, User
from assurance import load

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_clerks_who_wait_between_requests_read_the_page(live_server: Any) -> None:
    clerk = User.objects.create_user("clerk", password="x-load-2025", role=Role.SECRETARIAT)
    result = load.think(live_server.url, "/pemberitahuan/", _cookie(clerk), users=5, seconds=2)
    assert result["requests"] >= 5 and result["errors"] == 0
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]


def test_a_lost_session_counts_as_errors_not_as_fast_pages(live_server: Any) -> None:
    result = load.think(live_server.url, "/pemberitahuan/", "sessionid=expired", users=5, seconds=2)
    assert result["requests"] >= 5 and result["errors"] == result["requests"]
