import datetime

import pytest
import time_machine

from compliance import tasks
from compliance.models import CaseEvent, SanctionCase
from compliance.services import case_identify, cases_flag_overdue
from compliance.states import Category, Status
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def overdue_events(case):
    return list(case.events.filter(action=CaseEvent.OVERDUE).values_list("note", flat=True))


def test_a_step_is_flagged_the_day_after_its_deadline_and_only_once(case, people):
    with on(D(2025, 6, 2)):
        case.issue_first_warning(by=people["bpjs"])  # deadline 16 June
    assert cases_flag_overdue(today=D(2025, 6, 16)).cases == 0
    assert cases_flag_overdue(today=D(2025, 6, 17)).cases == 1
    assert cases_flag_overdue(today=D(2025, 6, 17)).cases == 0
    assert cases_flag_overdue(today=D(2025, 6, 18)).cases == 0
    case.refresh_from_db()
    assert case.overdue_since == D(2025, 6, 17)
    assert overdue_events(case) == ["Tahap 'Teguran tertulis I' melewati batas waktu 16 Juni 2025."]


def test_moving_on_clears_the_flag_and_the_next_step_can_be_flagged_again(case, people):
    with on(D(2025, 6, 2)):
        case.issue_first_warning(by=people["bpjs"])
    cases_flag_overdue(today=D(2025, 6, 17))
    with on(D(2025, 6, 17)):
        case.issue_second_warning(by=people["bpjs"])  # deadline 1 July
    assert case.overdue_since is None
    assert cases_flag_overdue(today=D(2025, 7, 2)).cases == 1
    assert len(overdue_events(case)) == 2


def test_closed_cases_and_steps_without_a_limit_are_never_flagged(people):
    closed = CaseFactory()
    with on(D(2025, 6, 2)):
        closed.issue_first_warning(by=people["bpjs"])
        closed.mark_compliant(by=people["bpjs"])
    CaseFactory(status=Status.SERVICES_WITHHELD, deadline=None)
    assert cases_flag_overdue(today=D(2026, 1, 1)).cases == 0


def test_a_service_unit_late_to_withhold_is_flagged_by_name(case, people):
    drive(case, people, until=Status.RECOMMENDED)  # follow-up due 28 July
    result = cases_flag_overdue(today=D(2025, 7, 29))
    assert (result.cases, result.followups) == (1, 1)
    assert "DPMPTSP belum mencatat 'layanan ditahan' sampai batas waktu 28 Juli 2025." in overdue_events(case)
    assert cases_flag_overdue(today=D(2025, 7, 30)) == type(result)(cases=0, followups=0)
    followup = case.followups.get()
    with on(D(2025, 7, 30)):
        followup.record_withheld(by=people["dpmptsp"], reference_number="S-9")
    followup.refresh_from_db()
    assert followup.overdue_since is None and followup.due_on is None


def test_a_service_unit_late_to_restore_is_flagged(case, people):
    drive(case, people, until=Status.REVOKED)  # restore due 13 August
    result = cases_flag_overdue(today=D(2025, 8, 14))
    assert (result.cases, result.followups) == (0, 1)
    assert "'layanan dipulihkan'" in overdue_events(case)[-1]


def test_the_task_flags_with_todays_jakarta_date(case, people):
    with on(D(2025, 6, 2)):
        case.issue_first_warning(by=people["bpjs"])
    # 17:30 UTC on 16 June is already 17 June in Jakarta, the day after the deadline.
    with time_machine.travel(datetime.datetime(2025, 6, 16, 17, 30, tzinfo=datetime.UTC), tick=False):
        assert tasks.flag_overdue_steps.apply().get() == {"cases": 1, "followups": 0}
        assert tasks.flag_overdue_steps.apply().get() == {"cases": 0, "followups": 0}


def test_case_identify_opens_one_case_and_is_idempotent(people):
    employer = EmployerFactory()
    first, created = case_identify(
        employer=employer, category=Category.PWBD, opened_on=D(2025, 6, 2), by=people["bpjs"], expected_workers=40
    )
    again, created_again = case_identify(
        employer=employer, category=Category.PWBD, opened_on=D(2025, 6, 9), by=people["bpjs"], expected_workers=40
    )
    assert (created, created_again, first) == (True, False, again)
    assert first.deadline == D(2025, 6, 16)  # "teridentifikasi" SLA: 10 working days
    assert list(first.events.values_list("action", flat=True)) == [CaseEvent.OPENED]
    other, created_other = case_identify(
        employer=employer, category=Category.PDS_UPAH, opened_on=D(2025, 6, 2), by=people["bpjs"]
    )
    assert created_other and other != first
    assert SanctionCase.objects.filter(employer=employer).count() == 2


def test_case_identify_updates_the_figures_of_the_open_case(people):
    employer = EmployerFactory()
    case, _ = case_identify(employer=employer, category=Category.PDS_TK, opened_on=D(2025, 6, 2), by=None)
    case_identify(
        employer=employer,
        category=Category.PDS_TK,
        opened_on=D(2025, 9, 1),
        by=None,
        registered_workers=12,
        reference_period="2025-Q3",
    )
    case.refresh_from_db()
    assert (case.registered_workers, case.reference_period, case.opened_on) == (12, "2025-Q3", D(2025, 6, 2))
