import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import access
from compliance.states import Category, Status
from compliance.stats import case_stats
from registry.models import Region
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cases(people):
    north = Region.objects.get(kode_bps="3175")
    recommended = CaseFactory(opened_on=D(2025, 6, 2))
    drive(recommended, people, until=Status.SERVICES_WITHHELD)
    CaseFactory(employer=EmployerFactory(region=north), category=Category.PDS_UPAH, opened_on=D(2025, 3, 1))
    CaseFactory(overdue_since=D(2025, 6, 20), opened_on=D(2025, 6, 5))
    CaseFactory(status=Status.COMPLIANT, opened_on=D(2024, 11, 1))
    return recommended


def values(bars):
    return {bar.label: bar.value for bar in bars if bar.value}


def test_counts_by_state_city_category_and_unit(people, cases):
    numbers = case_stats(access.cases_for_user(people["bpjs"]), opened_from=None, opened_to=None)
    assert (numbers.total, numbers.open, numbers.overdue) == (4, 3, 1)
    assert values(numbers.funnel) == {"Teridentifikasi": 2, "Layanan ditahan (TMP2T aktif)": 1, "Selesai: patuh": 1}
    assert values(numbers.by_region) == {"Kota Administrasi Jakarta Selatan": 2, "Kota Administrasi Jakarta Utara": 1}
    assert values(numbers.by_category)["PDS Upah (daftar sebagian upah)"] == 1
    (unit,) = numbers.units
    assert (unit.unit, unit.requested, unit.withheld, unit.released, unit.revoked) == ("DPMPTSP", 0, 1, 0, 0)
    assert values(numbers.overdue_by_step) == {"Teridentifikasi": 1}


def test_revoked_sanctions_are_counted_per_unit(people):
    case = CaseFactory(opened_on=D(2025, 6, 2))
    drive(case, people, until=Status.REVOKED)
    (unit,) = case_stats(access.cases_for_user(people["bpjs"]), opened_from=None, opened_to=None).units
    assert (unit.unit, unit.withheld, unit.revoked) == ("DPMPTSP", 1, 1)


def test_the_period_filters_by_identification_date(people, cases):
    numbers = case_stats(access.cases_for_user(people["bpjs"]), opened_from=D(2025, 6, 1), opened_to=D(2025, 6, 30))
    assert numbers.total == 2


def test_an_agency_counts_only_its_cases(people, cases):
    numbers = case_stats(access.cases_for_user(people["dpmptsp"]), opened_from=None, opened_to=None)
    assert numbers.total == 1
    assert case_stats(access.cases_for_user(people["citata"]), opened_from=None, opened_to=None).total == 0


def test_the_dashboard_page_in_a_fixed_number_of_queries(client, people, cases):
    client.force_login(people["sekretariat"])
    with CaptureQueriesContext(connection) as before:
        response = client.get(reverse("compliance:dashboard"), {"opened_from": "2025-01-01"})
    page = response.content.decode()
    assert response.status_code == 200 and "Kota Administrasi Jakarta Utara" in page and "<meter" in page
    assert "Tahap yang melewati batas waktu" in page and "Sanksi dicabut" in page
    CaseFactory.create_batch(10)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("compliance:dashboard"), {"opened_from": "2025-01-01"})
    assert len(before) == len(after)


def test_the_counts_of_cases_are_one_query_beside_the_regions_and_the_follow_ups(people, cases):
    """Funnel, regions, categories and overdue steps in one grouped query (they were four scans)."""
    scoped = access.cases_for_user(people["dpmptsp"])
    with CaptureQueriesContext(connection) as queries:
        numbers = case_stats(scoped, opened_from=D(2025, 1, 1), opened_to=None)
    assert len(queries) == 3
    assert numbers.total == 1 and values(numbers.funnel) == {"Layanan ditahan (TMP2T aktif)": 1}
