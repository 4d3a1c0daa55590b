"""The tracing rules are data the commander keeps here; presences are derived and not shown."""

from django.contrib import admin

from .models import TracingDuty, TracingSettings


@admin.register(TracingSettings)
class TracingSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "min_overlap_minutes")

    def has_add_permission(self, request: object) -> bool:
        return not TracingSettings.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(TracingDuty)
class TracingDutyAdmin(admin.ModelAdmin):
    list_display = ("department", "is_active", "reads_contacts_in_full")
    list_filter = ("is_active", "reads_contacts_in_full")
