from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from zoneguard.core.api import MAX_ID, DateIn, InSchema
from zoneguard.core.context import absolute_url
from zoneguard.core.masking import mask_name, mask_phone

from .cards import card_path
from .models import Declaration, HealthStatus, Symptom


class TravelIn(InSchema):
    model_config = ConfigDict(populate_by_name=True)

    place: str = Field(..., min_length=1, max_length=100, description="City or district, e.g. 武汉市.")
    from_: DateIn = Field(..., alias="from", description="First day there.")
    to: DateIn = Field(..., description="Day of return; within the last 14 days.")


class ContactIn(InSchema):
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = Field(..., min_length=1, max_length=20, description="Mainland mobile number.")
    id_number: str | None = Field(None, max_length=40)


class DeclarationIn(InSchema):
    site_code: str = Field(..., min_length=1, max_length=32, description="The code carried by the site's QR poster.")
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = Field(..., min_length=1, max_length=40, description="18-character resident ID number.")
    phone: str = Field(..., min_length=1, max_length=20, description="Mainland mobile number.")
    temperature: float | None = Field(
        None, ge=-100, le=200, description="Today's temperature in °C if measured; 34.0–43.0 is accepted."
    )
    travel: list[TravelIn] = Field(default_factory=list, max_length=10)
    contact_with_case: bool = False
    symptoms: list[Symptom] = Field(default_factory=list, max_length=20)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=20)


class DeclarationOut(Schema):
    """The same for every accepted declaration, whether or not its ID number was registered."""

    status: HealthStatus
    reasons: list[str]
    valid_until: datetime
    card_url: str = Field(
        ..., description="The status card page to show at the gate; its address is signed and cannot be guessed."
    )

    @staticmethod
    def resolve_card_url(obj: Declaration, context: dict[str, Any]) -> str:
        return absolute_url(card_path(obj.card_code), context["request"])


class DeclarationFilters(InSchema):
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: HealthStatus | None = None
    day: DateIn | None = None
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    unverified: bool | None = Field(None, description="Only declarations whose name did not match the registry.")


class DeclarationListOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., description="Masked (张*葵).")
    phone: str = Field(..., description="Masked.")
    site_id: int | None
    status: HealthStatus
    reasons: list[str]
    valid_until: datetime
    declared_at: datetime
    identity_verified: bool
    held: bool = Field(
        ...,
        description="An officer's hold on the person is in force (close contact, home isolation): gates refuse them.",
    )

    @staticmethod
    def resolve_name(declaration: Declaration) -> str:
        return mask_name(declaration.name)

    @staticmethod
    def resolve_phone(declaration: Declaration) -> str:
        return mask_phone(declaration.phone)
