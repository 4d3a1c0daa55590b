from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import EscalationDelay, Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Incidents are handled on their pages, where every step goes to the timeline."""

    list_display = ("reported_at", "kind", "severity", "status", "title", "organisation", "escalated_at")
    list_filter = ("status", "kind", "severity")
    search_fields = ("title", "organisation__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EscalationDelay)
class EscalationDelayAdmin(admin.ModelAdmin):
    list_display = ("severity", "minutes")
