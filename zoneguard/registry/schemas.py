from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, InSchema
from zoneguard.core.masking import mask_phone

from .models import Organisation, OrganisationKind, OrganisationSize, Person, SiteKind

Id = Field(..., ge=1, le=MAX_ID)
OptionalId = Field(None, ge=1, le=MAX_ID)


class DepartmentOut(Schema):
    id: int
    code: str
    name: str


class SectorOut(Schema):
    id: int
    code: str
    name: str


class OrganisationFilters(InSchema):
    search: str = Field("", max_length=100, description="Part of the name, contact or address, or a credit code.")
    kind: OrganisationKind | None = None
    sector_id: int | None = OptionalId
    community_id: int | None = OptionalId
    is_active: bool | None = None


class OrganisationIn(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrganisationKind
    sector_id: int | None = OptionalId
    size: OrganisationSize | None = None
    credit_code: str | None = Field(None, max_length=40, description="统一社会信用代码, 18 characters (GB 32100).")
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)
    total_staff: int = Field(0, ge=0, le=10_000_000)
    community_id: int | None = OptionalId
    parent_id: int | None = OptionalId
    is_active: bool = True


class OrganisationPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganisationKind | None = None
    sector_id: int | None = OptionalId
    size: OrganisationSize | None = None
    credit_code: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=20)
    total_staff: int | None = Field(None, ge=0, le=10_000_000)
    community_id: int | None = OptionalId
    parent_id: int | None = OptionalId
    is_active: bool | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    sector_id: int | None
    sector: str | None = Field(None, description="Sector name.")
    size: str
    credit_code: str | None
    address: str
    contact_name: str
    contact_phone: str = Field(..., description="Masked in lists; in full when one organisation is read.")
    total_staff: int
    community_id: int | None
    parent_id: int | None
    is_active: bool

    @staticmethod
    def resolve_sector(organisation: Organisation) -> str | None:
        return organisation.sector.name if organisation.sector else None

    @staticmethod
    def resolve_contact_phone(organisation: Organisation) -> str:
        return mask_phone(organisation.contact_phone)


# One organisation read or written: its contact phone in full.
class OrganisationDetailOut(OrganisationOut):
    @staticmethod
    def resolve_contact_phone(organisation: Organisation) -> str:
        return organisation.contact_phone


class SiteFilters(InSchema):
    organisation_id: int | None = OptionalId
    kind: SiteKind | None = None
    search: str = Field("", max_length=100)
    is_active: bool | None = None


class SiteIn(InSchema):
    organisation_id: int = Id
    name: str = Field(..., min_length=1, max_length=200)
    kind: SiteKind = SiteKind.GATE
    default_dwell_minutes: int | None = Field(
        None, ge=1, le=1440, description="Assumed stay without a check-out; 480 at workplaces, 60 at markets and shops."
    )
    address: str = Field("", max_length=300)
    is_active: bool = True


class SitePatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: SiteKind | None = None
    default_dwell_minutes: int | None = Field(None, ge=1, le=1440)
    address: str | None = Field(None, max_length=300)
    is_active: bool | None = None


class SiteOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    name: str
    kind: str
    default_dwell_minutes: int
    code: str = Field(..., description="The site code carried by the site's QR poster.")
    address: str
    is_active: bool


class PersonFilters(InSchema):
    search: str = Field("", max_length=100, description="Part of the name, or a whole ID number or phone.")
    organisation_id: int | None = OptionalId
    is_active_member: bool | None = None


class PersonIn(InSchema):
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = Field(..., min_length=1, max_length=40, description="18-character resident ID number (GB 11643).")
    phone: str = Field("", max_length=20, description="Mainland mobile number.")
    organisation_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Register as a member of this organisation (required unless commander)."
    )
    position: str = Field("", max_length=100)


class PersonPatch(InSchema):
    name: str | None = Field(None, min_length=1, max_length=50)
    id_number: str | None = Field(None, min_length=1, max_length=40)
    phone: str | None = Field(None, max_length=20)


# A person from the registry's selectors, as the caller sees them (`shown_name`, `shown_phone`):
# the ID number and phone masked, unless selectors.person_read let the caller read them in full
# (and audited it).
class PersonOut(Schema):
    id: int
    name: str = Field(..., alias="shown_name")
    id_number: str = Field(..., description="Masked (430406********1234) unless `masked` is false.")
    phone: str
    masked: bool

    @staticmethod
    def resolve_id_number(person: Person) -> str:
        return person.id_number if person.personal_data_read else person.masked_id_number

    @staticmethod
    def resolve_phone(person: Person) -> str:
        return (person.shown_phone or "") if person.personal_data_read else mask_phone(person.shown_phone)

    @staticmethod
    def resolve_masked(person: Person) -> bool:
        return not person.personal_data_read


class MembershipFilters(InSchema):
    organisation_id: int | None = OptionalId
    person_id: int | None = OptionalId
    is_active: bool | None = None


class MembershipIn(InSchema):
    person_id: int = Id
    organisation_id: int = Id
    name: str | None = Field(
        None, min_length=1, max_length=50, description="The organisation's record of the name; yours by default."
    )
    phone: str | None = Field(None, max_length=20, description="The organisation's record of the phone.")
    position: str = Field("", max_length=100)
    started_on: DateIn | None = None


class MembershipPatch(InSchema):
    position: str | None = Field(None, max_length=100)
    is_active: bool | None = None
    started_on: DateIn | None = None
    ended_on: DateIn | None = None


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="name", description="The name as this organisation recorded it.")
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    position: str
    is_active: bool
    started_on: date | None
    ended_on: date | None
