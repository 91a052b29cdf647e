"""Celery tasks for the annual report. Thin: they take ids, call one service, and are safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from evaluation.models import EvaluationReport
from evaluation.services import report_generate, reports_due


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=720)
def generate_report(report_id: int) -> str:
    """Snapshot (once) and PDF of one report version; a version already rendered is left alone."""
    return report_generate(report_id=report_id).sha256


def reports_waiting(cutoff: datetime.datetime) -> list[int]:
    """Versions requested before ``cutoff`` whose generation is queued or was cut off mid-run (core/sweeper.py)."""
    waiting = EvaluationReport.objects.filter(
        job__in=[EvaluationReport.Job.QUEUED, EvaluationReport.Job.RUNNING], requested_at__lt=cutoff
    )
    return list(waiting.values_list("pk", flat=True))


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=2000)
def generate_due_reports() -> list[int]:
    """Daily from django_celery_beat: last year's report, once per agreement, from the configured day."""
    return [report.pk for report in reports_due(today=timezone.localdate())]
