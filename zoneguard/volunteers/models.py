"""The volunteer corps of the communities ("衡阳群众"): who volunteers where, the shifts they staff
at checkpoints, the tasks they do (canvassing shops one by one, dropping leaflets) and what the
canvassing found that the community must follow up.

A volunteer belongs to one community (an organisation of kind community); a shift to the community
of its site (the site's organisation, or the community that organisation is registered in). The
community's record of a volunteer keeps the name and phone as entered, as a registry membership
does; the person is the registry's, by ID number."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.collation import PinyinOrder
from zoneguard.core.masking import mask_phone
from zoneguard.core.models import BoundedDateField, TimeStampedModel
from zoneguard.registry import validators

MAX_NEEDED = 100  # volunteers one shift asks for
MAX_STAFF = 10_000
MAX_LEAFLETS = 100_000


class Skill(models.TextChoices):
    DRIVING = "driving", _("Driving")
    MEDICAL = "medical", _("Medical care")
    FIRST_AID = "first_aid", _("First aid")
    LANGUAGE = "language", _("Languages and dialects")
    COUNSELLING = "counselling", _("Counselling")
    PHONES = "phones", _("Phones and computers")
    CARRYING = "carrying", _("Carrying and delivery")


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", pgettext_lazy("volunteer status", "Approved")
    SUSPENDED = "suspended", _("Suspended")


class Volunteer(TimeStampedModel):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    community = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "community"},
        verbose_name=_("community"),
    )
    # The volunteer's own account, to sign up for shifts and record results on their phone.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=50, validators=[validators.validate_name])
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validators.validate_mobile])
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("For example: weekday mornings, weekends.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING, db_index=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    # Set by selectors.volunteer_read once the reader may see the phone and ID number in full and
    # the read is audited; lists show them masked.
    personal_data_read: bool = False
    # Not a column: set on a pending applicant's own view of a record (selectors.volunteer_read).
    awaiting_approval: bool = False

    class Meta:
        ordering = [PinyinOrder("name"), "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.UniqueConstraint(fields=["person", "community"], name="volunteer_once_per_community"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        self.phone = validators.normalize_phone(self.phone) if self.phone else ""
        self.name = (self.name or "").strip()
        super().clean_fields(exclude)

    @property
    def audit_organisation_id(self) -> int | None:
        return self.community_id

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels.get(code, code)) for code in self.skills or []]

    @property
    def is_approved(self) -> bool:
        return self.status == VolunteerStatus.APPROVED


class Shift(TimeStampedModel):
    """A turn of duty at a checkpoint site: how many volunteers it needs, from when to when."""

    community = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(
        _("volunteers needed"), validators=[MinValueValidator(1), MaxValueValidator(MAX_NEEDED)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    # Annotated by the selectors: the sign-ups that stand.
    taken: int

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        indexes = [models.Index(fields=["community", "starts_at"], name="shift_community_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(needed__gte=1) & Q(needed__lte=MAX_NEEDED), name="shift_needed_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def audit_organisation_id(self) -> int | None:
        return self.community_id


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(TimeStampedModel):
    """A volunteer's place on a shift, and when they came and left (hours.py counts the time)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("shift"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="signups", verbose_name=_("volunteer")
    )
    status = models.CharField(_("status"), max_length=10, choices=SignUpStatus.choices, default=SignUpStatus.SIGNED_UP)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)

    class Meta:
        ordering = ["shift__starts_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [models.Index(fields=["volunteer", "status"], name="signup_volunteer_status")]
        constraints = [
            # One standing place per volunteer and shift; a cancelled one may be taken again.
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status="signed_up"),
                name="signup_once_per_shift",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="signup_out_after_in",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("checked_in_at")),
                name="signup_out_not_before_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"

    @property
    def is_active(self) -> bool:
        return self.status == SignUpStatus.SIGNED_UP


class VolunteerTaskKind(models.TextChoices):
    CANVASSING = "canvassing", _("Shop canvassing")
    LEAFLETS = "leaflets", _("Leaflet drop")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Done")


class Task(TimeStampedModel):
    """Work given to volunteers of a community: canvassing its shops one by one
    ("逐个走访辖区门店,进行摸排...做好排查登记"), or dropping leaflets building by building."""

    community = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=VolunteerTaskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    due_on = BoundedDateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    volunteers = models.ManyToManyField(Volunteer, related_name="tasks", blank=True, verbose_name=_("volunteers"))
    # The shops (or markets, or any organisation of the community) a canvassing round covers.
    shops = models.ManyToManyField("registry.Organisation", related_name="+", blank=True, verbose_name=_("shops"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int | None:
        return self.community_id


def visit_photo_path(instance: Any, filename: str) -> str:
    return f"volunteers/visits/{instance.task_id}/{filename}"


class ShopVisit(TimeStampedModel):
    """One shop's checklist in a canvassing round. The checklist is for open shops: a closed one
    has no staff count or checks."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="visits", verbose_name=_("task"))
    shop = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("shop")
    )
    visited_by = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("visited by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    visited_at = models.DateTimeField(_("visited at"))
    is_open = models.BooleanField(pgettext_lazy("shop", "open"))
    staff_count = models.PositiveIntegerField(
        _("staff on site"), null=True, blank=True, validators=[MaxValueValidator(MAX_STAFF)]
    )
    masks_worn = models.BooleanField(_("masks worn"), null=True, blank=True)
    staff_registered = models.BooleanField(_("staff registered"), null=True, blank=True)
    disinfection_done = models.BooleanField(_("disinfection done"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to=visit_photo_path, max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("shop visit")
        verbose_name_plural = _("shop visits")
        constraints = [
            models.UniqueConstraint(fields=["task", "shop"], name="shop_visit_once_per_task"),
            models.CheckConstraint(
                condition=Q(staff_count__isnull=True) | Q(staff_count__lte=MAX_STAFF), name="shop_visit_staff_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {timezone.localtime(self.visited_at):%Y-%m-%d}"


class LeafletDrop(TimeStampedModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="drops", verbose_name=_("task"))
    building = models.CharField(_("building"), max_length=100)
    leaflets = models.PositiveIntegerField(
        _("leaflets"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEAFLETS)]
    )
    dropped_by = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dropped by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    dropped_at = models.DateTimeField(_("dropped at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-dropped_at", "-id"]
        verbose_name = _("leaflet drop")
        verbose_name_plural = _("leaflet drops")
        constraints = [
            models.CheckConstraint(
                condition=Q(leaflets__gte=1) & Q(leaflets__lte=MAX_LEAFLETS), name="leaflet_drop_count_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building}: {self.leaflets}"


class TodoReason(models.TextChoices):
    UNREGISTERED_STAFF = "unregistered_staff", _("Open without staff registration")


class TodoStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


class Todo(TimeStampedModel):
    """Something the canvassing found that the community must put right: a shop open without its
    staff registered (canvassing.needs_follow_up). One open to-do per shop and reason."""

    community = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("shop")
    )
    reason = models.CharField(_("reason"), max_length=30, choices=TodoReason.choices)
    visit = models.ForeignKey(
        ShopVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("found on")
    )
    status = models.CharField(_("status"), max_length=6, choices=TodoStatus.choices, default=TodoStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_note = models.CharField(_("what was done"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("to-do")
        verbose_name_plural = _("to-dos")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reason"], condition=Q(status="open"), name="todo_open_once_per_shop"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_reason_display()}"

    @property
    def audit_organisation_id(self) -> int | None:
        return self.community_id
