from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import InvalidInput
from zoneguard.registry.models import Organisation, Person, Site

from . import selectors, services
from .schemas import CloseIn, IncidentDetailOut, IncidentFilters, IncidentIn, IncidentOut, NoteIn

router = Router(tags=["incidents"])

PK = Path(..., ge=1, le=MAX_ID)


def _existing(model: Any, pk: int | None, field: str, message: str = "") -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise InvalidInput.for_field(field, message or _("Choose an existing one."))
    return obj


@router.get("/incidents", response={200: list[IncidentOut], **ERRORS})
@paginate(Paging)
def incident_list(request: ApiRequest, filters: Query[IncidentFilters]) -> Any:
    """Incidents, latest reported first. The commander and the duty officers see the whole zone; others those of the
    organisations in their scope and those they reported themselves."""
    return selectors.incident_list(actor=request.user, **filters.dict(exclude_none=True))


@router.post("/incidents", response={201: IncidentDetailOut, **ERRORS})
def incident_report(request: ApiRequest, payload: IncidentIn) -> Any:
    """Report an emergency; the duty officers are told at once."""
    data = payload.dict()
    organisation = _existing(
        Organisation, data.pop("organisation_id"), "organisation_id", str(services.CHOOSE_ORGANISATION)
    )
    site = _existing(Site, data.pop("site_id"), "site_id", str(services.CHOOSE_SITE))
    # The same answer for a person who does not exist and one the caller may not see.
    person = _existing(Person, data.pop("person_id"), "person_id", _("Choose a person you can see."))
    if data["temperature"] is not None:
        data["temperature"] = Decimal(data["temperature"])
    incident = services.incident_report(actor=request.user, organisation=organisation, site=site, person=person, **data)
    return 201, selectors.incident_access(actor=request.user, pk=incident.pk)


@router.get("/incidents/{pk}", response={200: IncidentDetailOut, **ERRORS})
def incident_read(request: ApiRequest, pk: int = PK) -> Any:
    """One incident the caller sees (as in `GET /incidents`; 404 otherwise), with its timeline."""
    return selectors.incident_access(actor=request.user, pk=pk)


@router.post("/incidents/{pk}/acknowledge", response={200: IncidentDetailOut, **ERRORS})
def incident_acknowledge(request: ApiRequest, pk: int = PK) -> Any:
    """Take an open incident in charge: the commander, the duty officers, and the officers of a department that
    supervises the organisation concerned (403 otherwise). 409 `incident_acknowledged` when it is no longer open."""
    services.incident_acknowledge(actor=request.user, incident=selectors.incident_access(actor=request.user, pk=pk))
    return selectors.incident_access(actor=request.user, pk=pk)


@router.post("/incidents/{pk}/notes", response={201: IncidentDetailOut, **ERRORS})
def incident_note(request: ApiRequest, payload: NoteIn, pk: int = PK) -> Any:
    """Record an action taken on the incident's timeline."""
    incident = selectors.incident_access(actor=request.user, pk=pk)
    services.incident_note(actor=request.user, incident=incident, note=payload.note)
    return 201, selectors.incident_access(actor=request.user, pk=pk)


@router.post("/incidents/{pk}/close", response={200: IncidentDetailOut, **ERRORS})
def incident_close(request: ApiRequest, payload: CloseIn, pk: int = PK) -> Any:
    """Close the incident with its `resolution` (required; 422 when blank), acknowledging it too if nobody had.
    Those who may acknowledge it (403 otherwise); 409 `incident_closed` when already closed."""
    incident = selectors.incident_access(actor=request.user, pk=pk)
    services.incident_close(actor=request.user, incident=incident, resolution=payload.resolution)
    return selectors.incident_access(actor=request.user, pk=pk)
