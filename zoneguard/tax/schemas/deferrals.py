"""Applications to defer taxes, their decisions and the summary of what was granted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StringConstraints

from zoneguard.core.api import DateIn, InSchema

from ..models import Deferral, DeferralStatus
from ..money import AMOUNT_PATTERN, amount_str
from ..selectors import DeferralSummary, deferral_items
from .common import AttachmentOut, Id, OptionalId

Amount = Annotated[
    str,
    StringConstraints(pattern=AMOUNT_PATTERN, max_length=16),
    Field(
        description="Yuan, as a string with at most two decimals and no sign, e.g. `595646.00`.", examples=["595646.00"]
    ),
]


def _amount_text(value: Any) -> Any:
    return amount_str(value) if isinstance(value, Decimal) else value


# A stored Decimal, written as the API writes amounts.
AmountOut = Annotated[
    str, BeforeValidator(_amount_text), Field(description="Yuan, a string with two decimals.", examples=["595646.00"])
]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]


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


class DeferralDecisionIn(InSchema):
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
