from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Invitation, OrganisationApplication, User


class OthersPasswordForm(AdminPasswordChangeForm):
    """A password the admin sets for someone else: they choose their own at the next sign-in."""

    def save(self, commit: bool = True) -> Any:
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = OthersPasswordForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # An account made here has a password its owner did not choose.
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    list_display = ("username", "full_name", "role", "organisation", "department", "is_duty_officer", "is_active")
    list_filter = ("role", "is_duty_officer", "is_active", "department")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("ZoneGuard"),
            {
                "fields": (
                    "full_name",
                    "role",
                    "organisation",
                    "department",
                    "phone",
                    "language",
                    "is_duty_officer",
                    "must_change_password",
                )
            },
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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made on the invitations page, where their link is shown once."""

    list_display = ("full_name", "role", "organisation", "department", "created_by", "expires_at", "accepted_at")
    list_filter = ("role",)
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OrganisationApplication)
class OrganisationApplicationAdmin(admin.ModelAdmin):
    """Decided on the applications page, where the organisation is created and its contact invited."""

    list_display = ("name", "credit_code", "kind", "status", "created_at", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("name", "credit_code")
    readonly_fields = [f.name for f in OrganisationApplication._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
