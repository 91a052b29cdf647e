"""The beat schedule across a year with frozen time: periods opened and reminded once, overdue marks, on-time rates."""

from __future__ import annotations

import datetime
import importlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail
from django_celery_beat.models import PeriodicTask

from dataexchange import tasks
from dataexchange.models import ExchangePeriod

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def tick(day: datetime.date) -> None:
    """One day of beat, every task run twice as a second beat would."""
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 0, 15, tzinfo=JAKARTA), tick=False):
        for _beat in range(2):
            tasks.open_periods()
            tasks.mark_overdue()
            tasks.send_reminders()


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def test_the_schedule_is_registered_for_administrators_to_edit() -> None:
    """The data migrations' functions (run again here: a transactional test elsewhere may have flushed the rows)."""
    for name in ("0002_schedule_periodic_tasks", "0003_schedule_purge"):
        migration = importlib.import_module(f"dataexchange.migrations.{name}")
        migration.register(django_apps, None)
        migration.register(django_apps, None)  # a second run creates nothing twice
    registered = dict(PeriodicTask.objects.filter(task__startswith="dataexchange.").values_list("task", "enabled"))
    assert registered == {
        "dataexchange.tasks.open_periods": True,
        "dataexchange.tasks.mark_overdue": True,
        "dataexchange.tasks.send_reminders": True,
        "dataexchange.tasks.purge_expired": True,
    }
    assert all(t.crontab.timezone.key == "Asia/Jakarta" for t in PeriodicTask.objects.filter(task__startswith="data"))


def test_a_year_of_ticks_opens_each_quarter_once_reminds_once_and_marks_overdue(personas: Any) -> None:
    personas["bpjs"].email = "petugas@bpjs.example"
    personas["bpjs"].save()
    for day in days(datetime.date(2025, 2, 4), datetime.date(2025, 6, 30)):
        tick(day)
        if day == datetime.date(2025, 4, 10):  # BPJS delivers Q2 of 2a on time, 2d never
            period = ExchangePeriod.objects.get(stream__code="2a", year=2025, quarter=2)
            period.mark_delivered(datetime.datetime(2025, 4, 10, 9, tzinfo=JAKARTA))
    for day in days(datetime.date(2025, 7, 1), datetime.date(2026, 2, 3)):
        tick(day)
    periods = ExchangePeriod.objects.order_by("year", "quarter", "stream__code")
    assert [(p.stream.code, p.label) for p in periods] == [
        (code, label) for label in ("2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1") for code in ("2a", "2d")
    ]
    first = periods.filter(year=2025, quarter=1).first()
    assert first.opens_on == datetime.date(2025, 2, 4)  # the day the MoU took effect
    assert periods.filter(year=2025, quarter=3).first().opens_on == datetime.date(2025, 7, 1)
    # every period that fell due was reminded exactly once; only the delivered one is not overdue
    due = periods.filter(due_on__lte=datetime.date(2026, 2, 3))
    assert len(mail.outbox) == due.filter(delivered_at=None).count()
    assert all(p.reminded_on is not None for p in due.filter(delivered_at=None))
    overdue = set(periods.exclude(overdue_marked_on=None).values_list("stream__code", "year", "quarter"))
    assert ("2a", 2025, 2) not in overdue and ("2d", 2025, 2) in overdue
    assert "2a" in mail.outbox[0].subject


def test_nothing_opens_after_the_mou_ends(personas: Any) -> None:
    tick(datetime.date(2030, 4, 1))
    assert not ExchangePeriod.objects.filter(year=2030, quarter=2).exists()


def test_on_time_rate_per_stream_unit_and_quarter(personas: Any) -> None:
    for day in (datetime.date(2025, 4, 1), datetime.date(2025, 7, 1)):
        tick(day)
    on_time = ExchangePeriod.objects.get(stream__code="2a", year=2025, quarter=2)
    on_time.mark_delivered(datetime.datetime.combine(on_time.due_on, datetime.time(16), tzinfo=JAKARTA))
    late = ExchangePeriod.objects.get(stream__code="2a", year=2025, quarter=3)
    late.mark_delivered(datetime.datetime.combine(late.due_on + datetime.timedelta(days=3), datetime.time(9),
                                                  tzinfo=JAKARTA))  # fmt: skip
    rates = ExchangePeriod.objects.filter(stream__code="2a").on_time_rates(today=datetime.date(2025, 12, 31))
    assert [(r["quarter"], r["due"], r["on_time"], r["rate"]) for r in rates] == [(2, 1, 1, 100.0), (3, 1, 0, 0.0)]
