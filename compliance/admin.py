from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from compliance.models import (
    CaseEvent,
    CaseEvidence,
    CaseLetter,
    NameReview,
    SanctionCase,
    SanctionStepSLA,
    ServiceFollowUp,
)


@admin.register(SanctionStepSLA)
class SanctionStepSLAAdmin(admin.ModelAdmin):
    """The local time limits of the sanction steps; warnings are fixed by PP 86/2013 and not listed."""

    list_display = ["status", "working_days", "basis"]
    list_editable = ["working_days"]


class ServiceFollowUpInline(admin.TabularInline):
    model = ServiceFollowUp
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ServiceFollowUp._meta.fields]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "from_status", "to_status", "actor", "note", "followup")


@admin.register(SanctionCase)
class SanctionCaseAdmin(admin.ModelAdmin):
    """Read-only here: a case moves only through its steps (the case pages), which record who and why."""

    list_display = ["employer", "category", "status", "deadline", "overdue_since", "opened_on"]
    list_filter = ["status", "category", "employer__region"]
    search_fields = ["employer__name", "employer__npp"]
    list_select_related = ["employer"]
    inlines = [ServiceFollowUpInline, CaseEventInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseLetter)
class CaseLetterAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "case", "issued_on", "sha256"]
    readonly_fields = ["case", "kind", "number", "issued_on", "file", "sha256", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CaseEvidence)
class CaseEvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "case", "sha256"]
    readonly_fields = ["case", "event", "kind", "file", "original_name", "sha256", "size"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NameReview)
class NameReviewAdmin(admin.ModelAdmin):
    """Read only: answers are given on /kepatuhan/tinjauan-nama/, where the merge and the memory happen."""

    list_display = ["__str__", "region", "score", "status", "decided_by", "decided_at"]
    list_filter = ["status", "region"]
    readonly_fields = [f.name for f in NameReview._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
