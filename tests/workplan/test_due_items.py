"""Quarterly progress reports as due items: open until submitted, open again when returned, within the term."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from notifications.registry import DueItem, due_items
from tests.workplan.progress_fixtures import YEAR, filled_report, personas, unit_of
from workplan.due import workplan_due_items
from workplan.models import Agreement, quarter_due_date

__all__ = ["personas"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def q1_due(db: None) -> datetime.date:
    return quarter_due_date(YEAR, 1)


def items_for(unit_pk: int, *, until: datetime.date) -> dict[str, DueItem]:
    return {
        item.key: item for item in workplan_due_items(until=until) if item.key.startswith(f"workplan.report:{unit_pk}:")
    }


def test_a_report_not_yet_submitted_is_due_for_the_units_active_users(seeded_mou, personas, q1_due):
    unit = unit_of(seeded_mou, "1c", "DPPKUKM")
    User.objects.create_user("mantan", role=Role.DINAS_STAFF, organization=unit.organization, is_active=False)
    items = items_for(unit.pk, until=q1_due)
    item = items[f"workplan.report:{unit.pk}:{YEAR}:1"]
    assert item.due_on == q1_due > datetime.date(YEAR, 3, 31)
    assert item.recipients == frozenset({personas["owner"].pk})
    assert item.organization_id == unit.organization_id
    assert item.url == reverse("workplan:report-new", args=[unit.pk, YEAR, 1])
    assert f"workplan.report:{unit.pk}:{YEAR}:2" not in items  # Q2 is not due yet
    assert not items_for(unit.pk, until=q1_due - datetime.timedelta(days=1))


def test_submitting_closes_the_item_and_returning_opens_it_again(seeded_mou, personas, q1_due):
    unit = unit_of(seeded_mou, "1c", "DPPKUKM")
    key = f"workplan.report:{unit.pk}:{YEAR}:1"
    report = filled_report(unit, personas["owner"])
    assert key in items_for(unit.pk, until=q1_due)  # a draft is still owed
    report.submit(by=personas["owner"])
    assert key not in items_for(unit.pk, until=q1_due)
    report.return_(by=personas["secretariat"], reason="Lampirkan daftar hadir.")
    assert key in items_for(unit.pk, until=q1_due)
    report.submit(by=personas["owner"])
    report.approve(by=personas["secretariat"])
    assert key not in items_for(unit.pk, until=datetime.date(YEAR + 1, 1, 1))


def test_the_registry_carries_the_items_tagged_with_their_source(seeded_mou, personas, q1_due):
    unit = unit_of(seeded_mou, "1c", "Dishub")
    found = [item for item in due_items(until=q1_due) if item.key == f"workplan.report:{unit.pk}:{YEAR}:1"]
    assert len(found) == 1 and found[0].source == "workplan"
    assert found[0].recipients == frozenset({personas["other"].pk})


def test_no_report_is_due_for_a_quarter_that_begins_after_the_term(seeded_mou, personas):
    unit = unit_of(seeded_mou, "1c", "DPPKUKM")
    Agreement.objects.filter(pk=seeded_mou.pk).update(ends_on=datetime.date(YEAR, 5, 15))
    keys = set(items_for(unit.pk, until=datetime.date(YEAR + 3, 1, 31)))
    assert keys == {f"workplan.report:{unit.pk}:{YEAR}:1", f"workplan.report:{unit.pk}:{YEAR}:2"}


def test_a_terminated_agreement_has_no_reports_due(seeded_mou, personas):
    Agreement.objects.filter(pk=seeded_mou.pk).update(status=Agreement.Status.TERMINATED)
    assert list(workplan_due_items(until=datetime.date(YEAR + 1, 1, 31))) == []


def test_the_query_count_does_not_grow_with_the_items(seeded_mou, personas):
    with CaptureQueriesContext(connection) as queries:
        items = list(workplan_due_items(until=datetime.date(YEAR + 1, 1, 31)))
    assert len(items) > 50
    assert len(queries) <= 5
