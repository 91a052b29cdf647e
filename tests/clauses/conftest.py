"""Personas for the clause pages and services, on the seeded MoU (``seeded_mou``).

* ``secretariat``: Disnakertransgi secretariat, records everything
* ``disnaker``: dinas staff of Disnakertransgi, PIHAK KESATU's liaison unit (reads)
* ``bpjs``: BPJS officer of the Kanwil, PIHAK KEDUA's liaison unit (reads)
* ``leadership``: pimpinan (reads)
* ``outsider``: dinas staff of Dishub, no liaison role (404)
"""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Role, User
from core.workdays import sync_holidays
from workplan.models import Agreement, Organization

PASSWORD = "rahasia-uji-123"


def make_user(username: str, role: str, short_name: str | None) -> User:
    organization = Organization.objects.get(short_name=short_name) if short_name else None
    return User.objects.create_user(
        username, email=f"{username}@example.test", password=PASSWORD, role=role, organization=organization
    )


@pytest.fixture
def agreement(seeded_mou: Agreement) -> Agreement:
    return seeded_mou


@pytest.fixture
def holidays_2025(db: None) -> None:
    """The 2025 national holidays and cuti bersama, Idul Fitri 31 March to 7 April included."""
    sync_holidays(years=[2025, 2026])


@pytest.fixture
def personas(agreement: Agreement, settings: Any, tmp_path: Any) -> dict[str, User]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {
        "secretariat": make_user("sekretariat", Role.SECRETARIAT, "Disnakertransgi"),
        "disnaker": make_user("staf.disnaker", Role.DINAS_STAFF, "Disnakertransgi"),
        "bpjs": make_user("petugas.bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI"),
        "leadership": make_user("pimpinan", Role.LEADERSHIP, None),
        "outsider": make_user("staf.dishub", Role.DINAS_STAFF, "Dishub"),
    }
