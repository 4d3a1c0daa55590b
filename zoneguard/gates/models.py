"""Gates: check-ins at checkpoint sites (the entry log), fever alerts, per-site gate settings and
enrolled face photos."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import BoundedDateTimeField, TimeStampedModel

# 37.3 °C is the threshold China's prevention guidelines of 2020 set for fever at checkpoints
# ("体温≥37.3℃"): at or above it entry is refused and an alert raised.
FEVER_THRESHOLD = "37.3"


class SiteGate(TimeStampedModel):
    """How a site's gate decides. Sites without a row use the defaults."""

    site = models.OneToOneField(
        "registry.Site", on_delete=models.CASCADE, related_name="gate", verbose_name=_("checkpoint site")
    )
    face_check = models.BooleanField(
        _("face check"),
        default=False,
        help_text=_("The channel sends a photo with each entry, compared with the person's enrolled photo."),
    )
    require_declaration = models.BooleanField(
        _("require a valid declaration"),
        default=True,
        help_text=_("Off for markets open to the public: only the temperature and a red status refuse entry."),
    )
    admit_yellow = models.BooleanField(
        _("admit yellow status"), default=False, help_text=_("People under observation may enter.")
    )

    class Meta:
        verbose_name = _("gate settings")
        verbose_name_plural = _("gate settings")

    def __str__(self) -> str:
        return str(self.site)


class Direction(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class Decision(models.TextChoices):
    ALLOW = "allow", _("Allow")
    DENY = "deny", _("Deny")


class FaceResult(models.TextChoices):
    NONE = "", _("Not checked")
    MATCH = "match", _("Match")
    MISMATCH = "mismatch", _("Mismatch")
    NOT_ENROLLED = "not_enrolled", _("No enrolled photo")
    NO_FACE = "no_face", _("No face in the photo")
    MISSING = "missing", _("No photo sent")


class CheckIn(models.Model):
    """One passage through a gate, allowed or denied: the entry log. Written once, never changed;
    `client_id` (chosen by the gate) makes retries and re-uploads idempotent."""

    # Every index costs each of a thousand inserts a second: the foreign keys below have none of
    # their own. Site, organisation and person lead the composite indexes in Meta, which serve
    # their lookups; tokens and users are deactivated rather than deleted, so nothing looks
    # entries up by them.
    # Site, organisation, device token and recorder carry no database constraint: every entry of
    # a gate points at the same four rows, and PostgreSQL checks a constraint by locking the
    # referenced row for each inserted one, so concurrent gates queue on those few rows. The
    # check-in services read these rows in the same request, and Django's on_delete (PROTECT,
    # SET_NULL) still guards deletions (tests/test_models_log_integrity.py). The person, a
    # different row for each entry, keeps its constraint.
    client_id = models.UUIDField(_("client ID"), unique=True)
    site = models.ForeignKey(
        "registry.Site",
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("checkpoint site"),
        db_index=False,
        db_constraint=False,
    )
    # The site's organisation, copied so that per-organisation counts need no join.
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("person"),
        db_index=False,
    )
    masked_id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=5, choices=Decision.choices)
    status = models.CharField(_("health status"), max_length=10, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    face = models.CharField(_("face check"), max_length=12, choices=FaceResult.choices, blank=True)
    checked_at = BoundedDateTimeField(_("checked at"))
    received_at = models.DateTimeField(_("received at"))
    token = models.ForeignKey(
        "accounts.ApiToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("device"),
        db_index=False,
        db_constraint=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            # The newest-first list of the whole zone reads this index backwards and stops at a page.
            models.Index(fields=["checked_at", "id"], name="checkin_time"),
            models.Index(fields=["site", "checked_at"], name="checkin_site_time"),
            models.Index(fields=["organisation", "checked_at"], name="checkin_org_time"),
            models.Index(fields=["person", "checked_at"], name="checkin_person_time"),
            # The refusals of a day per site, which order the gates overview: a few among hundreds
            # of thousands of entries, and only they pay for this index.
            models.Index(fields=["site", "checked_at"], condition=Q(decision="deny"), name="checkin_site_denied"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__isnull=True) | (Q(temperature__gte=34) & Q(temperature__lte=43)),
                name="checkin_temperature_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.checked_at):%Y-%m-%d %H:%M} {self.direction} {self.decision}"

    @property
    def reason_codes(self) -> list[str]:
        return [r["code"] for r in self.reasons]


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert state", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class FeverAlert(TimeStampedModel):
    """Raised by a check-in at 37.3 °C or more; acknowledged by whoever takes charge, closed with
    a note on what was done (sent to the fever clinic, measured again ...).

    From the fever on, the person is refused at every gate of the zone until `released_at`: a
    normal re-test (FeverRetest) releases them once the alert is closed by an officer, or by
    itself when it was measured after the observation period (settings.FEVER_OBSERVATION_MINUTES)."""

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="alert", verbose_name=_("check-in"))
    site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fever_alerts",
        verbose_name=_("person"),
    )
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    released_at = models.DateTimeField(
        _("released at"), null=True, blank=True, help_text=_("From then on the gates let the person in again.")
    )

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("fever alert")
        verbose_name_plural = _("fever alerts")
        indexes = [
            models.Index(fields=["person", "checked_at"], name="fever_alert_person_time"),
            models.Index(fields=["site", "checked_at"], name="fever_alert_site_time"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.temperature} °C {timezone.localtime(self.checked_at):%Y-%m-%d %H:%M}"


class RetestMethod(models.TextChoices):
    AXILLARY = "axillary", _("Axillary (under the arm)")
    EAR = "ear", _("Ear")
    FOREHEAD = "forehead", _("Forehead")


class FeverRetest(models.Model):
    """A second measurement after rest, recorded by an officer responsible for the alert."""

    alert = models.ForeignKey(FeverAlert, on_delete=models.CASCADE, related_name="retests", verbose_name=_("alert"))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    method = models.CharField(_("method"), max_length=10, choices=RetestMethod.choices)
    measured_at = BoundedDateTimeField(_("measured at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["measured_at", "id"]
        verbose_name = _("re-test")
        verbose_name_plural = _("re-tests")
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__gte=34) & Q(temperature__lte=43), name="fever_retest_temperature_plausible"
            ),
        ]

    def __str__(self) -> str:
        measured = timezone.localtime(self.measured_at)
        return f"{self.temperature} °C ({self.get_method_display()}) {measured:%Y-%m-%d %H:%M}"

    @property
    def is_normal(self) -> bool:
        return self.temperature < Decimal(FEVER_THRESHOLD)


class FacePhoto(TimeStampedModel):
    """A person's enrolled photo for face-check channels: personal data. The file lives outside
    the public media root; the encoding is what the matcher compares. The latest counts."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="face_photos", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enrolled for organisation"),
    )
    file_name = models.CharField(_("file"), max_length=100, editable=False)
    content_type = models.CharField(pgettext_lazy("file", "content type"), max_length=40, editable=False)
    encoding = models.JSONField(_("face encoding"), editable=False)
    backend = models.CharField(_("matcher"), max_length=40, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enrolled face photo")
        verbose_name_plural = _("enrolled face photos")

    def __str__(self) -> str:
        return f"{self.person.masked_id_number} ({timezone.localtime(self.created_at):%Y-%m-%d})"


class SiteDayCount(models.Model):
    """A site's counts of one zone day, as the gates overview shows them: entries let in, exits,
    passages refused, and people whose latest passage there that day was an entry (on site).
    Kept by `refresh_day_counts` from the entry log, so that a page of a district's day reads one
    row per site instead of every entry of the day."""

    site = models.ForeignKey(
        "registry.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("checkpoint site")
    )
    day = models.DateField(_("day"))
    entries = models.IntegerField(default=0)
    exits = models.IntegerField(default=0)
    denied = models.IntegerField(default=0)
    on_site = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("day's counts of a site")
        constraints = [models.UniqueConstraint(fields=["day", "site"], name="site_day_count_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}"


class SiteHourCount(models.Model):
    """A site's entries let in and passages refused in one hour of a zone day: the gates' chart
    of the day. Kept with SiteDayCount."""

    site = models.ForeignKey(
        "registry.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("checkpoint site")
    )
    day = models.DateField(_("day"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    entries = models.IntegerField(default=0)
    denied = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hour's counts of a site")
        constraints = [models.UniqueConstraint(fields=["day", "site", "hour"], name="site_hour_count_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day} {self.hour:02d}h"


class OrganisationDayCount(models.Model):
    """How many different people were let in at an organisation's sites on a zone day: the
    attendance the gates count for resumption. Kept with SiteDayCount."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    day = models.DateField(_("day"))
    people = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("day's attendance of an organisation")
        constraints = [models.UniqueConstraint(fields=["day", "organisation"], name="organisation_day_count_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}"


class DayCountProgress(models.Model):
    """One row: every entry with an id up to `through_checkin_id` is counted in the day counts.
    The entries of the days before `purged_before` were deleted (core.retention): those days'
    counts are all that is left of them, and a rebuild keeps them."""

    through_checkin_id = models.BigIntegerField(default=0)
    purged_before = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("day counts progress")

    def __str__(self) -> str:
        return str(self.through_checkin_id)
