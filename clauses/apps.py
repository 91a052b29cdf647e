from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClausesConfig(AppConfig):
    name = "clauses"
    verbose_name = _("Klausul Nota Kesepakatan")

    def ready(self) -> None:
        from clauses.amendments import plan_as_of, report_plan, version_at
        from clauses.deadlines import clause_due_items
        from notifications.registry import register
        from workplan import plan_history

        register("clauses", clause_due_items)
        # The report pages of workplan read each report against the plan version it was made under.
        plan_history.register(
            plan_history.PlanHistory(
                version_at=version_at,
                for_report=report_plan,
                rows_at=lambda agreement, day: plan_as_of(agreement=agreement, day=day).rows,
            )
        )
