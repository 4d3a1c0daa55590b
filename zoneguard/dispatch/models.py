"""Economic dispatch (经济运行调度): investment projects with their milestones, risks, monthly progress,
contracts and fund disbursements; investment leads (招商引资) and their stage history.

Money is 万元 in exact decimals (two places: 100 元). Cumulative figures are never stored: they are
summed from the rows in SQL (selectors), so a corrected month corrects every total after it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.collation import PinyinOrder
from zoneguard.core.models import BoundedDateField, TimeStampedModel
from zoneguard.registry.models import Department, Organisation, OrganisationKind, Sector

# Money is 万元 with two decimals (max_digits=14: up to a trillion 万元, far above any project).
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class ProjectKind(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    PUBLIC_SERVICE = "public_service", _("Public service")
    COMMERCIAL = "commercial", _("Commercial and services")
    HOUSING = "housing", _("Housing and resettlement")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    COMPLETED = "completed", _("Completed")


class Project(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="dispatch_projects",
        verbose_name=_("owner organisation"),
        help_text=_("Usually the investment group or an enterprise."),
    )
    building_sites = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="dispatch_site_projects",
        limit_choices_to={"kind": OrganisationKind.BUILDING_PROJECT},
        verbose_name=_("building sites"),
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sector")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.INDUSTRIAL)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="dispatch_projects", verbose_name=_("responsible department")
    )
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), validators=NOT_NEGATIVE, max_digits=14, decimal_places=2
    )
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    year_planned_investment = models.DecimalField(
        _("planned investment this year (10k yuan)"), validators=NOT_NEGATIVE, max_digits=14, decimal_places=2
    )
    planned_start = BoundedDateField(_("planned start"), null=True, blank=True)
    planned_completion = BoundedDateField(_("planned completion"), null=True, blank=True)
    actual_start = BoundedDateField(_("actual start"), null=True, blank=True)
    actual_completion = BoundedDateField(_("actual completion"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED, db_index=True
    )
    status_changed_on = BoundedDateField(_("status changed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = [PinyinOrder("name"), "id"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0), name="project_total_not_negative"),
            models.CheckConstraint(condition=Q(year_planned_investment__gte=0), name="project_year_plan_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_completion__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_completion__gte=models.F("planned_start")),
                name="project_planned_dates_ordered",
                violation_error_message=_("The planned completion cannot be before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_completion__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_completion__gte=models.F("actual_start")),
                name="project_actual_dates_ordered",
                violation_error_message=_("The actual completion cannot be before the actual start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # This year's share of the investment is part of the whole.
        total, year = self.total_investment, self.year_planned_investment
        if total is not None and year is not None and year > total:
            raise ValidationError(
                {"year_planned_investment": _("This year's planned investment cannot exceed the total investment.")}
            )

    @property
    def audit_organisation_id(self) -> int | None:
        return self.owner_id


class Milestone(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=200)
    planned_on = BoundedDateField(_("planned date"))
    achieved_on = BoundedDateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class RiskState(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk", "Open")
    IN_HAND = "in_hand", _("Being handled")
    RESOLVED = "resolved", _("Resolved")


class Risk(TimeStampedModel):
    """A risk or problem holding a project back, with the department that owns its solution."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks", verbose_name=_("project"))
    description = models.TextField(_("description"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="dispatch_risks", verbose_name=_("owner department")
    )
    # The day the risk came up, which may be before it was recorded: its due date is counted from it.
    raised_on = BoundedDateField(_("raised on"), default=timezone.localdate)
    due_on = BoundedDateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=RiskState.choices, default=RiskState.OPEN)
    resolved_on = BoundedDateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("risk or problem")
        verbose_name_plural = _("risks and problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("raised_on")),
                name="risk_due_after_raised",
                violation_error_message=_("The due date cannot be before the day the risk was raised."),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class MonthlyProgress(TimeStampedModel):
    """One project's month: what was invested that month and how many worked on site. The
    cumulative and the share of the year's plan are summed from these rows, never stored."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress", verbose_name=_("project"))
    month = BoundedDateField(_("month"), help_text=_("The first day of the month."))
    invested = models.DecimalField(
        _("investment this month (10k yuan)"), validators=NOT_NEGATIVE, max_digits=14, decimal_places=2
    )
    workers_on_site = models.PositiveIntegerField(_("workers on site"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("monthly progress")
        verbose_name_plural = _("monthly progress")
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progress_one_per_project_month"),
            models.CheckConstraint(condition=Q(invested__gte=0), name="progress_invested_not_negative"),
            models.CheckConstraint(condition=Q(workers_on_site__lte=1_000_000), name="progress_workers_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"


class Contract(TimeStampedModel):
    """A contract of a project with a contractor: what may be paid to it at most."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("project"))
    contractor = models.CharField(_("contractor"), max_length=200)
    number = models.CharField(_("contract number"), max_length=60)
    title = models.CharField(_("title"), max_length=200, blank=True)
    amount = models.DecimalField(_("contract amount (10k yuan)"), validators=POSITIVE, max_digits=14, decimal_places=2)
    signed_on = BoundedDateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="contract_number_unique_per_project"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.contractor}"


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal funds")
    SPECIAL_BOND = "special_bond", _("Special bonds")
    BANK_LOAN = "bank_loan", _("Bank loan")
    OWN_FUNDS = "own_funds", _("Own funds")
    OTHER = "other", _("Other source")


class Disbursement(TimeStampedModel):
    """A payment to a contractor (拨付工程款). The contract's cumulative payments never exceed its
    amount: the service locks the contract row while it checks and writes."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("contract")
    )
    amount = models.DecimalField(_("amount (10k yuan)"), validators=POSITIVE, max_digits=14, decimal_places=2)
    paid_on = BoundedDateField(_("paid on"))
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.contract} {self.amount}"


# --- Investment leads (招商引资) ---------------------------------------------------------------


class LeadDesk(TimeStampedModel):
    """A department that attracts investment (招商): its officers own the leads. Data, not a name in
    the code: the zone says which of its departments does this work."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="lead_desk", verbose_name=_("department")
    )

    class Meta:
        verbose_name = _("investment attraction department")
        verbose_name_plural = _("investment attraction departments")

    def __str__(self) -> str:
        return str(self.department)


class LeadSector(models.TextChoices):
    FIVE_G = "5g", _("5G")
    AI = "ai", _("Artificial intelligence")
    IOT = "iot", _("Internet of things")
    SMART_TRANSPORT = "smart_transport", _("Smart transport")
    NEW_MATERIALS = "new_materials", _("New materials")
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    OTHER = "other", _("Other sector")


class LeadStage(models.TextChoices):
    """In the order a lead moves through them (funnel.py)."""

    CONTACT = "contact", _("First contact")
    VISIT = "visit", _("Visit")
    NEGOTIATION = "negotiation", _("Negotiation")
    SIGNED = "signed", _("Agreement signed")
    REGISTERED = "registered", _("Company registered")
    STARTED = "started", _("Construction started")


class Lead(TimeStampedModel):
    company_name = models.CharField(_("company name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=LeadSector.choices, db_index=True)
    origin = models.CharField(_("origin"), max_length=100, blank=True, help_text=_("Where the company comes from."))
    estimated_investment = models.DecimalField(
        _("estimated investment (10k yuan)"),
        validators=NOT_NEGATIVE,
        default=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    stage = models.CharField(_("stage"), max_length=20, choices=LeadStage.choices, default=LeadStage.CONTACT)
    stage_changed_on = BoundedDateField(_("stage changed on"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_owner = models.CharField(_("next step owner"), max_length=50, blank=True)
    next_step_on = BoundedDateField(_("next step date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
        editable=False,
        verbose_name=_("registered organisation"),
    )
    project = models.OneToOneField(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
        editable=False,
        verbose_name=_("project"),
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("investment lead")
        verbose_name_plural = _("investment leads")
        constraints = [
            models.CheckConstraint(condition=Q(estimated_investment__gte=0), name="lead_estimate_not_negative"),
        ]

    def __str__(self) -> str:
        return self.company_name


class LeadStageChange(models.Model):
    """The dated history of a lead's stages; the first row is its creation (from_stage empty)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("lead"))
    from_stage = models.CharField(_("from stage"), max_length=20, choices=LeadStage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=LeadStage.choices)
    changed_on = BoundedDateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["to_stage", "changed_on"], name="lead_stage_change_to_on")]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_stage} → {self.to_stage}"
