from django.contrib import admin
from django.http import HttpRequest

from .models import Delivery, DeliveryRule


@admin.register(DeliveryRule)
class DeliveryRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "audience", "channel", "department", "organisation", "kinds", "is_active")
    list_filter = ("channel", "audience", "is_active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "target", "title", "status", "attempts", "last_error")
    list_filter = ("status", "channel")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
