"""Scheduled work of the shared machinery. Thin: each task calls one function and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.sweeper import sweep


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_pending() -> dict[str, int]:
    """Every few minutes: enqueue again the jobs the database says are waiting (core/sweeper.py)."""
    return sweep(now=timezone.now())
