"""Shared fixtures: personas and the seeded MoU.

Tests run on the real PostgreSQL named by ``DATABASE_URL`` (``make test`` provides it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tests.registry.seed import ensure_reference_rows
from workplan.models import Agreement
from workplan.services import seed_mou_load


@pytest.fixture
def seeded_mou(db: None) -> Agreement:
    """The Nota Kesepakatan No. 1/2025 with its parties, 15 units and 18-activity work plan."""
    seed_mou_load()
    return Agreement.objects.get(number="1 Tahun 2025")


@pytest.fixture(autouse=True)
def _reference_rows(request: pytest.FixtureRequest) -> None:
    """Rows that migrations seed (the DKI regions, the sanction step SLAs), back after a flush.

    A transactional test (browser journeys, on_commit mail) empties every table when it ends,
    rows seeded by data migrations included; the next tests that read them get them back here.
    """
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue("db")
        ensure_reference_rows()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    """Tests render pages without running collectstatic, so no manifest is needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _indonesian_first() -> Iterator[None]:
    """Every test starts in Indonesian: a request in English leaves that language active in the thread."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def page() -> Iterator[Any]:
    """A headless Chromium page for the browser journeys (see tests/chromium.py)."""
    from tests.chromium import chromium_page

    with chromium_page() as opened:
        yield opened
