from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dataexchange.models import AccessLog, ExchangePeriod, KpjWageCeiling, SchemaVersion, Stream, Submission


class SchemaInline(admin.TabularInline):
    model = SchemaVersion
    extra = 0
    readonly_fields = ["version", "columns", "valid_from"]


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "receiver", "cadence", "due_working_days", "personal_data", "is_active"]
    list_editable = ["due_working_days", "is_active"]
    filter_horizontal = ["senders"]
    inlines = [SchemaInline]


@admin.register(KpjWageCeiling)
class KpjWageCeilingAdmin(admin.ModelAdmin):
    """Each year's UMP, entered when the governor's decree is out; the KPJ limit is UMP + 15 %."""

    list_display = ["year", "ump", "ceiling", "decree"]

    @admin.display(description=_("batas upah KPJ (UMP + 15%)"))
    def ceiling(self, limit: KpjWageCeiling) -> int:
        return limit.ceiling


@admin.register(ExchangePeriod)
class ExchangePeriodAdmin(admin.ModelAdmin):
    list_display = ["stream", "year", "quarter", "unit", "opens_on", "due_on", "delivered_on", "overdue_marked_on"]
    list_filter = ["stream", "year", "quarter"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: a submission changes only through the upload pipeline."""

    list_display = ["filename", "kind", "period", "organization", "status", "rows", "error_count", "created_at"]
    list_filter = ["kind", "status"]
    exclude = ["file"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Append-only: nobody edits or deletes who saw personal data."""

    list_display = ["at", "user", "submission", "action", "records", "reason"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
