"""Scheduled clause checks. Thin: each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from clauses.services import force_majeure_deem_agreed, term_expire, term_reminders_send


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def mark_deemed_agreed() -> dict[str, int]:
    """Daily: force-majeure notices without a response after 14 working days become deemed agreed."""
    return {"deemed_agreed": len(force_majeure_deem_agreed(today=timezone.localdate()))}


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_term_reminders() -> dict[str, int]:
    """Daily: remind the liaison officers of the term's end at the configured points."""
    return {"reminders": len(term_reminders_send(today=timezone.localdate()))}


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def mark_expired() -> dict[str, int]:
    """Daily: agreements past their end date without an extension become "berakhir"."""
    return {"expired": len(term_expire(today=timezone.localdate()))}
