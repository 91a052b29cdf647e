"""Celery tasks of the data exchange: thin, idempotent, each loading by id or date and calling one service."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import connection
from django.utils import timezone

from dataexchange import pipeline, schedule
from dataexchange.models import Submission
from dataexchange.services import stored_in_partitions, submission_process, token_statistics_refresh

# Past this, a waiting upload is no longer behind others in the queue: its message was lost (core/sweeper.py).
SWEEP_STALE_AFTER = datetime.timedelta(minutes=10)


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, default_retry_delay=30)
def process_submission(submission_id: int) -> str:
    """Validate and store one upload; a second run (or a retry after a killed worker) finishes or does nothing."""
    return str(submission_process(submission_id=submission_id).status)


def submissions_waiting(cutoff: datetime.datetime) -> list[int]:
    """Uploads received before ``cutoff`` and not finished; one a worker is storing now is locked, so skipped."""
    waiting = Submission.objects.filter(
        status__in=[Submission.Status.RECEIVED, Submission.Status.PROCESSING], created_at__lt=cutoff
    )
    return list(waiting.select_for_update(skip_locked=True).values_list("pk", flat=True))


def statistics_outdated(cutoff: datetime.datetime) -> list[int]:
    """The newest list or extract accepted before ``cutoff`` that the parents' statistics have not seen
    (its ``refresh_token_statistics`` was lost with the queue), as ``[id]``, or ``[]``.

    The newest is enough: its refresh analyzes both parents, and autovacuum analyzes the older
    partitions, which are plain tables, by itself.
    """
    with connection.cursor() as cursor:
        gathered = pipeline.statistics_gathered_at(cursor)
    accepted = Submission.objects.filter(
        stored_in_partitions(), status=Submission.Status.ACCEPTED, finished_at__lt=cutoff
    )
    unseen = accepted.filter(finished_at__gt=gathered) if gathered else accepted
    return list(unseen.order_by("-finished_at").values_list("pk", flat=True)[:1])


@shared_task(acks_late=True)
def refresh_token_statistics(submission_id: int) -> None:
    """After an accepted list or extract: the planner's statistics of its rows (idempotent: ANALYZE again)."""
    token_statistics_refresh(submission_id=submission_id)


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
