from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import Delivery, DeliveryRule


@admin.register(DeliveryRule)
class DeliveryRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "audience", "channel", "department", "organisation", "kinds", "is_active")
    list_filter = ("channel", "audience", "is_active")
    # As the page's form does (forms.py): a robot's address is HTTPS, and without a scheme named
    # Django warns on every form it builds that its default will change.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "target", "title", "status", "attempts", "last_error")
    list_filter = ("status", "channel")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
