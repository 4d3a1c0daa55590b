from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DailyReport, ReportDeadline, ReportReminder


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports are filed on their pages and API, where every version is kept."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    list_display = ("day", "organisation", "staff_on_duty", "temperature_anomalies", "revision", "filed_at")
    list_filter = ("day",)
    search_fields = ("organisation__name",)


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ("day", "organisation", "sent_at", "recipients")
    list_filter = ("day",)


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    list_display = ("deadline", "updated_by", "updated_at")
