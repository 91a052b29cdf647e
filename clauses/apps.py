from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClausesConfig(AppConfig):
    name = "clauses"
    verbose_name = _("Klausul Nota Kesepakatan")

    def ready(self) -> None:
        from clauses.deadlines import clause_due_items
        from notifications.registry import register

        register("clauses", clause_due_items)
