from django.contrib import admin

from zoneguard.core.admin import ReadOnlyAdmin

from .models import DailyReport, ReportDeadline, ReportReminder


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    """Reports are filed on their pages and API, where every version is kept."""

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
