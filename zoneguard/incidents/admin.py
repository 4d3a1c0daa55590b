from django.contrib import admin

from zoneguard.core.admin import ReadOnlyAdmin

from .models import EscalationDelay, Incident


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Incidents are handled on their pages, where every step goes to the timeline."""

    list_display = ("reported_at", "kind", "severity", "status", "title", "organisation", "escalated_at")
    list_filter = ("status", "kind", "severity")
    search_fields = ("title", "organisation__name")


@admin.register(EscalationDelay)
class EscalationDelayAdmin(admin.ModelAdmin):
    list_display = ("severity", "minutes")
