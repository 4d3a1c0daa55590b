"""Officers edit the health rules here; declarations are read on ZoneGuard's own pages."""

from django.contrib import admin

from zoneguard.core.admin import ReadOnlyAdmin

from .models import HealthRule, Restriction


@admin.register(HealthRule)
class HealthRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "condition", "status", "valid_days", "reason", "is_active")
    list_filter = ("condition", "status", "is_active")
    search_fields = ("name", "reason", "places")


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    """Close contacts are marked and released on the tracing pages, where each step is audited."""

    list_display = ("person", "kind", "started_at", "released_at")
    list_filter = ("kind",)
