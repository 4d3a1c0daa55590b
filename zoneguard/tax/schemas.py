from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, StringConstraints, field_validator

from zoneguard.core.api import MAX_ID, DateIn, DateTimeIn, InSchema

from . import eligibility
from .models import (
    AppointmentStatus,
    Deferral,
    DeferralEvidence,
    DeferralStatus,
    OpeningHours,
    Operator,
    PolicyAttachment,
    PolicyCondition,
    PolicyStatus,
    Purpose,
    RevenueBand,
    TaxpayerType,
)
from .money import AMOUNT_PATTERN, amount_str
from .selectors import DeferralSummary, deferral_items

Id = Field(..., ge=1, le=MAX_ID)
OptionalId = Field(None, ge=1, le=MAX_ID)
Amount = Annotated[
    str,
    StringConstraints(pattern=AMOUNT_PATTERN, max_length=16),
    Field(
        description="Yuan, as a string with at most two decimals and no sign, e.g. `595646.00`.", examples=["595646.00"]
    ),
]


def _amount_out(value: Any) -> Any:
    return amount_str(value) if isinstance(value, Decimal) else value


# A stored Decimal, written as the API writes amounts.
AmountOut = Annotated[
    str, BeforeValidator(_amount_out), Field(description="Yuan, a string with two decimals.", examples=["595646.00"])
]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]


# --- Facts, policies, conditions ------------------------------------------------------------------


class ChoiceOut(Schema):
    value: str
    label: str


class FactOut(Schema):
    name: str
    label: str
    kind: str = Field(..., description="choice, number, bool or text.")
    operators: list[ChoiceOut]
    choices: list[ChoiceOut]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    published: int = Field(..., description="Published policies in the category.")


class PolicyFilters(InSchema):
    status: PolicyStatus | None = None
    category_id: int | None = OptionalId
    search: str = Field("", max_length=100)


class PolicyIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    category_id: int = Id
    issuer: str = Field(..., min_length=1, max_length=100)
    document_number: str = Field("", max_length=100)
    valid_from: DateIn
    valid_until: DateIn | None = None
    summary: str = Field("", max_length=500)
    text: str = Field(..., min_length=1, max_length=50_000)


class PolicyPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    category_id: int | None = OptionalId
    issuer: str | None = Field(None, min_length=1, max_length=100)
    document_number: str | None = Field(None, max_length=100)
    valid_from: DateIn | None = None
    valid_until: DateIn | None = None
    summary: str | None = Field(None, max_length=500)
    text: str | None = Field(None, min_length=1, max_length=50_000)


class ConditionIn(InSchema):
    fact: str = Field(..., min_length=1, max_length=50, description="A fact name from `GET /tax/facts`.")
    operator: Operator
    value: str = Field("", max_length=100, description="The value compared with (not for is_true/is_false).")
    values: list[Annotated[str, StringConstraints(max_length=100)]] = Field(
        default_factory=list, max_length=50, description="For `in` and `not_in`: the values."
    )


class ConditionOut(Schema):
    id: int
    fact: str
    operator: str
    value: str | list[str] | None
    text: str = Field(..., description="The condition as a sentence in the reader's language.")

    @staticmethod
    def resolve_text(condition: PolicyCondition) -> str:
        return eligibility.condition_text(condition)


# A policy's attachment or a deferral's evidence.
class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_url(attachment: PolicyAttachment | DeferralEvidence) -> str:
        name = "tax:attachment" if isinstance(attachment, PolicyAttachment) else "tax:evidence"
        return reverse(name, args=[attachment.pk])


class PolicyOut(Schema):
    id: int
    title: str
    category_id: int
    category: str = Field(..., alias="category.name")
    issuer: str
    document_number: str
    valid_from: date
    valid_until: date | None
    summary: str
    status: str
    published_at: datetime | None


class PolicyDetailOut(PolicyOut):
    text: str
    conditions: list[ConditionOut]
    attachments: list[AttachmentOut]


# An eligibility.ConditionResult.
class ReasonOut(Schema):
    fact: str = Field(..., alias="condition.fact")
    condition: str = Field(..., alias="text", description="The condition as a sentence.")
    actual: str = Field(..., description="The organisation's value of the fact.")
    holds: bool


# An eligibility.PolicyResult.
class EligiblePolicyOut(Schema):
    policy_id: int = Field(..., alias="policy.id")
    title: str = Field(..., alias="policy.title")
    category: str = Field(..., alias="policy.category.name")
    reasons: list[ReasonOut] = Field(..., alias="conditions")


# A selectors.EligibleOrganisation.
class EligibleOrganisationOut(Schema):
    organisation_id: int = Field(..., alias="organisation.id")
    name: str = Field(..., alias="organisation.name")
    notified: bool = Field(..., description="Whether the organisation has been told about the policy.")
    reasons: list[ReasonOut] = Field(..., alias="result.conditions")


class ProfileIn(InSchema):
    taxpayer_type: TaxpayerType | None = None
    revenue_band: RevenueBand | None = None
    hardship_reported: bool | None = None
    hardship_note: str | None = Field(None, max_length=500)


class ProfileOut(Schema):
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    taxpayer_type: str
    revenue_band: str
    hardship_reported: bool
    hardship_note: str


class QuestionFilters(InSchema):
    policy_id: int | None = OptionalId
    organisation_id: int | None = OptionalId
    answered: bool | None = None


class QuestionIn(InSchema):
    policy_id: int = Id
    organisation_id: int = Id
    question: str = Field(..., min_length=1, max_length=2000)


class AnswerIn(InSchema):
    answer: str = Field(..., min_length=1, max_length=5000)
    publish: bool = Field(False, description="Publish the question and its answer as FAQ.")


class QuestionOut(Schema):
    id: int
    policy_id: int
    policy_title: str = Field(..., alias="policy.title")
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    question: str
    answer: str
    answered_at: datetime | None
    is_faq: bool
    created_at: datetime


class FaqFilters(InSchema):
    policy_id: int | None = OptionalId


class FaqOut(Schema):
    id: int
    policy_id: int
    policy_title: str = Field(..., alias="policy.title")
    question: str
    answer: str


# --- Hall, slots, appointments --------------------------------------------------------------------


class WindowOut(Schema):
    id: int
    name: str
    services: str
    is_active: bool


class WindowIn(InSchema):
    name: str = Field(..., min_length=1, max_length=50)
    services: str = Field("", max_length=200)
    is_active: bool = True


class WindowPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=50)
    services: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class OpeningHoursIn(InSchema):
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday.")
    opens_at: time = Field(..., description="Local time of the zone, HH:MM, without an offset.")
    closes_at: time = Field(..., description="Local time of the zone, HH:MM, without an offset.")

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _local(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError(_("Enter a local time without a time zone."))
        return value


class OpeningHoursOut(Schema):
    id: int
    weekday: int = Field(..., description="0 is Monday.")
    opens_at: str
    closes_at: str

    @staticmethod
    def resolve_opens_at(hours: OpeningHours) -> str:
        return f"{hours.opens_at:%H:%M}"

    @staticmethod
    def resolve_closes_at(hours: OpeningHours) -> str:
        return f"{hours.closes_at:%H:%M}"


class HallOut(Schema):
    id: int
    name: str
    address: str
    windows: list[WindowOut]
    opening_hours: list[OpeningHoursOut]


class SlotFilters(InSchema):
    date: DateIn
    hall_id: int | None = OptionalId


class SlotIn(InSchema):
    starts_at: DateTimeIn = Field(..., description="ISO 8601; without an offset, the zone's local time.")
    ends_at: DateTimeIn
    capacity: int = Field(..., ge=1, le=1000)
    hall_id: int | None = Field(None, ge=1, le=MAX_ID, description="The hall; the first open hall if left out.")


class SlotPatch(InSchema):
    capacity: int | None = Field(None, ge=1, le=1000)
    is_open: bool | None = None


class SlotsGenerateIn(InSchema):
    date_from: DateIn
    date_to: DateIn
    minutes: int = Field(30, ge=5, le=720)
    capacity: int | None = Field(None, ge=1, le=1000, description="Defaults to the number of open windows.")
    hall_id: int | None = OptionalId


class SlotsGeneratedOut(Schema):
    created: int


class SlotOut(Schema):
    id: int
    hall_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    available: int
    is_open: bool


class ClosureIn(InSchema):
    date: DateIn
    reason: str = Field("", max_length=200)
    hall_id: int | None = OptionalId


class ClosureOut(Schema):
    id: int
    hall_id: int
    date: date
    reason: str
    cancelled: int = Field(..., description="Bookings cancelled by the closure (their taxpayers are told).")


class AppointmentFilters(InSchema):
    date: DateIn | None = None
    organisation_id: int | None = OptionalId
    status: AppointmentStatus | None = None


class AppointmentIn(InSchema):
    slot_id: int = Id
    organisation_id: int = Id
    purpose: Purpose
    note: str = Field("", max_length=200)


class RescheduleIn(InSchema):
    slot_id: int = Id


class AppointmentOut(Schema):
    id: int
    code: str = Field(..., description="The booking code to show at the hall.")
    slot_id: int
    starts_at: datetime = Field(..., alias="slot.starts_at")
    ends_at: datetime = Field(..., alias="slot.ends_at")
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    purpose: str
    status: str
    note: str


# --- Deferrals ------------------------------------------------------------------------------------


class TaxTypeOut(Schema):
    code: str
    name: str


class DeferralItemIn(InSchema):
    tax_type: Code = Field(..., description="A tax type code from `GET /tax/tax-types`, e.g. `vat`.")
    amount: Amount


class DeferralIn(InSchema):
    organisation_id: int = Id
    months: int = Field(..., ge=1, le=3)
    reason: str = Field(..., min_length=1, max_length=5000)
    items: list[DeferralItemIn] = Field(..., min_length=1, max_length=20)
    period: DateIn | None = Field(
        None, description="Any day of the tax period's month; defaults to the month due next."
    )
    due_on: DateIn | None = Field(None, description="The payment deadline; the 15th of the next month by default.")


class DeferralFilters(InSchema):
    status: DeferralStatus | None = None
    organisation_id: int | None = OptionalId


class DecisionIn(InSchema):
    decision: Literal["approve", "refuse"]
    months: int | None = Field(None, ge=1, le=3, description="Months granted; as applied for if left out.")
    amounts: dict[Code, Amount] = Field(
        default_factory=dict, max_length=20, description="Tax type code → amount granted; as applied for if left out."
    )
    note: str = Field("", max_length=2000, description="Required when refusing.")


class DeferralItemOut(Schema):
    tax_type: str = Field(..., alias="tax_type.code")
    tax_type_name: str = Field(..., alias="tax_type.name")
    amount: AmountOut
    approved_amount: AmountOut | None


class DeferralOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    period: str = Field(..., description="YYYY-MM")
    due_on: date
    months: int
    reason: str
    total: AmountOut
    status: str
    items: list[DeferralItemOut]
    approved_months: int | None
    approved_total: AmountOut | None
    new_due_on: date | None
    decision_note: str
    decided_at: datetime | None
    evidence: list[AttachmentOut]

    @staticmethod
    def resolve_period(deferral: Deferral) -> str:
        return f"{deferral.period:%Y-%m}"

    @staticmethod
    def resolve_items(deferral: Deferral) -> list[Any]:
        return deferral_items(deferral)


class SummaryFilters(InSchema):
    date_from: DateIn | None = Field(None, alias="from", description="First day of decisions counted.")
    date_to: DateIn | None = Field(None, alias="to", description="Last day of decisions counted.")


class SummaryOut(Schema):
    count: int = Field(..., alias="enterprises", description="Enterprises with approved deferrals in the period.")
    deferrals: int = Field(..., description="Approved applications in the period.")
    total: AmountOut
    by_tax_type: dict[str, AmountOut] = Field(..., description="Tax type code → total granted.")

    @staticmethod
    def resolve_by_tax_type(summary: DeferralSummary) -> dict[str, Any]:
        return {t.code: t.total for t in summary.by_tax_type}
