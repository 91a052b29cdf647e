from django.contrib import admin

from registry.models import Employer, EmployerAlias, MatchDecision, Region


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


@admin.register(MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    list_display = ["name_key", "region", "employer", "decided_by", "decided_at"]
    list_filter = ["region"]
    raw_id_fields = ["employer"]
    search_fields = ["name_key"]
