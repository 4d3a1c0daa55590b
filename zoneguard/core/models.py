from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .collation import pinyin_key
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


class PinyinKeyedQuerySet(models.QuerySet[Any]):
    """Keeps `name_key` in step with `name` on the bulk paths that skip `save()`."""

    def bulk_create(  # type: ignore[override]
        self, objs: Any, batch_size: int | None = None, **kwargs: Any
    ) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            obj.name_key = pinyin_key(obj.name)
        return super().bulk_create(objs, batch_size=batch_size, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None, **kwargs: Any) -> int:
        objs = list(objs)
        fields = list(fields)
        if "name" in fields:
            for obj in objs:
                obj.name_key = pinyin_key(obj.name)
            if "name_key" not in fields:
                fields.append("name_key")
        return super().bulk_update(objs, fields, batch_size=batch_size, **kwargs)

    def update(self, **kwargs: Any) -> int:
        if "name" in kwargs and "name_key" not in kwargs:  # bulk_update sends both, as expressions
            if not isinstance(kwargs["name"], str):
                # An expression would leave the key behind: names change one by one.
                raise TypeError("update(name=...) takes a text, so that name_key follows it")
            kwargs["name_key"] = pinyin_key(kwargs["name"])
        return super().update(**kwargs)


class PinyinKeyed(models.Model):
    """A name that lists sort in pinyin order (core/collation.py) through a stored, indexed key, so
    that ordering a page of a hundred thousand names reads an index instead of computing the key of
    every row. `save()`, `bulk_create`, `bulk_update` and `update` keep the key in step."""

    name: Any
    name_key = models.BinaryField(_("pinyin sort key"), editable=False, default=b"")

    objects = PinyinKeyedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = pinyin_key(self.name or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields and "name_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "name_key"]
        super().save(*args, **kwargs)


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV (.csv)"


class ExportJob(models.Model):
    """An export too large to write while the user waits (settings.EXPORT_BACKGROUND_ROWS): the
    periodic `run_exports` writes it with the requesting user's scope as it is then, and only that
    user downloads it (core/exports.py)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices, default=ExportFormat.XLSX)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True, editable=False)
    download_name = models.CharField(_("download name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["status", "id"], name="export_job_status"),
            models.Index(fields=["requested_by", "created_at"], name="export_job_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"
