"""Celery tasks of the data exchange: thin, idempotent, each loading by id or date and calling one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dataexchange import schedule
from dataexchange.services import submission_process


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, default_retry_delay=30)
def process_submission(submission_id: int) -> str:
    """Validate and store one upload; a second run (or a retry after a killed worker) finishes or does nothing."""
    return str(submission_process(submission_id=submission_id).status)


@shared_task
def open_periods() -> int:
    return schedule.periods_open(today=timezone.localdate())


@shared_task
def send_reminders() -> int:
    return len(schedule.periods_remind(today=timezone.localdate()))


@shared_task
def mark_overdue() -> int:
    return schedule.periods_mark_overdue(today=timezone.localdate())


@shared_task
def purge_expired() -> int:
    return schedule.submissions_purge(now=timezone.now())
