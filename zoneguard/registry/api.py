from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, Mapped, Paging
from zoneguard.core.masking import mask_phone

from . import selectors, services
from .models import Membership, Organisation, Person, Site
from .schemas import (
    DepartmentOut,
    MembershipFilters,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPatch,
    SectorOut,
    SiteFilters,
    SiteIn,
    SiteOut,
    SitePatch,
)

router = Router(tags=["registry"])

PK = Path(..., ge=1, le=MAX_ID)
# API names of foreign keys → model field names the services take.
RENAMES = {"sector_id": "sector", "community_id": "community", "parent_id": "parent"}


def _model_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=partial)
    return {RENAMES.get(key, key): value for key, value in data.items()}


def organisation_out(organisation: Organisation, *, full: bool = False) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "sector_id": organisation.sector_id,
        "sector": organisation.sector.name if organisation.sector else None,
        "size": organisation.size,
        "credit_code": organisation.credit_code,
        "address": organisation.address,
        "contact_name": organisation.contact_name,
        "contact_phone": organisation.contact_phone if full else mask_phone(organisation.contact_phone),
        "total_staff": organisation.total_staff,
        "community_id": organisation.community_id,
        "parent_id": organisation.parent_id,
        "is_active": organisation.is_active,
    }


def site_out(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "organisation_id": site.organisation_id,
        "organisation_name": site.organisation.name,
        "name": site.name,
        "kind": site.kind,
        "default_dwell_minutes": site.default_dwell_minutes,
        "code": site.code,
        "address": site.address,
        "is_active": site.is_active,
    }


def person_out(person: Person, *, personal: dict[str, str] | None = None) -> dict[str, Any]:
    """A person from the selectors, as the caller sees them (`shown_name`, `shown_phone`)."""
    if personal is not None:
        return {"id": person.pk, "name": person.shown_name, "masked": False, **personal}
    return {
        "id": person.pk,
        "name": person.shown_name,
        "id_number": person.masked_id_number,
        "phone": mask_phone(person.shown_phone),
        "masked": True,
    }


def membership_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "person_id": membership.person_id,
        "person_name": membership.name,
        "organisation_id": membership.organisation_id,
        "organisation_name": membership.organisation.name,
        "position": membership.position,
        "is_active": membership.is_active,
        "started_on": membership.started_on,
        "ended_on": membership.ended_on,
    }


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS})
def department_list(request: HttpRequest) -> Any:
    return list(selectors.department_list())


@router.get("/sectors", response={200: list[SectorOut], **ERRORS})
def sector_list(request: HttpRequest) -> Any:
    return list(selectors.sector_list())


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@paginate(Paging)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    return Mapped(selectors.organisation_list(actor=request.user, **filters.dict()), organisation_out)


@router.post("/organisations", response={201: OrganisationOut, **ERRORS})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Any:
    organisation = services.organisation_create(actor=request.user, data=_model_data(payload, partial=False))
    return 201, organisation_out(selectors.organisation_access(actor=request.user, pk=organisation.pk), full=True)


@router.get("/organisations/{pk}", response={200: OrganisationOut, **ERRORS})
def organisation_read(request: HttpRequest, pk: int = PK) -> Any:
    return organisation_out(selectors.organisation_access(actor=request.user, pk=pk), full=True)


@router.patch("/organisations/{pk}", response={200: OrganisationOut, **ERRORS})
def organisation_update(request: HttpRequest, payload: OrganisationPatch, pk: int = PK) -> Any:
    organisation = selectors.organisation_access(actor=request.user, pk=pk)
    services.organisation_update(actor=request.user, organisation=organisation, data=_model_data(payload, partial=True))
    return organisation_out(selectors.organisation_access(actor=request.user, pk=pk), full=True)


@router.get("/sites", response={200: list[SiteOut], **ERRORS})
@paginate(Paging)
def site_list(request: HttpRequest, filters: Query[SiteFilters]) -> Any:
    return Mapped(selectors.site_list(actor=request.user, **filters.dict()), site_out)


@router.post("/sites", response={201: SiteOut, **ERRORS})
def site_create(request: HttpRequest, payload: SiteIn) -> Any:
    data = payload.dict()
    organisation = selectors.organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    site = services.site_create(actor=request.user, organisation=organisation, data=data)
    return 201, site_out(site)


@router.get("/sites/{pk}", response={200: SiteOut, **ERRORS})
def site_read(request: HttpRequest, pk: int = PK) -> Any:
    return site_out(selectors.site_access(actor=request.user, pk=pk))


@router.patch("/sites/{pk}", response={200: SiteOut, **ERRORS})
def site_update(request: HttpRequest, payload: SitePatch, pk: int = PK) -> Any:
    site = selectors.site_access(actor=request.user, pk=pk)
    return site_out(services.site_update(actor=request.user, site=site, data=payload.dict(exclude_unset=True)))


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate(Paging)
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    """ID numbers and phones are masked in lists."""
    return Mapped(selectors.person_list(actor=request.user, **filters.dict()), person_out)


@router.post("/people", response={200: PersonOut, 201: PersonOut, **ERRORS})
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    """Registers a person as a member of the organisation. An organisation's answer is the same
    (201, its own record) whether the ID number was registered before or not; the commander,
    registering into the zone's registry, gets 200 for a person already registered."""
    data = payload.dict()
    organisation_id = data.pop("organisation_id")
    organisation = selectors.organisation_access(actor=request.user, pk=organisation_id) if organisation_id else None
    person, created = services.person_register(actor=request.user, organisation=organisation, **data)
    status = 201 if created or organisation is not None else 200
    return status, person_out(selectors.person_access(actor=request.user, pk=person.pk))


@router.get("/people/{pk}", response={200: PersonOut, **ERRORS})
def person_read(request: HttpRequest, pk: int = PK) -> Any:
    """The full ID number and phone for those allowed to read them (each read is audited); masked otherwise."""
    person = selectors.person_access(actor=request.user, pk=pk)
    if selectors.can_read_personal_data(actor=request.user, person=person):
        return person_out(
            person, personal=selectors.person_personal_data(actor=request.user, person=person, purpose="api")
        )
    return person_out(person)


@router.patch("/people/{pk}", response={200: PersonOut, **ERRORS})
def person_update(request: HttpRequest, payload: PersonPatch, pk: int = PK) -> Any:
    person = selectors.person_access(actor=request.user, pk=pk)
    services.person_update(actor=request.user, person=person, data=payload.dict(exclude_unset=True))
    return person_out(selectors.person_access(actor=request.user, pk=pk))


@router.get("/memberships", response={200: list[MembershipOut], **ERRORS})
@paginate(Paging)
def membership_list(request: HttpRequest, filters: Query[MembershipFilters]) -> Any:
    return Mapped(selectors.membership_list(actor=request.user, **filters.dict()), membership_out)


@router.post("/memberships", response={201: MembershipOut, **ERRORS})
def membership_create(request: HttpRequest, payload: MembershipIn) -> Any:
    person = selectors.person_access(actor=request.user, pk=payload.person_id)
    organisation = selectors.organisation_access(actor=request.user, pk=payload.organisation_id)
    membership = services.membership_create(
        actor=request.user,
        person=person,
        organisation=organisation,
        name=payload.name or person.shown_name,
        phone=payload.phone if payload.phone is not None else person.shown_phone or "",
        position=payload.position,
        started_on=payload.started_on,
    )
    return 201, membership_out(membership)


@router.get("/memberships/{pk}", response={200: MembershipOut, **ERRORS})
def membership_read(request: HttpRequest, pk: int = PK) -> Any:
    return membership_out(selectors.membership_access(actor=request.user, pk=pk))


@router.patch("/memberships/{pk}", response={200: MembershipOut, **ERRORS})
def membership_update(request: HttpRequest, payload: MembershipPatch, pk: int = PK) -> Any:
    membership = selectors.membership_access(actor=request.user, pk=pk)
    membership = services.membership_update(
        actor=request.user, membership=membership, data=payload.dict(exclude_unset=True)
    )
    return membership_out(membership)
