from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Notices are written and published on their pages, where the recipients are fixed."""

    list_display = ("title", "status", "department", "published_at")
    list_filter = ("status", "department")
    search_fields = ("title",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
