from django.contrib import admin

from zoneguard.core.admin import ReadOnlyAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Notices are written and published on their pages, where the recipients are fixed."""

    list_display = ("title", "status", "department", "published_at")
    list_filter = ("status", "department")
    search_fields = ("title",)
