from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Kepatuhan (Program 3)")

    def ready(self) -> None:
        from compliance.deadlines import compliance_due_items
        from compliance.services import cases_propose_revocation
        from dataexchange.hooks import register_employers_active
        from notifications.registry import register

        register("compliance", compliance_due_items)
        # a quarterly 2a/2d file showing a sanctioned employer aktif proposes lifting its TMP2T (issue 5)
        register_employers_active("compliance", cases_propose_revocation)
