from django.contrib import admin

from evaluation.models import EvaluationReport, ReportApproval


class ApprovalInline(admin.TabularInline):
    model = ReportApproval
    extra = 0
    readonly_fields = ["side", "approved_by", "approved_at"]
    can_delete = False


@admin.register(EvaluationReport)
class EvaluationReportAdmin(admin.ModelAdmin):
    """Read-mostly: versions are made, finalised and approved in the application, never here."""

    list_display = ["year", "version", "state", "job", "generated_at", "approved_at"]
    list_filter = ["state", "job", "year"]
    readonly_fields = [f.name for f in EvaluationReport._meta.fields if f.name != "snapshot"]
    exclude = ["snapshot"]
    inlines = [ApprovalInline]

    def has_add_permission(self, request: object) -> bool:
        return False
