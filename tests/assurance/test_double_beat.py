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

from accounts.models import Role
from clauses.models import TermReminder
from clauses.services import term_reminders_send
from dataexchange.models import ExchangePeriod
from dataexchange.schedule import periods_mark_overdue, periods_open, periods_remind
from dataexchange.seed import streams_ensure
from evaluation.models import EvaluationReport
from evaluation.services import reports_due
from notifications.models import Notification
from workplan.models import Agreement, Institution

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
