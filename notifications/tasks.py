"""Scheduled delivery. Thin: each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from notifications.services import digests_send, escalations_run


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_daily_digests() -> dict[str, int]:
    """Daily (morning, Asia/Jakarta): one digest per person with something due; none when nothing is."""
    result = digests_send(today=timezone.localdate())
    return {"sent": result.sent, "skipped_empty": result.skipped_empty, "immediate": result.immediate}


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def escalate_overdue() -> dict[str, int]:
    """Daily: climb the escalation ladder for items still overdue; each step once."""
    return {"steps": len(escalations_run(today=timezone.localdate()))}
