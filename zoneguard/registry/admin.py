"""The admin is for reference data (departments, sectors, competence rules). Organisations, sites
and people are changed on ZoneGuard's own pages, through the services that audit every change."""

from django.contrib import admin

from zoneguard.core.admin import ReadOnlyAdmin

from .models import CompetenceRule, Department, Organisation, Sector


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "code")


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(CompetenceRule)
class CompetenceRuleAdmin(admin.ModelAdmin):
    list_display = ("department", "organisation_kind", "sector", "supervises")
    list_filter = ("department", "organisation_kind", "supervises")


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    """Read-only here; search is needed by autocomplete fields elsewhere in the admin."""

    list_display = ("name", "kind", "sector", "credit_code", "is_active")
    list_filter = ("kind", "sector")
    search_fields = ("name", "credit_code")
