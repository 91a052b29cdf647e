import datetime
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Pemantauan dan Evaluasi (Pasal 11)")

    def ready(self) -> None:
        # The yearly generation is a django_celery_beat row, created or brought to the settings after migrate.
        post_migrate.connect(_ensure_schedule, sender=self)

        from evaluation.due import evaluation_due_items
        from notifications.registry import register

        register("evaluation", evaluation_due_items)

        from core import sweeper

        # evaluation.tasks is imported when the sweeper first runs, not at every start: it brings in the
        # report renderer (pypdf and the rendering modules, 0.3 s of each manage.py command's start-up).
        sweeper.register("evaluation.reports", pending=_reports_waiting, task=_GenerateReport(),
                         stale_after=SWEEP_STALE_AFTER)  # fmt: skip


# Longer than evaluation.tasks.generate_report's hard time limit: a version still running after it lost its worker.
SWEEP_STALE_AFTER = datetime.timedelta(minutes=15)


def _reports_waiting(cutoff: datetime.datetime) -> list[int]:
    from evaluation.tasks import reports_waiting

    return reports_waiting(cutoff)


class _GenerateReport:
    """``evaluation.tasks.generate_report`` for the sweeper, imported on first use."""

    def delay(self, report_id: int) -> Any:
        from evaluation.tasks import generate_report

        return generate_report.delay(report_id)


def _ensure_schedule(**kwargs: object) -> None:
    from evaluation.services import schedule_ensure

    schedule_ensure(using=str(kwargs.get("using") or "default"))
