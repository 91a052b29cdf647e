from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "organization", "is_active")
    list_filter = ("role", "organization", "is_active")
    list_select_related = ("organization",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Peran dan unit kerja"), {"fields": ("role", "organization", "phone")}),
    )
