"""The case list's table is rendered once per version of the rows it shows, and never shows stale or
someone else's rows (compliance/case_table.py)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from compliance.case_table import CaseRow
from compliance.models import SanctionCase
from compliance.states import Status
from registry.models import Employer, Region
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def _table(client: Client, **params: str) -> str:
    """The table (the page around it carries a fresh CSRF token each time)."""
    response = client.get(reverse("compliance:cases"), params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<div id="cases">') : page.index("</main>")]


@pytest.fixture
def bpjs(client: Client, people: dict[str, Any]) -> Client:
    client.force_login(people["bpjs"])
    return client


def test_a_status_set_by_update_shows_at_once(bpjs: Client) -> None:
    case = CaseFactory(employer=EmployerFactory(name="PT Diperbarui"))
    assert "Teguran tertulis I<" not in _table(bpjs)
    SanctionCase.objects.filter(pk=case.pk).update(status=Status.WARNING_1)
    assert '<span class="case-state">Teguran tertulis I</span>' in _table(bpjs)


def test_an_employer_or_region_renamed_behind_its_back_shows_at_once(bpjs: Client) -> None:
    case = CaseFactory(employer=EmployerFactory(name="PT Nama Lama"))
    assert "PT Nama Lama" in _table(bpjs)
    Employer.objects.filter(pk=case.employer_id).update(name="PT Nama Baru", npp="NB000001")
    table = _table(bpjs)
    assert "PT Nama Baru" in table and "NB000001" in table and "PT Nama Lama" not in table
    Region.objects.filter(pk=case.employer.region_id).update(name="Wilayah Uji Berganti")
    assert "Wilayah Uji Berganti" in _table(bpjs)


def test_a_case_added_or_removed_changes_the_count_and_the_rows(bpjs: Client) -> None:
    CaseFactory(employer=EmployerFactory(name="PT Pertama"))
    assert "1 kasus" in _table(bpjs)
    second = CaseFactory(employer=EmployerFactory(name="PT Kedua"))
    table = _table(bpjs)
    assert "2 kasus" in table and "PT Kedua" in table
    SanctionCase.objects.filter(pk=second.pk).delete()
    table = _table(bpjs)
    assert "1 kasus" in table and "PT Kedua" not in table


def test_an_agency_never_gets_the_table_rendered_for_bpjs_nor_bpjs_the_agencys(
    client: Client, people: dict[str, Any]
) -> None:
    recommended = CaseFactory(employer=EmployerFactory(name="PT Direkomendasikan"))
    drive(recommended, people, until=Status.RECOMMENDED)
    CaseFactory(employer=EmployerFactory(name="PT Belum Direkomendasikan"))
    for first, then in (("bpjs", "dpmptsp"), ("dpmptsp", "bpjs"), ("citata", "bpjs")):
        client.force_login(people[first])
        _table(client)
        client.force_login(people[then])
        table = _table(client)
        assert ("PT Belum Direkomendasikan" in table) == (then == "bpjs")
        assert "PT Direkomendasikan" in table


def test_a_repeat_renders_no_row_and_gives_the_same_bytes(bpjs: Client) -> None:
    CaseFactory.create_batch(3)
    first = _table(bpjs)
    with mock.patch.object(CaseRow, "status_label", new_callable=mock.PropertyMock) as label:
        again = _table(bpjs)
        assert not label.called
    assert again == first
    with mock.patch.object(CaseRow, "status_label", new_callable=mock.PropertyMock, return_value="x"):
        assert _table(bpjs, status="teridentifikasi") != first  # another filter: rendered, not served


def test_the_english_table_is_cached_apart(bpjs: Client) -> None:
    CaseFactory()
    assert "Teridentifikasi" in _table(bpjs)
    bpjs.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    table = _table(bpjs)
    assert "Identified" in table and "Teridentifikasi" not in table


def test_the_filter_form_shows_a_renamed_region_and_keeps_the_chosen_one(bpjs: Client) -> None:
    north = Region.objects.get(kode_bps="3175")
    page = bpjs.get(reverse("compliance:cases")).content.decode()
    assert f'<option value="{north.pk}">{north.name}</option>' in page
    Region.objects.filter(pk=north.pk).update(name="Jakarta Utara Baru")
    page = bpjs.get(reverse("compliance:cases"), {"region": north.pk}).content.decode()
    assert f'<option value="{north.pk}" selected>Jakarta Utara Baru</option>' in page
    page = bpjs.get(reverse("compliance:cases")).content.decode()
    assert f'<option value="{north.pk}">Jakarta Utara Baru</option>' in page


def test_the_dashboard_shows_a_change_at_once_and_to_each_user_their_own_counts(
    client: Client, people: dict[str, Any]
) -> None:
    recommended = CaseFactory(employer=EmployerFactory(name="PT Direkomendasikan"))
    drive(recommended, people, until=Status.RECOMMENDED)
    other = CaseFactory()
    url = reverse("compliance:dashboard")
    client.force_login(people["bpjs"])
    assert "<strong>2</strong> kasus" in client.get(url).content.decode()
    client.force_login(people["dpmptsp"])
    assert "<strong>1</strong> kasus" in client.get(url).content.decode()
    client.force_login(people["bpjs"])
    SanctionCase.objects.filter(pk=other.pk).update(status=Status.COMPLIANT)
    page = client.get(url).content.decode()
    assert "<strong>2</strong> kasus" in page and "<strong>1</strong> masih berjalan" in page
