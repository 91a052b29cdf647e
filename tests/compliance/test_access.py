"""Personas: BPJS officer, secretariat, the unit a case was sent to, another unit, leadership, outsider."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from compliance.access import cases_for_user, get_case_for_user, get_followup_for_user
from compliance.states import Status
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(people):
    """A case recommended to DPMPTSP (business licences) only, and one not yet recommended."""
    case = CaseFactory()
    drive(case, people, until=Status.RECOMMENDED)
    return case, CaseFactory()


@pytest.mark.parametrize("who", ["bpjs", "sekretariat", "pimpinan"])
def test_bpjs_secretariat_and_leadership_see_every_case(people, sent, who):
    assert set(cases_for_user(people[who])) == set(sent)
    for case in sent:
        assert get_case_for_user(people[who], case.pk) == case


def test_an_agency_sees_only_the_cases_sent_to_its_unit(people, sent):
    recommended, other = sent
    assert list(cases_for_user(people["dpmptsp"])) == [recommended]
    assert get_case_for_user(people["dpmptsp"], recommended.pk) == recommended
    with pytest.raises(Http404):
        get_case_for_user(people["dpmptsp"], other.pk)


def test_an_agency_never_sees_another_agencys_cases(people, sent):
    recommended, _ = sent
    assert list(cases_for_user(people["citata"])) == []
    with pytest.raises(Http404):
        get_case_for_user(people["citata"], recommended.pk)
    with pytest.raises(Http404):
        get_followup_for_user(people["citata"], recommended.followups.get().pk)


def test_a_case_sent_to_two_units_is_listed_once_for_each(people):
    case = CaseFactory()
    drive(case, people, until=Status.VERIFICATION)
    with on(datetime.date(2025, 7, 14)):
        case.issue_recommendation(by=people["sekretariat"], number="e-1", services=["perizinan_berusaha", "pbg"])
    assert list(cases_for_user(people["citata"])) == [case]
    assert list(cases_for_user(people["dpmptsp"])) == [case]
    followups = {f.service: f for f in case.followups.all()}
    assert get_followup_for_user(people["citata"], followups["pbg"].pk, write=True) == followups["pbg"]
    with pytest.raises(Http404):
        get_followup_for_user(people["citata"], followups["perizinan_berusaha"].pk)


@pytest.mark.parametrize("who", ["dishub", None])
def test_other_dinas_staff_and_anonymous_visitors_see_nothing(people, sent, who):
    user = people[who] if who else AnonymousUser()
    assert list(cases_for_user(user)) == []
    with pytest.raises(Http404):
        get_case_for_user(user, sent[0].pk)


def test_an_inactive_account_sees_nothing(people, sent):
    people["bpjs"].is_active = False
    assert list(cases_for_user(people["bpjs"])) == []


def test_leadership_reads_but_may_not_write(people, sent):
    case = sent[0]
    assert get_case_for_user(people["pimpinan"], case.pk) == case
    with pytest.raises(PermissionDenied):
        get_case_for_user(people["pimpinan"], case.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_followup_for_user(people["pimpinan"], case.followups.get().pk, write=True)


def test_bpjs_reads_follow_ups_but_only_units_and_the_secretariat_record_them(people, sent):
    followup = sent[0].followups.get()
    assert get_followup_for_user(people["bpjs"], followup.pk) == followup
    with pytest.raises(PermissionDenied):
        get_followup_for_user(people["bpjs"], followup.pk, write=True)
    assert get_followup_for_user(people["sekretariat"], followup.pk, write=True) == followup
    assert get_followup_for_user(people["dpmptsp"], followup.pk, write=True) == followup
