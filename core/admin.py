"""Admin for the working-day calendar: administrators enter decrees the package lacks.

The ``holidays`` package has no cuti bersama for 2028-2029 yet and only estimates religious
dates, so an SKB 3 Menteri, a Keppres or an ad-hoc decree (election day) is entered here.
Any change to a row seeded from the package makes it an administrator's row, so the next
``sync_holidays`` leaves it alone.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.formatting import WEEKDAYS_ID
from core.models import Holiday


class YearListFilter(admin.SimpleListFilter):
    """Filter by calendar year, newest first: decrees are entered one year at a time."""

    title = _("tahun")
    parameter_name = "tahun"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> QuerySet[Holiday]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "name", "kind", "source", "is_active"]
    list_filter = [YearListFilter, "kind", "source", "is_active"]
    search_fields = ["name", "basis"]
    date_hierarchy = "date"
    ordering = ["date"]
    fields = ["date", "name", "kind", "is_active", "basis", "source", "created_at", "updated_at"]
    readonly_fields = ["source", "created_at", "updated_at"]
    actions = ["deactivate", "activate"]

    @admin.display(description=_("hari"))
    def weekday(self, obj: Holiday) -> str:
        return WEEKDAYS_ID[obj.date.weekday()]

    def save_model(self, request: HttpRequest, obj: Holiday, form: ModelForm, change: bool) -> None:
        # An administrator's edit must survive the next sync from the package.
        if form.changed_data:
            obj.source = Holiday.Source.ADMIN
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Nonaktifkan hari libur terpilih (menjadi hari kerja)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(description=_("Aktifkan kembali hari libur terpilih"))
    def activate(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        self._set_active(request, queryset, active=True)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Holiday], *, active: bool) -> None:
        # Through the model, not queryset.update(), so updated_at and the history are recorded.
        rows = [row for row in queryset if row.is_active != active]
        for row in rows:
            row.is_active = active
            row.source = Holiday.Source.ADMIN
            row.save(update_fields=["is_active", "source", "updated_at"])
        message = ngettext("%(count)d hari libur diubah.", "%(count)d hari libur diubah.", len(rows))
        self.message_user(request, message % {"count": len(rows)}, messages.SUCCESS)
