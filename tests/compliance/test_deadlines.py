"""Sanction steps feed the digest, calendar and escalation through the notifications registry."""

import datetime

import pytest

from compliance.deadlines import compliance_due_items
from compliance.states import Status
from notifications.registry import due_items
from tests.compliance.journey import drive, on

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_warning_is_due_for_bpjs_officers(case, people):
    drive(case, people, until=Status.WARNING_1)
    (item,) = compliance_due_items(until=D(2025, 6, 30))
    assert item.due_on == D(2025, 6, 16)
    assert item.recipients == {people["bpjs"].pk}
    assert item.organization_id == people["bpjs"].organization_id
    assert case.employer.name in item.title and item.url.endswith(f"/kasus/{case.pk}/")
    assert list(compliance_due_items(until=D(2025, 6, 15))) == []


def test_verification_is_due_for_the_secretariat(case, people):
    drive(case, people, until=Status.VERIFICATION)
    (item,) = compliance_due_items(until=D(2025, 12, 31))
    assert item.recipients == {people["sekretariat"].pk}


def test_each_unit_is_reminded_only_of_its_own_follow_up(case, people):
    drive(case, people, until=Status.RECOMMENDED)
    (item,) = compliance_due_items(until=D(2025, 12, 31))
    assert item.recipients == {people["dpmptsp"].pk}
    assert item.organization_id == people["dpmptsp"].organization_id
    assert "DPMPTSP" in item.title


def test_keys_change_when_the_step_changes_and_closed_cases_drop_out(case, people):
    drive(case, people, until=Status.WARNING_1)
    (first,) = compliance_due_items(until=D(2025, 12, 31))
    with on(D(2025, 6, 17)):
        case.issue_second_warning(by=people["bpjs"])
    (second,) = compliance_due_items(until=D(2025, 12, 31))
    assert first.key != second.key and second.due_on == D(2025, 7, 1)
    with on(D(2025, 6, 18)):
        case.mark_compliant(by=people["bpjs"])
    assert list(compliance_due_items(until=D(2025, 12, 31))) == []


def test_the_provider_is_registered_with_notifications(case, people):
    drive(case, people, until=Status.WARNING_1)
    assert [item.source for item in due_items(until=D(2025, 12, 31)) if item.key.startswith("compliance.")] == [
        "compliance"
    ]
