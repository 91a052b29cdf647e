"""Admin for the work plan's reference data (with import/export), and read-only views of the progress records.

Reports, evidence and yearly statuses are shown but never edited here: they change only
through their workflow (model methods and workplan.progress), which keeps the rules and history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ExportMixin, ImportExportModelAdmin

from workplan import access
from workplan.models import (
    Activity,
    Agreement,
    EvidenceFile,
    FundingSource,
    LiaisonOfficer,
    Organization,
    Party,
    Program,
    ProgressReport,
    Responsibility,
    ResponsibleUnit,
    YearlyStatus,
)
from workplan.resources import (
    ActivityResource,
    FundingSourceResource,
    OrganizationResource,
    ProgramResource,
    ResponsibleUnitResource,
)


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("number", "second_number", "signed_on", "ends_on", "status")
    inlines = [PartyInline]


@admin.register(Organization)
class OrganizationAdmin(ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
    list_display = ("short_name", "name", "institution", "kind", "parent", "is_active")
    list_filter = ("institution", "kind", "is_active")
    list_select_related = ("parent",)
    search_fields = ("short_name", "name", "aliases")


@admin.register(FundingSource)
class FundingSourceAdmin(ImportExportModelAdmin):
    resource_classes = [FundingSourceResource]


@admin.register(Program)
class ProgramAdmin(ImportExportModelAdmin):
    resource_classes = [ProgramResource]
    list_display = ("number", "title", "agreement")


class ResponsibleUnitInline(admin.TabularInline):
    model = ResponsibleUnit
    extra = 0
    autocomplete_fields = ("organization",)


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ("__str__", "side")
    list_select_related = ("activity__program",)
    inlines = [ResponsibleUnitInline]


class ResponsibilityInline(admin.StackedInline):
    model = Responsibility
    extra = 0
    show_change_link = True


@admin.register(Activity)
class ActivityAdmin(ImportExportModelAdmin):
    resource_classes = [ActivityResource]
    list_display = ("code", "title", "location")
    list_filter = ("program",)
    list_select_related = ("program",)
    search_fields = ("title",)
    inlines = [ResponsibilityInline]


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [ResponsibleUnitResource]
    list_display = ("__str__", "organization", "position")
    list_filter = ("organization", "responsibility__side")
    list_select_related = ("organization", "responsibility__activity__program")


@admin.register(LiaisonOfficer)
class LiaisonOfficerAdmin(admin.ModelAdmin):
    list_display = ("position", "side", "organization", "email", "valid_from")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to those who may see every report (secretariat, leadership, superusers); never changed here."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_reports(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "year", "quarter", "state", "work_status", "achievement", "submitted_at")
    list_filter = ("state", "year", "quarter", "unit__organization")
    list_select_related = ("unit__organization", "unit__responsibility__activity__program")


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    # No file link: /media/ is not served; files are downloaded through the access-checked view.
    exclude = ("file",)
    list_display = ("original_name", "report", "kind", "size", "sha256", "uploaded_at")
    list_select_related = ("report__unit__organization", "report__unit__responsibility__activity__program")


@admin.register(YearlyStatus)
class YearlyStatusAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "year", "status", "reason", "set_at")
    list_filter = ("status", "year")
    list_select_related = ("unit__organization", "unit__responsibility__activity__program")
