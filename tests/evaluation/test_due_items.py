"""A final annual report awaiting a party's approval is a due item for that party's approvers, until it approves."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Role, User
from core.workdays import add_working_days
from evaluation.due import evaluation_due_items
from evaluation.models import EvaluationReport
from notifications.registry import due_items
from tests.evaluation.conftest import YEAR
from tests.workplan.progress_fixtures import personas
from workplan.models import Agreement, Side

__all__ = ["personas"]
pytestmark = pytest.mark.django_db
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
FINALISED = datetime.datetime(2026, 1, 9, 23, 30, tzinfo=JAKARTA)  # 16:30 UTC: still the 9th in Jakarta


@pytest.fixture
def due(db: None) -> datetime.date:
    return add_working_days(datetime.date(2026, 1, 9), 10)  # at least two weeks, more across a holiday


@pytest.fixture
def final(seeded_mou: Agreement, personas: dict[str, Any]) -> EvaluationReport:
    return EvaluationReport.objects.create(
        agreement=seeded_mou,
        year=YEAR,
        version=1,
        state=EvaluationReport.State.FINAL,
        recommendations="Lanjutkan.",
        finalised_by=personas["secretariat"],
        finalised_at=FINALISED,
    )


def by_key(*, until: datetime.date) -> dict[str, Any]:
    return {item.key: item for item in evaluation_due_items(until=until)}


def test_each_party_that_has_not_approved_gets_an_item_for_its_approvers(final, personas, settings, due):
    settings.EVALUATION_APPROVAL_WORKING_DAYS = 10
    User.objects.create_user("sekretariat.lama", role=Role.SECRETARIAT, is_active=False)
    items = by_key(until=due)
    first, second = items[f"evaluation.approval:{final.pk}:1"], items[f"evaluation.approval:{final.pk}:2"]
    assert len(items) == 2 and first.due_on == second.due_on == due >= datetime.date(2026, 1, 23)
    assert first.recipients == frozenset({personas["secretariat"].pk})
    assert second.recipients == frozenset({personas["bpjs"].pk})
    assert first.url == reverse("evaluation:report", args=[final.pk])
    assert by_key(until=due - datetime.timedelta(days=1)) == {}


def test_an_approval_closes_that_partys_item_and_the_second_closes_the_report(final, personas, due):
    final.approve(by=personas["bpjs"])
    assert set(by_key(until=due)) == {f"evaluation.approval:{final.pk}:{Side.FIRST}"}
    final.approve(by=personas["secretariat"])
    assert by_key(until=due + datetime.timedelta(days=365)) == {}


def test_drafts_and_terminated_agreements_have_no_items(final, seeded_mou, due):
    EvaluationReport.objects.filter(pk=final.pk).update(state=EvaluationReport.State.DRAFT)
    assert by_key(until=due) == {}
    EvaluationReport.objects.filter(pk=final.pk).update(state=EvaluationReport.State.FINAL)
    Agreement.objects.filter(pk=seeded_mou.pk).update(status=Agreement.Status.TERMINATED)
    assert by_key(until=due) == {}


def test_the_due_date_follows_the_setting(final, settings, due):
    settings.EVALUATION_APPROVAL_WORKING_DAYS = 5
    expected = add_working_days(datetime.date(2026, 1, 9), 5)
    assert {item.due_on for item in evaluation_due_items(until=due)} == {expected} != {due}


def test_the_registry_carries_the_items_tagged_with_their_source(final, due):
    found = [item for item in due_items(until=due) if item.key.startswith(f"evaluation.approval:{final.pk}:")]
    assert len(found) == 2 and {item.source for item in found} == {"evaluation"}
