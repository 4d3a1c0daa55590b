from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging

from . import selectors, services
from .schemas import (
    DepartmentOut,
    MembershipFilters,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OrganisationDetailOut,
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


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS})
def department_list(request: ApiRequest) -> Any:
    """The zone's active departments, in pinyin order of name; for any signed-in user."""
    return list(selectors.department_list())


@router.get("/sectors", response={200: list[SectorOut], **ERRORS})
def sector_list(request: ApiRequest) -> Any:
    """Every sector organisations are classed in, in pinyin order of name; for any signed-in user."""
    return list(selectors.sector_list())


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@paginate(Paging)
def organisation_list(request: ApiRequest, filters: Query[OrganisationFilters]) -> Any:
    """Organisations in the caller's scope, in pinyin order of name; contact phones masked. The commander sees the
    whole zone; a department officer the organisations their department supervises; an organisation admin their
    organisation and those it is parent of; a community worker their community and the organisations registered
    in it; a gate officer their own organisation."""
    return selectors.organisation_list(actor=request.user, **filters.dict())


@router.post("/organisations", response={201: OrganisationDetailOut, **ERRORS})
def organisation_create(request: ApiRequest, payload: OrganisationIn) -> Any:
    """Register an organisation: the commander, or an officer of a department that supervises its kind and sector
    (403 otherwise). 422 when `community_id` is not a community or `parent_id` is not an organisation the caller
    sees. Answers the organisation with its contact phone in full."""
    organisation = services.organisation_create(actor=request.user, data=_model_data(payload, partial=False))
    return 201, selectors.organisation_access(actor=request.user, pk=organisation.pk)


@router.get("/organisations/{pk}", response={200: OrganisationDetailOut, **ERRORS})
def organisation_read(request: ApiRequest, pk: int = PK) -> Any:
    """One organisation in the caller's scope (404 otherwise), with its contact phone in full."""
    return selectors.organisation_access(actor=request.user, pk=pk)


@router.patch("/organisations/{pk}", response={200: OrganisationDetailOut, **ERRORS})
def organisation_update(request: ApiRequest, payload: OrganisationPatch, pk: int = PK) -> Any:
    """Change an organisation: the commander and the supervising department's officers change any field, but an
    officer cannot move it out of their department's competence (422); an organisation admin (of it or its
    parent) only the address, contact and total staff (403 `zone_field` naming the others). Others who see it get
    403."""
    organisation = selectors.organisation_access(actor=request.user, pk=pk)
    services.organisation_update(actor=request.user, organisation=organisation, data=_model_data(payload, partial=True))
    return selectors.organisation_access(actor=request.user, pk=pk)


@router.get("/sites", response={200: list[SiteOut], **ERRORS})
@paginate(Paging)
def site_list(request: ApiRequest, filters: Query[SiteFilters]) -> Any:
    """Checkpoint sites of the organisations in the caller's scope (see `GET /organisations`), by organisation then
    site name. Each carries the code of its QR poster."""
    return selectors.site_list(actor=request.user, **filters.dict())


@router.post("/sites", response={201: SiteOut, **ERRORS})
def site_create(request: ApiRequest, payload: SiteIn) -> Any:
    """Add a checkpoint site to an organisation: those who may change the organisation (the commander, its
    supervising department's officers, its admins or its parent's); 404 when the organisation is out of scope,
    403 when seen but not managed. The dwell time defaults by the organisation's kind."""
    data = payload.dict()
    organisation = selectors.organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    site = services.site_create(actor=request.user, organisation=organisation, data=data)
    return 201, site


@router.get("/sites/{pk}", response={200: SiteOut, **ERRORS})
def site_read(request: ApiRequest, pk: int = PK) -> Any:
    """One checkpoint site of an organisation in the caller's scope (404 otherwise), with its poster code."""
    return selectors.site_access(actor=request.user, pk=pk)


@router.patch("/sites/{pk}", response={200: SiteOut, **ERRORS})
def site_update(request: ApiRequest, payload: SitePatch, pk: int = PK) -> Any:
    """Change a site's name, kind, dwell time, address or whether it is active: those who may change its
    organisation (403 otherwise; 404 out of scope)."""
    site = selectors.site_access(actor=request.user, pk=pk)
    return services.site_update(actor=request.user, site=site, data=payload.dict(exclude_unset=True))


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate(Paging)
def person_list(request: ApiRequest, filters: Query[PersonFilters]) -> Any:
    """ID numbers and phones are masked in lists."""
    return selectors.person_list(actor=request.user, **filters.dict())


@router.post("/people", response={200: PersonOut, 201: PersonOut, **ERRORS})
def person_create(request: ApiRequest, payload: PersonIn) -> Any:
    """Registers a person as a member of the organisation. An organisation's answer is the same
    (201, its own record) whether the ID number was registered before or not; the commander,
    registering into the zone's registry, gets 200 for a person already registered."""
    data = payload.dict()
    organisation_id = data.pop("organisation_id")
    organisation = selectors.organisation_access(actor=request.user, pk=organisation_id) if organisation_id else None
    person, created = services.person_register(actor=request.user, organisation=organisation, **data)
    status = 201 if created or organisation is not None else 200
    return status, selectors.person_access(actor=request.user, pk=person.pk)


@router.get("/people/{pk}", response={200: PersonOut, **ERRORS})
def person_read(request: ApiRequest, pk: int = PK) -> Any:
    """The full ID number and phone for those allowed to read them (each read is audited); masked otherwise."""
    return selectors.person_read(actor=request.user, pk=pk, purpose="api")


@router.patch("/people/{pk}", response={200: PersonOut, **ERRORS})
def person_update(request: ApiRequest, payload: PersonPatch, pk: int = PK) -> Any:
    """Correct a person's name, phone or ID number; answers the person masked. The commander corrects the registry.
    An organisation admin (or a community worker, for their residents) corrects their own organisations' record
    of the person, and the registry's name and phone too when their organisation registered them; a change of ID
    number is refused (403 `id_number_read_only`). Others who see the person get 403."""
    person = selectors.person_access(actor=request.user, pk=pk)
    services.person_update(actor=request.user, person=person, data=payload.dict(exclude_unset=True))
    return selectors.person_access(actor=request.user, pk=pk)


@router.get("/memberships", response={200: list[MembershipOut], **ERRORS})
@paginate(Paging)
def membership_list(request: ApiRequest, filters: Query[MembershipFilters]) -> Any:
    """Memberships (who works or lives where) of the organisations in the caller's scope, by organisation then name,
    each with the name as that organisation recorded it."""
    return selectors.membership_list(actor=request.user, **filters.dict())


@router.post("/memberships", response={201: MembershipOut, **ERRORS})
def membership_create(request: ApiRequest, payload: MembershipIn) -> Any:
    """Add a person the caller can see to an organisation: those who may change the organisation, and a community
    worker for their own community. The organisation's record takes `name` and `phone`, or what the caller sees
    of the person. 404 when the person or organisation is out of scope, 409 `membership_exists` when the person
    is already a member, even an inactive one (reactivate it with PATCH). 422 `register_by_id_number` on `person_id`
    for a person the caller does not already read in full: a membership would open their full record, so they are
    added with `POST /people` and their ID number instead."""
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
    return 201, membership


@router.get("/memberships/{pk}", response={200: MembershipOut, **ERRORS})
def membership_read(request: ApiRequest, pk: int = PK) -> Any:
    """One membership of an organisation in the caller's scope (404 otherwise)."""
    return selectors.membership_access(actor=request.user, pk=pk)


@router.patch("/memberships/{pk}", response={200: MembershipOut, **ERRORS})
def membership_update(request: ApiRequest, payload: MembershipPatch, pk: int = PK) -> Any:
    """Change a membership's position, dates or whether it is active: those who may add members to its organisation
    (403 otherwise; 404 out of scope)."""
    membership = selectors.membership_access(actor=request.user, pk=pk)
    return services.membership_update(actor=request.user, membership=membership, data=payload.dict(exclude_unset=True))
