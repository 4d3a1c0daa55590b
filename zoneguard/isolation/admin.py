from django.contrib import admin

from .models import FollowUp, IsolationCase, ReasonRule


@admin.register(ReasonRule)
class ReasonRuleAdmin(admin.ModelAdmin):
    list_display = ["reason", "days", "readings_per_day"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    readonly_fields = ["day", "slot", "temperature", "symptoms", "note", "recorded_by", "by_resident", "recorded_at"]
    can_delete = False


@admin.register(IsolationCase)
class IsolationCaseAdmin(admin.ModelAdmin):
    # Read-only: cases are opened and closed through the services, which hold the gates' restriction.
    list_display = ["id", "person", "community", "reason", "start_date", "end_date", "status"]
    list_filter = ["status", "reason", "community"]
    raw_id_fields = ["person", "source_person", "worker", "community"]
    inlines = [FollowUpInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
