"""The work-plan table is rendered once per version of the plan and never shows a plan that changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from workplan.fingerprint import plan_fingerprint
from workplan.models import Activity, Agreement, ResponsibleUnit, YearlyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(seeded_mou: Agreement) -> Client:
    client = Client()
    client.force_login(User.objects.create_user("pembaca", role=Role.LEADERSHIP))
    return client


def _plan(client: Client) -> str:
    """The work-plan tables (the page around them carries a fresh CSRF token each time)."""
    response = client.get("/rencana-kerja/")
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<section class="program">') : page.index("</main>")]


def test_a_change_that_bypasses_save_is_shown_at_once(reader: Client) -> None:
    assert "Sosialisasi bersama yang diperbarui" not in _plan(reader)
    Activity.objects.filter(program__number=2, letter="e").update(title="Sosialisasi bersama yang diperbarui")
    assert "Sosialisasi bersama yang diperbarui" in _plan(reader)


def test_a_retired_unit_leaves_the_cached_table(reader: Client) -> None:
    unit = ResponsibleUnit.objects.select_related("organization").filter(organization__short_name="Dinsos").first()
    assert unit is not None and f'title="{unit.organization.name}"' in _plan(reader)
    ResponsibleUnit.objects.filter(organization=unit.organization).update(
        retired_on="2026-01-01", retired_basis="Adendum uji"
    )
    assert f'title="{unit.organization.name}"' not in _plan(reader)


def test_an_unchanged_plan_is_not_fetched_again(reader: Client) -> None:
    first = _plan(reader)
    with CaptureQueriesContext(connection) as again:
        second = _plan(reader)
    assert second == first
    assert not any(q["sql"].startswith('SELECT "workplan_activity".') for q in again.captured_queries)


def test_the_fingerprint_follows_every_plan_table(seeded_mou: Agreement, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        before = plan_fingerprint()
    Agreement.objects.filter(pk=seeded_mou.pk).update(signed_place="Jakarta Pusat")
    assert plan_fingerprint() != before


def test_the_matrix_shows_a_status_set_behind_its_back_and_skips_the_rows_on_a_hit(
    reader: Client, seeded_mou: Agreement
) -> None:
    unit = ResponsibleUnit.objects.filter(
        responsibility__activity__letter="c", responsibility__activity__program__number=1
    )
    year = seeded_mou.plan_years[0]
    setter = User.objects.create_user("sekretariat", role=Role.SECRETARIAT)
    YearlyStatus.objects.bulk_create([YearlyStatus(unit=u, year=year, status="berjalan", set_by=setter) for u in unit])
    assert reader.get("/rencana-kerja/matriks/").text.count('data-status="berjalan"') == 1
    with CaptureQueriesContext(connection) as again:
        reader.get("/rencana-kerja/matriks/")
    assert not any(q["sql"].startswith('SELECT "workplan_yearlystatus".') for q in again.captured_queries)
    YearlyStatus.objects.filter(unit__in=unit, year=year).update(status="selesai")
    page = reader.get("/rencana-kerja/matriks/").text
    assert 'data-status="berjalan"' not in page and page.count('data-status="selesai"') == 1
