from django.contrib import admin

from clauses.models import (
    ActivityAdjustment,
    AddressChange,
    Amendment,
    DisclosureRequest,
    ForceMajeure,
    Letter,
    LetterAttachment,
    TermExtension,
    Termination,
)


class LetterAttachmentInline(admin.TabularInline):
    model = LetterAttachment
    extra = 0


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "direction", "sender", "addressee", "subject"]
    list_filter = ["direction", "channel"]
    search_fields = ["number", "subject", "sender", "addressee"]
    inlines = [LetterAttachmentInline]


@admin.register(ForceMajeure)
class ForceMajeureAdmin(admin.ModelAdmin):
    list_display = ["notice_number", "affected_side", "event_date", "notice_late", "response_due_on", "status"]
    list_filter = ["status", "notice_late"]
    # Deadlines and status follow the services' rules: not edited by hand here.
    readonly_fields = ["notice_due_on", "notice_late", "response_due_on", "status", "deemed_agreed_at"]


for model in (TermExtension, ActivityAdjustment, AddressChange, Termination, DisclosureRequest, Amendment):
    admin.site.register(model)
