from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Kepatuhan (Program 3)")

    def ready(self) -> None:
        from compliance.deadlines import compliance_due_items
        from notifications.registry import register

        register("compliance", compliance_due_items)
