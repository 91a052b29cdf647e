"""Undelivered exchange periods as due items: for the sending unit's staff, gone once delivered."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from dataexchange.due import exchange_due_items
from dataexchange.models import ExchangePeriod
from dataexchange.schedule import periods_open
from notifications.registry import due_items
from workplan.models import Agreement

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
APRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def period(personas: dict[str, Any]) -> ExchangePeriod:
    periods_open(today=APRIL)
    return ExchangePeriod.objects.filter(year=2025, quarter=2, unit=personas["bpjs"].organization).first()


def keys(*, until: datetime.date) -> set[str]:
    return {item.key for item in exchange_due_items(until=until)}


def test_an_undelivered_period_is_due_for_the_sending_units_active_staff(period, personas):
    User.objects.create_user("mantan", role=Role.BPJS_OFFICER, organization=period.unit, is_active=False)
    items = {item.key: item for item in exchange_due_items(until=period.due_on)}
    item = items[f"dataexchange.period:{period.pk}"]
    assert item.due_on == period.due_on
    assert item.recipients == frozenset({personas["bpjs"].pk})
    assert item.organization_id == period.unit_id
    assert item.url == reverse("dataexchange:period", args=[period.pk])
    assert f"dataexchange.period:{period.pk}" not in keys(until=period.due_on - datetime.timedelta(days=1))


def test_a_delivered_period_is_no_longer_due(period):
    key = f"dataexchange.period:{period.pk}"
    assert key in keys(until=period.due_on + datetime.timedelta(days=30))  # overdue ones stay
    period.mark_delivered(datetime.datetime(2025, 4, 10, 9, tzinfo=JAKARTA))
    assert key not in keys(until=period.due_on + datetime.timedelta(days=30))


def test_the_registry_carries_the_items_tagged_with_their_source(period):
    found = [item for item in due_items(until=period.due_on) if item.key == f"dataexchange.period:{period.pk}"]
    assert len(found) == 1 and found[0].source == "dataexchange"


def test_periods_opening_after_the_term_or_of_a_terminated_agreement_are_not_due(period, seeded_mou):
    later = period.due_on + datetime.timedelta(days=30)
    Agreement.objects.filter(pk=seeded_mou.pk).update(ends_on=APRIL - datetime.timedelta(days=1))
    assert keys(until=later) == set()
    Agreement.objects.filter(pk=seeded_mou.pk).update(ends_on=APRIL, status=Agreement.Status.TERMINATED)
    assert keys(until=later) == set()
    Agreement.objects.filter(pk=seeded_mou.pk).update(status=Agreement.Status.IN_FORCE)
    assert f"dataexchange.period:{period.pk}" in keys(until=later)


def test_the_query_count_does_not_grow_with_the_periods(period):
    with CaptureQueriesContext(connection) as queries:
        items = list(exchange_due_items(until=period.due_on))
    assert len(items) == ExchangePeriod.objects.filter(year=2025, quarter=2).count() > 1
    assert len(queries) == 2
