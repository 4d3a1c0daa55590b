"""The supplies rules are data the commander keeps here: which departments run supplies, the
priority table, the items. The ledger is written only through the services (never edited here)."""

from django.contrib import admin

from .models import Item, PriorityRule, SuppliesDuty


@admin.register(SuppliesDuty)
class SuppliesDutyAdmin(admin.ModelAdmin):
    list_display = ("department", "is_active")
    list_filter = ("is_active",)


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ("rank", "label", "organisation_kind", "sector", "workers_on_site")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "unit", "is_active")
    list_filter = ("category", "is_active")
