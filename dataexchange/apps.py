from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataexchangeConfig(AppConfig):
    name = "dataexchange"
    verbose_name = _("Pertukaran data (Program 2)")

    def ready(self) -> None:
        from dataexchange.due import exchange_due_items
        from notifications.registry import register

        register("dataexchange", exchange_due_items)

        from core import sweeper
        from dataexchange import tasks

        sweeper.register("dataexchange.submissions", pending=tasks.submissions_waiting,
                         task=tasks.process_submission, stale_after=tasks.SWEEP_STALE_AFTER)  # fmt: skip
        sweeper.register("dataexchange.token_statistics", pending=tasks.statistics_outdated,
                         task=tasks.refresh_token_statistics, stale_after=tasks.SWEEP_STALE_AFTER)  # fmt: skip
