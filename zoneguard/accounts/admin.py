from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "organisation", "department", "is_duty_officer", "is_active")
    list_filter = ("role", "is_duty_officer", "is_active", "department")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("ZoneGuard"),
            {"fields": ("full_name", "role", "organisation", "department", "phone", "language", "is_duty_officer")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created and revoked on the API tokens page, where the raw value is shown once."""

    list_display = ("name", "user", "kind", "site", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
