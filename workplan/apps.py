from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Nota Kesepakatan dan Rencana Kerja")

    def ready(self) -> None:
        from notifications.registry import register
        from workplan.due import workplan_due_items

        register("workplan", workplan_due_items)
