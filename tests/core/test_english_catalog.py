"""The English catalog (locale/en) is compiled and used once a user picks English.

Indonesian stays the default (core/middleware.py); the language cookie set by the EN/ID switch
turns the interface into English, and every msgid in the catalog has an English msgstr.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import Role, User
from workplan.models import Agreement, Organization

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def dinas_user(seeded_mou: Agreement) -> User:
    """A Pemprov agency staff member, as in the seeded MoU's list of units."""
    unit = Organization.objects.filter(kind=Organization.Kind.DINAS).order_by("pk").first()
    assert unit is not None
    return User.objects.create_user(
        username="staf.en", password="rahasia-sekali-123", role=Role.DINAS_STAFF, organization=unit
    )


def english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.django_db
def test_login_page_in_english(client: Client) -> None:
    english(client)
    page = client.get("/masuk/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "Nama pengguna" not in page and "Kata sandi" not in page


@pytest.mark.django_db
def test_login_page_stays_indonesian_without_the_cookie(client: Client) -> None:
    page = client.get("/masuk/").content.decode()
    assert "Masuk" in page and "Nama pengguna" in page
    assert "Log in" not in page


def test_work_plan_pages_in_english(client: Client, dinas_user: User) -> None:
    client.force_login(dinas_user)
    english(client)
    page = client.get("/rencana-kerja/").content.decode()
    assert "Work Plan" in page and "My tasks" in page and "Log out" in page
    assert "Rencana Kerja" not in page
    assert "Tugas saya" not in page and "Keluar" not in page
    matrix = client.get("/rencana-kerja/matriks/").content.decode()
    assert "Work-plan matrix" in matrix and "Matriks rencana kerja" not in matrix


def test_other_modules_in_english(client: Client, dinas_user: User) -> None:
    client.force_login(dinas_user)
    english(client)
    streams = client.get("/pertukaran-data/").content.decode()
    assert "Data exchange" in streams and "Pertukaran data" not in streams
    calendar = client.get("/pemberitahuan/kalender/").content.decode()
    assert "Deadline calendar" in calendar and "Kalender tenggat" not in calendar


def test_lazy_labels_and_plurals_follow_the_active_language() -> None:
    with translation.override("en"):
        assert str(Role.DINAS_STAFF.label) == "Regional agency staff"
        assert translation.ngettext("%(n)s hari", "%(n)s hari", 1) % {"n": 1} == "1 day"
        assert translation.ngettext("%(n)s hari", "%(n)s hari", 3) % {"n": 3} == "3 days"
    assert str(Role.DINAS_STAFF.label) == "Staf perangkat daerah"


def test_catalog_is_complete_and_compiled() -> None:
    """No fuzzy entry, no empty msgstr, and the .mo holds every msgid of the .po (run `make messages`)."""
    text = CATALOG.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    # An empty msgstr not continued on the next line (the header's msgstr "" is continued).
    assert re.findall(r'^msgstr(?:\[\d\])? ""\n(?!")', text, flags=re.M) == []
    with CATALOG.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    compiled_ids = {key if isinstance(key, str) else key[0] for key in catalog} - {""}
    assert len(compiled_ids) == len(re.findall(r"^msgid ", text, flags=re.M)) - 1
