"""Review rules are reference data kept in the admin; filings change only through their pages and
API, where every step is recorded."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import FilingReviewRule, ResumptionFiling


@admin.register(FilingReviewRule)
class FilingReviewRuleAdmin(admin.ModelAdmin):
    list_display = ("competence_rule", "is_active")
    list_filter = ("is_active", "competence_rule__department")


@admin.register(ResumptionFiling)
class ResumptionFilingAdmin(admin.ModelAdmin):
    list_display = ("organisation", "status", "planned_date", "resumed_on", "submitted_at", "decided_department")
    list_filter = ("status",)
    search_fields = ("organisation__name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
