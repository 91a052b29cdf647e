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
        from evaluation import tasks

        sweeper.register("evaluation.reports", pending=tasks.reports_waiting,
                         task=tasks.generate_report, stale_after=tasks.SWEEP_STALE_AFTER)  # fmt: skip


def _ensure_schedule(**kwargs: object) -> None:
    from evaluation.services import schedule_ensure

    schedule_ensure(using=str(kwargs.get("using") or "default"))
