"""Scheduled work for sanction cases. Thin: each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from compliance.services import cases_flag_overdue


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def flag_overdue_steps() -> dict[str, int]:
    """Daily: flag case steps and service follow-ups past their deadline (Asia/Jakarta date)."""
    result = cases_flag_overdue(today=timezone.localdate())
    return {"cases": result.cases, "followups": result.followups}
