"""After the MoU is terminated (Pasal 13): the coordination's clocks stop, the sanction (PP 86/2013) stays.

Terminated by a Berita Acara signed 20 June 2025, effective 1 July 2025.
"""

import datetime

import pytest

from clauses.services import termination_record
from compliance import tasks
from compliance.deadlines import compliance_due_items
from compliance.models import CaseEvent, coordination_ended_on
from compliance.states import Status, TransitionRefused
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import STEPS, drive, on, take_step
from workplan.models import Agreement

pytestmark = pytest.mark.django_db
D = datetime.date
END = D(2025, 7, 1)
LATER = datetime.timedelta(days=9)


@pytest.fixture
def terminate(people):
    mou = Agreement.objects.create(
        number="1 Tahun 2025", second_number="PKS/1/2025", title="Nota Kesepakatan", signed_on=D(2025, 2, 4),
        signed_place="Jakarta", starts_on=D(2025, 2, 4), ends_on=D(2030, 2, 3),
    )  # fmt: skip

    def run():
        termination_record(
            agreement=mou, number="BA/01/2025", ground="kesepakatan", ground_detail="",
            signed_on=D(2025, 6, 20), effective_on=END, first_party_signatory="Sekretaris Daerah",
            second_party_signatory="Kepala Kanwil", by=people["sekretariat"],
        )  # fmt: skip

    return run


def overdue_flags(case):
    case.refresh_from_db()
    return case.overdue_since, case.events.filter(action=CaseEvent.OVERDUE).count()


def test_only_deadlines_before_the_effective_date_are_flagged_and_escalated(people, terminate):
    before = CaseFactory(deadline=D(2025, 6, 25))
    after = CaseFactory(deadline=END + LATER)
    with on(D(2025, 6, 26)):
        assert sorted(item.due_on for item in compliance_due_items(until=D(2025, 7, 31))) == [
            D(2025, 6, 25),
            END + LATER,
        ]
    terminate()
    assert coordination_ended_on() == END
    with on(D(2025, 6, 27)):  # signed, not yet in effect: only what falls before 1 July
        assert [item.due_on for item in compliance_due_items(until=D(2025, 7, 31))] == [D(2025, 6, 25)]
    with on(D(2025, 7, 15)):
        assert tasks.flag_overdue_steps() == {"cases": 1, "followups": 0}
        assert tasks.flag_overdue_steps() == {"cases": 0, "followups": 0}
        assert list(compliance_due_items(until=D(2025, 12, 31))) == []  # nothing reminded, nothing escalated
    assert overdue_flags(before) == (D(2025, 7, 15), 1)
    assert overdue_flags(after) == (None, 0)


def test_the_laws_warning_period_still_runs_and_local_slas_give_no_deadline(case, people, terminate):
    terminate()
    with on(D(2025, 7, 7)):
        case.issue_first_warning(by=people["bpjs"])
    assert case.deadline == D(2025, 7, 21)  # 10 working days, PP 86/2013 Pasal 6
    with on(D(2025, 7, 21)), pytest.raises(TransitionRefused, match="Teguran tertulis I masih berjalan"):
        case.issue_second_warning(by=people["bpjs"])
    other = CaseFactory()
    with on(D(2025, 7, 7)):
        other.start_guidance(by=people["bpjs"])
    assert other.status == Status.GUIDANCE and other.deadline is None


def test_a_sanction_in_force_stays_and_can_still_be_revoked(case, people, terminate):
    drive(case, people, until=Status.SERVICES_WITHHELD)  # withheld 16 July 2025
    terminate()
    case.refresh_from_db()
    assert case.status == Status.SERVICES_WITHHELD  # termination lifts no sanction
    for status, day in STEPS[-2:]:  # revocation requested 4 August, revoked 6 August 2025
        with on(day):
            take_step(case, people, status)
    case.refresh_from_db()
    assert case.status == Status.REVOKED and case.revocation_number == "e-0002/PN.01.00"
