"""Review rules are reference data kept in the admin; filings change only through their pages and
API, where every step is recorded."""

from django.contrib import admin

from zoneguard.core.admin import ReadOnlyAdmin

from .models import FilingReviewRule, ResumptionFiling


@admin.register(FilingReviewRule)
class FilingReviewRuleAdmin(admin.ModelAdmin):
    list_display = ("competence_rule", "is_active")
    list_filter = ("is_active", "competence_rule__department")


@admin.register(ResumptionFiling)
class ResumptionFilingAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "status", "planned_date", "resumed_on", "submitted_at", "decided_department")
    list_filter = ("status",)
    search_fields = ("organisation__name",)
