"""Contact tracing: where each person was and when, derived from the gates' entry log.

`Presence` is a derived table, never edited: one row per admitted `in` passage, the interval the
person spent at the site (intervals.py says how it ends). Times are whole seconds since the epoch
so that overlaps are plain integer arithmetic in SQL on both databases. `PresenceProgress` says how
far into the entry log the table is folded (services.refresh_presences keeps it current)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import TimeStampedModel


class PresenceEnd(models.TextChoices):
    OUT = "out", _("Checked out")
    PASSAGE = "passage", _("Next passage elsewhere")
    DWELL = "dwell", _("Site's usual stay")


class Presence(models.Model):
    # A derived table rebuilt millions of rows at a time: no database constraints on its keys
    # (deleting a person or an entry still removes its presences through Django), and no
    # single-column indexes beside the two it is read by.
    checkin = models.OneToOneField(
        "gates.CheckIn",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("entry"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("person"),
    )
    site = models.ForeignKey(
        "registry.Site",
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("site"),
    )
    start = models.BigIntegerField(_("from (epoch seconds)"))
    end = models.BigIntegerField(_("until (epoch seconds)"))
    ended_by = models.CharField(_("ended by"), max_length=10, choices=PresenceEnd.choices)

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        # Each holds every column a trace reads, so that the self-join reads the indexes alone and
        # never the table (bench/README.md, "Tracing figures").
        indexes = [
            models.Index(fields=["site", "start", "end", "person"], name="presence_site_start_covering"),
            models.Index(fields=["person", "start", "end", "site"], name="presence_person_start_covering"),
        ]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="presence_ends_after")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.site_id} {self.start}–{self.end}"


class SiteStayBound(models.Model):
    """The longest presence at each site, or more: a trace looks this far before each of the
    case's presences for those that overlap it. Most sites are shops and markets, whose
    visitors stay an hour or two; bounding every site by intervals.MAX_STAY made a trace read a
    whole day of a market's visitors for each visit. Kept by the same writes as the presences
    (services._insert); it only grows until a rebuild, which is safe: a bound too high reads more
    rows, never fewer."""

    site = models.OneToOneField(
        "registry.Site",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("site"),
    )
    longest_seconds = models.BigIntegerField(_("longest stay (seconds)"))

    class Meta:
        verbose_name = _("longest stay at a site")
        verbose_name_plural = _("longest stays at sites")

    def __str__(self) -> str:
        return f"{self.site_id}: {self.longest_seconds}"


class PresenceProgress(models.Model):
    """One row: every entry with an id up to `through_checkin_id` is folded into the presences."""

    through_checkin_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("presence progress")

    def __str__(self) -> str:
        return str(self.through_checkin_id)


class TracingSettings(TimeStampedModel):
    """The zone's tracing rules (one row, edited by the commander in the admin)."""

    min_overlap_minutes = models.PositiveSmallIntegerField(
        _("minimum overlap (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text=_("Two people at one site for at least this long together are contacts."),
    )

    class Meta:
        verbose_name = _("tracing settings")
        verbose_name_plural = _("tracing settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class TracingDuty(TimeStampedModel):
    """The departments that run epidemic control: their officers trace contacts across the zone."""

    department = models.OneToOneField(
        "registry.Department", on_delete=models.CASCADE, related_name="tracing_duty", verbose_name=_("department")
    )
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)
    # The zone's decision, not the software's: a trace's list is worked through by telephone, and
    # a masked phone sends the tracer to each enterprise in turn.
    reads_contacts_in_full = models.BooleanField(
        _("exports contacts in full"),
        default=False,
        help_text=_(
            "Its officers' exports of a trace give the contacts' names, ID numbers and phones in full, to call "
            "them. Each export is audited with how many people it unmasked."
        ),
    )

    class Meta:
        verbose_name = _("tracing duty")
        verbose_name_plural = _("tracing duties")

    def __str__(self) -> str:
        return str(self.department)
