from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, InSchema
from zoneguard.core.masking import mask_phone
from zoneguard.core.roles import Role

from .models import InvitationState


class TokenIn(InSchema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=256)
    code: str = Field(
        "",
        max_length=16,
        description="The commander's and department officers' authenticator code, or a recovery code.",
    )


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    organisation_id: int | None
    department_id: int | None
    site_id: int | None = Field(None, description="The one site a device token works at.")

    @staticmethod
    def resolve_site_id(user: Any) -> int | None:
        return user.device_site_id


# --- Users ---------------------------------------------------------------------------------------

Id = Field(..., ge=1, le=MAX_ID)
OptionalId = Field(None, ge=1, le=MAX_ID)


class UserFilters(InSchema):
    role: Role | None = None
    state: Literal["active", "inactive"] | None = None
    q: str = Field("", max_length=50, description="Part of the user name or full name.")


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    organisation_id: int | None
    organisation_name: str | None
    department_id: int | None
    department_name: str | None
    phone: str = Field(..., description="Masked (138****8000).")
    is_active: bool
    last_login: datetime | None
    second_factor: bool = Field(..., description="Whether the user has an authenticator set up.")

    @staticmethod
    def resolve_organisation_name(user: Any) -> str | None:
        return user.organisation.name if user.organisation_id else None

    @staticmethod
    def resolve_department_name(user: Any) -> str | None:
        return user.department.name if user.department_id else None

    @staticmethod
    def resolve_phone(user: Any) -> str:
        return mask_phone(user.phone)

    @staticmethod
    def resolve_second_factor(user: Any) -> bool:
        return bool(getattr(user, "has_second_factor", False))


class UserPatchIn(InSchema):
    role: Role | None = Field(None, description="A role the caller may grant where the user is.")
    is_active: bool | None = None
    reset_second_factor: bool = Field(False, description="Delete the user's authenticator and recovery codes.")


# --- Invitations ---------------------------------------------------------------------------------


class InvitationFilters(InSchema):
    state: InvitationState | None = None


class InvitationIn(InSchema):
    role: Role
    full_name: str = Field(..., min_length=1, max_length=50)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20, description="Mainland mobile number.")
    organisation_id: int | None = OptionalId
    department_id: int | None = OptionalId
    language: Literal["zh-hans", "en"] = "zh-hans"


class InvitationOut(Schema):
    id: int
    role: str
    full_name: str
    email: str
    phone: str = Field(..., description="Masked.")
    organisation_id: int | None
    department_id: int | None
    state: str = Field(..., description="open, accepted, revoked or expired.")
    created_at: datetime
    expires_at: datetime
    user_id: int | None

    @staticmethod
    def resolve_phone(invitation: Any) -> str:
        return mask_phone(invitation.phone)


class InvitationCreatedOut(InvitationOut):
    link: str = Field(..., description="The link to send the invitee; shown only now.")


# --- Enterprise applications ---------------------------------------------------------------------


class ApplicationFilters(InSchema):
    status: Literal["pending", "approved", "refused"] | None = None


class ApplicationIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Literal["enterprise", "building_project", "shop", "market"] = "enterprise"
    credit_code: str = Field(..., min_length=1, max_length=40, description="Unified social credit code (GB 32100).")
    sector_id: int | None = OptionalId
    address: str = Field(..., min_length=1, max_length=300)
    total_staff: int = Field(..., ge=0, le=10_000_000)
    contact_name: str = Field(..., min_length=1, max_length=50)
    contact_phone: str = Field(..., min_length=1, max_length=20, description="Mainland mobile number.")
    contact_email: str = Field(..., min_length=3, max_length=254)


class ApplicationReceivedOut(Schema):
    id: int
    status: str


class ApplicationOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str
    sector_id: int | None
    address: str
    total_staff: int
    contact_name: str
    contact_phone: str = Field(..., description="Masked.")
    status: str
    reason: str
    created_at: datetime
    decided_at: datetime | None
    organisation_id: int | None

    @staticmethod
    def resolve_contact_phone(application: Any) -> str:
        return mask_phone(application.contact_phone)


class ApplicationDecisionIn(InSchema):
    decision: Literal["approve", "refuse"]
    reason: str = Field("", max_length=2000, description="Required to refuse.")


class ApplicationDecidedOut(ApplicationOut):
    invitation_link: str = Field("", description="When approved: the contact's invitation link, shown only now.")
