from django.contrib import admin

from registry.models import Employer, EmployerAlias, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kode_bps", "kode_kemendagri", "kind"]


class EmployerAliasInline(admin.TabularInline):
    model = EmployerAlias
    extra = 0
    readonly_fields = ["name_normalized", "created_at"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "npp", "nib", "npwp", "region"]
    list_filter = ["region"]
    search_fields = ["name", "name_normalized", "npp", "nib", "npwp", "aliases__name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["name_normalized", "created_at", "updated_at"]
    inlines = [EmployerAliasInline]
