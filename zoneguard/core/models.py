from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dates import validate_day, validate_moment
from .web import BoundedDateField as BoundedDateFormField
from .web import BoundedDateTimeField as BoundedDateTimeFormField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RateCounter(models.Model):
    """Requests counted in the current fixed window of one rate limit for one subject (a client
    address, a site code): one row each, shared by every worker process (core/ratelimit.py)."""

    name = models.CharField(max_length=120, primary_key=True)
    # End of the window being counted, in seconds since the epoch. Not indexed: the table holds
    # the current window's subjects only, and a count then updates no index (on PostgreSQL, a
    # heap-only update); the purge of past windows reads the whole table once a window.
    window_end = models.BigIntegerField()
    hits = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.name}: {self.hits}"


class _CalendarBounded:
    """What the bounded fields share: forms made from the model get the field that shows the
    calendar's error, and migrations keep Django's own field (the calendar is a rule of input, not
    of the table)."""

    form_field: type[forms.Field]
    django_field: str

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(  # type: ignore[misc]
            form_class=form_class or self.form_field, choices_form_class=choices_form_class, **kwargs
        )

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.django_field, args, kwargs


class BoundedDateField(_CalendarBounded, models.DateField):
    """A date users set: outside ZoneGuard's calendar (core.dates) the model's validation refuses
    it, and the forms made from the model show the error on the field."""

    default_validators = [validate_day]
    form_field = BoundedDateFormField
    django_field = "django.db.models.DateField"


class BoundedDateTimeField(_CalendarBounded, models.DateTimeField):
    """A date and time users set, in the years of ZoneGuard's calendar (core.dates)."""

    default_validators = [validate_moment]
    form_field = BoundedDateTimeFormField
    django_field = "django.db.models.DateTimeField"
