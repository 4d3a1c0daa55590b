"""Officers edit the health rules here; declarations are read on ZoneGuard's own pages."""

from django.contrib import admin

from .models import HealthRule


@admin.register(HealthRule)
class HealthRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "condition", "status", "valid_days", "reason", "is_active")
    list_filter = ("condition", "status", "is_active")
    search_fields = ("name", "reason", "places")
