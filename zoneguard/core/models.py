from django.db import models
from django.utils.translation import gettext_lazy as _


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
