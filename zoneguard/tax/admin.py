"""The admin holds the tax services' reference data: policy categories, tax types, the hall with
its windows and opening hours. Policies, slots, bookings and deferrals are changed on ZoneGuard's
own pages, through the services that match, notify and audit."""

from django.contrib import admin

from .models import Hall, HallWindow, OpeningHours, PolicyCategory, TaxType


@admin.register(PolicyCategory)
class PolicyCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("name", "code")


@admin.register(TaxType)
class TaxTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")


class HallWindowInline(admin.TabularInline):
    model = HallWindow
    extra = 0


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "is_active")
    inlines = [HallWindowInline, OpeningHoursInline]
