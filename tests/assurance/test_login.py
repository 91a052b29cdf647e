"""Login hardening: lockout on the HTML login and the API token endpoint alike, cookie flags, logout.

The lockout is django-axes (``AXES_FAILURE_LIMIT`` failures per username and IP address); the API
token endpoint authenticates through the same backends, so its failures count toward the same lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-uji-123"


@pytest.fixture
def user(db: None, settings: Any) -> User:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_user("petugas", password=PASSWORD, role=Role.BPJS_OFFICER)


def html_login(client: Client, password: str) -> Any:
    return client.post(reverse("login"), {"username": "petugas", "password": password})


def api_token(client: Client, password: str) -> Any:
    return client.post(reverse("workplan-api:token"), {"username": "petugas", "password": password})


@pytest.mark.parametrize("attempt", [html_login, api_token], ids=["html", "api"])
def test_the_right_password_is_refused_after_the_failure_limit(user: User, attempt: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "salah")
    locked = attempt(client, PASSWORD)
    # The HTML login answers 429; DRF's token view turns the refused authentication into its usual 400.
    assert locked.status_code in {400, 429}
    assert "token" not in locked.content.decode() and "_auth_user_id" not in client.session


def test_failures_on_the_api_lock_the_html_login_too(user: User) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_token(client, "salah")
    assert html_login(client, PASSWORD).status_code in {403, 429}


def test_below_the_limit_the_right_password_still_works(user: User) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api_token(client, "salah")
    assert "token" in api_token(client, PASSWORD).json()


def production_settings() -> dict[str, Any]:
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_HTTPS": "true", "DJANGO_ALLOWED_HOSTS": "mou.example.go.id",
           "DJANGO_SECRET_KEY": "x" * 64, "DJANGO_SETTINGS_MODULE": "mou_tracker.settings"}  # fmt: skip
    names = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
             "CSRF_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"]  # fmt: skip
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_production_session_cookie_is_secure_httponly_samesite(user: User) -> None:
    production = production_settings()
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"] and production["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    cookie_settings = {k: v for k, v in production.items() if k.startswith(("SESSION_", "CSRF_"))}
    with override_settings(**cookie_settings):
        client = Client()
        html_login(client, PASSWORD)
        morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == production["SESSION_COOKIE_SAMESITE"]


def test_logout_invalidates_the_session_server_side(user: User) -> None:
    client = Client()
    assert html_login(client, PASSWORD).status_code == 302
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code in {200, 302}
    assert not Session.objects.filter(session_key=stolen).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get(reverse("workplan:tasks"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
