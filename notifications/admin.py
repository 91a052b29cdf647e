from django.contrib import admin

from notifications.models import CalendarToken, Digest, EscalationStep, Notification, Preference, UnitHead


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at"]
    search_fields = ["subject", "key", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(UnitHead)
class UnitHeadAdmin(admin.ModelAdmin):
    list_display = ["organization", "user"]
    raw_id_fields = ["user"]


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["item_title", "level", "due_on", "escalated_on", "working_days_overdue", "source"]
    list_filter = ["level", "source"]
    readonly_fields = ["notified"]


admin.site.register(Preference)
admin.site.register(Digest)
admin.site.register(CalendarToken)
