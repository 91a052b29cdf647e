"""Two beat processes by mistake: every scheduled job run twice at the same moment creates nothing twice.

Each job's service runs in two threads released together by a barrier, each on its own database
connection (PostgreSQL, no mocks); the rows and messages created must be what one run creates.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from clauses.models import ForceMajeure, TermReminder
from clauses.services import force_majeure_deem_agreed, term_reminders_send
from compliance.models import CaseEvent, SanctionCase, ServiceFollowUp
from compliance.services import cases_flag_overdue
from compliance.states import Status
from dataexchange.models import ExchangePeriod, Submission
from dataexchange.schedule import periods_mark_overdue, periods_open, periods_remind, submissions_purge
from dataexchange.seed import streams_ensure
from evaluation.models import EvaluationReport
from evaluation.services import reports_due
from notifications.models import Digest, EscalationStep, Notification, Preference, UnitHead
from notifications.registry import DueItem
from notifications.services import digests_send, escalations_run, notify
from tests.clauses.conftest import make_user as make_clause_user
from tests.clauses.test_force_majeure import record as record_force_majeure
from tests.compliance.factories import CaseFactory
from tests.dataexchange.conftest import VALID, csv_file, write
from tests.dataexchange.test_upload_command import upload_list, upload_members
from tests.notifications.conftest import make_user as make_notified_user
from tests.notifications.conftest import provided  # noqa: F401 (fixture)
from workplan.models import Agreement, Institution, Organization

pytestmark = pytest.mark.django_db(transaction=True)


def twice_at_once(job: Callable[[], Any]) -> list[Any]:
    """Run ``job`` in two threads released at the same instant; their results."""
    start, results, errors = threading.Barrier(2), [], []

    def beat() -> None:
        start.wait()
        try:
            results.append(job())
        except Exception as error:  # re-raised below: a crashed beat must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def agreement(seeded_mou: Agreement) -> Agreement:
    streams_ensure(agreement=seeded_mou)
    return seeded_mou


def test_two_beats_open_each_exchange_period_once(agreement: Agreement) -> None:
    today = datetime.date(2025, 7, 1)

    opened = twice_at_once(lambda: periods_open(today=today))

    count = ExchangePeriod.objects.filter(year=2025, quarter=3).count()
    assert count > 0
    assert sum(opened) == count  # one beat opened them, the other found them open
    assert periods_open(today=today) == 0


def test_two_beats_remind_each_period_once_and_mark_it_overdue_once(
    agreement: Agreement, django_user_model: Any
) -> None:
    periods_open(today=datetime.date(2025, 7, 1))
    due = ExchangePeriod.objects.filter(year=2025, quarter=3).select_related("unit").order_by("due_on").first()
    assert due is not None
    role = Role.BPJS_OFFICER if due.unit.institution == Institution.BPJS else Role.DINAS_STAFF
    django_user_model.objects.create_user("pengirim", email="pengirim@example.go.id", role=role,
                                          organization=due.unit)  # fmt: skip
    mail.outbox.clear()

    reminded = twice_at_once(lambda: periods_remind(today=due.due_on - datetime.timedelta(days=1)))
    marked = twice_at_once(lambda: periods_mark_overdue(today=due.due_on + datetime.timedelta(days=1)))

    assert len(mail.outbox) == ExchangePeriod.objects.filter(unit=due.unit, due_on=due.due_on).count() > 0
    assert sum(len(r) for r in reminded) == len(mail.outbox)
    assert sum(marked) == ExchangePeriod.objects.exclude(overdue_marked_on=None).count() > 0


def test_two_beats_send_each_term_reminder_once(agreement: Agreement, django_user_model: Any) -> None:
    secretariat = django_user_model.objects.create_user("sekretariat", role=Role.SECRETARIAT)
    point = min(settings.CLAUSES_TERM_REMINDER_DAYS)
    today = agreement.ends_on - datetime.timedelta(days=point)

    twice_at_once(lambda: term_reminders_send(today=today))

    assert TermReminder.objects.filter(agreement=agreement, days_before=point).count() == 1
    assert Notification.objects.filter(recipient=secretariat, key__startswith="clauses.term:").count() == 1
    assert term_reminders_send(today=today) == []


def test_two_beats_make_one_scheduled_annual_report(agreement: Agreement, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    month, day = settings.EVALUATION_REPORT_DAY
    today = datetime.date(2026, month, day)

    made = twice_at_once(lambda: reports_due(today=today))

    assert EvaluationReport.objects.filter(agreement=agreement, year=2025).count() == 1
    assert sum(len(m) for m in made) == 1


def test_two_beats_deem_a_force_majeure_agreed_once_and_tell_each_party_once(agreement: Agreement) -> None:
    secretariat = make_clause_user("sekretariat", Role.SECRETARIAT, "Disnakertransgi")
    make_clause_user("staf.disnaker", Role.DINAS_STAFF, "Disnakertransgi")
    bpjs = make_clause_user("petugas.bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI")
    Preference.objects.create(user=bpjs, delivery=Preference.Delivery.IMMEDIATE)
    event = record_force_majeure(agreement, secretariat)
    mail.outbox.clear()

    marked = twice_at_once(lambda: force_majeure_deem_agreed(today=event.response_due_on + datetime.timedelta(days=1)))

    assert sum(len(m) for m in marked) == 1  # one beat marked it, the other found it marked
    event.refresh_from_db()
    assert event.status == ForceMajeure.Status.DEEMED_AGREED
    told = Notification.objects.filter(key=f"clauses.fm-deemed:{event.pk}").values_list("recipient__username")
    assert sorted(name for (name,) in told) == ["petugas.bpjs", "sekretariat", "staf.disnaker"]
    assert [m.to for m in mail.outbox] == [[bpjs.email]]


def test_two_beats_flag_each_overdue_step_once(agreement: Agreement) -> None:
    cases = CaseFactory.create_batch(5, status=Status.WARNING_1, deadline=datetime.date(2025, 6, 16))
    unit = Organization.objects.get(short_name="DPMPTSP")
    for case in cases[:3]:
        ServiceFollowUp.objects.create(case=case, service=ServiceFollowUp.Service.BUSINESS_LICENCE, unit=unit,
                                       due_on=datetime.date(2025, 6, 16))  # fmt: skip

    flagged = twice_at_once(lambda: cases_flag_overdue(today=datetime.date(2025, 6, 17)))

    assert (sum(r.cases for r in flagged), sum(r.followups for r in flagged)) == (5, 3)
    assert CaseEvent.objects.filter(action=CaseEvent.OVERDUE).count() == 8
    assert SanctionCase.objects.filter(overdue_since=datetime.date(2025, 6, 17)).count() == 5


def test_two_beats_send_one_digest_per_person_and_each_immediate_notice_once(
    provided: list[DueItem],  # noqa: F811
) -> None:
    digest, immediate = make_notified_user("staf.dishub"), make_notified_user("staf.dinsos")
    notify(users=[immediate], key="uji:sebelum", subject="Menunggu ringkasan")  # from before the switch
    Preference.objects.create(user=immediate, delivery=Preference.Delivery.IMMEDIATE)
    provided += [DueItem(key=f"uji:{n}", title=f"Laporan {n}", due_on=datetime.date(2025, 6, n),
                         recipients=frozenset({digest.pk, immediate.pk})) for n in (2, 3)]  # fmt: skip
    mail.outbox.clear()

    results = twice_at_once(lambda: digests_send(today=datetime.date(2025, 6, 2)))

    assert Digest.objects.filter(user=digest).count() == 1
    assert (sum(r.sent for r in results), sum(r.already_sent for r in results)) == (1, 1)
    assert Notification.objects.filter(recipient=immediate).count() == 3  # the earlier entry and one per item
    assert sorted(m.to[0] for m in mail.outbox) == sorted([digest.email] + [immediate.email] * 3)


def test_two_beats_take_each_escalation_step_once(
    provided: list[DueItem],  # noqa: F811
    settings: Any,
) -> None:
    settings.NOTIFICATIONS_ESCALATION_WORKING_DAYS = [1, 3, 5]
    staff, head = make_notified_user("staf.dishub", short_name="Dishub"), make_notified_user("kadis.dishub")
    secretariat = make_notified_user("sekretariat", Role.SECRETARIAT)
    UnitHead.objects.create(organization=staff.organization, user=head)
    provided += [DueItem(key=f"uji:lap-{n}", title=f"Laporan {n}", due_on=datetime.date(2025, 6, 2),
                         recipients=frozenset({staff.pk}), organization_id=staff.organization_id)
                 for n in range(3)]  # fmt: skip

    steps = twice_at_once(lambda: escalations_run(today=datetime.date(2025, 6, 9)))

    assert sum(len(s) for s in steps) == EscalationStep.objects.count() == 9  # 3 items, 3 levels
    for user in (staff, head, secretariat):
        assert Notification.objects.filter(recipient=user, key__startswith="escalation:").count() == 3


def test_two_beats_purge_each_expired_submission_once(agreement: Agreement, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT, settings.EXCHANGE_RETENTION_DAYS = tmp_path, 30
    header = ("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")
    upload_members(write(tmp_path, "m1.csv", csv_file([[VALID[0], "Aktif", ""]], header=header)))
    upload_members(write(tmp_path, "m2.csv", csv_file([[VALID[1], "Aktif", ""]], header=header)))
    for n, unit in enumerate(("Dinsos", "Dishub")):
        upload_list(write(tmp_path, f"bpu{n}.csv", csv_file([["Budi", VALID[n], "081234567890"]])), unit=unit)
    later = timezone.now() + datetime.timedelta(days=31)

    purged = twice_at_once(lambda: submissions_purge(now=later))

    assert sum(purged) == Submission.objects.exclude(purged_at=None).count() == 3  # the lists, the older extract
    assert submissions_purge(now=later) == 0
