"""Facts, policies and their conditions, matching, tax profiles, questions and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from zoneguard.core.api import DateIn, InSchema

from .. import eligibility
from ..models import Operator, PolicyCondition, PolicyStatus, RevenueBand, TaxpayerType
from .common import AttachmentOut, Id, OptionalId


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


class TaxTypeOut(Schema):
    code: str
    name: str


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


# --- Questions and answers ------------------------------------------------------------------------


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
