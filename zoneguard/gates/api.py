from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.accounts.auth import GATE_AUTH
from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging

from . import selectors, services
from .schemas import (
    AlertCloseIn,
    AlertFilters,
    AlertOut,
    AlertRetestIn,
    BatchIn,
    BatchOut,
    CheckinFilters,
    CheckinIn,
    CheckinListOut,
    CheckinOut,
    OnSiteOut,
)

router = Router(tags=["gates"])

PK = Path(..., ge=1, le=MAX_ID)


@router.post("/checkins", response={200: CheckinOut, 201: CheckinOut, **ERRORS}, auth=GATE_AUTH)
def checkin_record(request: ApiRequest, payload: CheckinIn) -> Any:
    """An entry or exit at a gate: device tokens (at their own site), gate officers and
    organisation admins (their organisation's sites). 201 when recorded; 200 with the first
    answer when the client_id was already recorded."""
    # The validated payload has the attributes of services.CheckinItem: passed as it is.
    answer = services.checkin_record(actor=request.user, token=getattr(request, "api_token", None), item=payload)
    # In CheckinOut's shape already (tests and the API fuzzing check it): serialised directly on
    # the busiest path of the platform.
    return JsonResponse(answer.as_dict(), status=200 if answer.replayed else 201, encoder=DjangoJSONEncoder)


@router.post("/checkins/batch", response={200: BatchOut, **ERRORS}, auth=GATE_AUTH)
def checkin_batch(request: ApiRequest, payload: BatchIn) -> Any:
    """Up to 1,000 entries recorded by a gate while offline, in any order; answered per item."""
    answers = services.checkin_batch(
        actor=request.user,
        token=getattr(request, "api_token", None),
        items=payload.items,
    )
    body = {
        "items": [a.as_dict() for a in answers],
        "recorded": sum(1 for a in answers if a.error is None and not a.replayed),
        "replayed": sum(1 for a in answers if a.replayed),
        "errors": sum(1 for a in answers if a.error is not None),
    }
    # Already in BatchOut's shape (the tests and the API fuzzing check it): serialised directly,
    # since validating a thousand answers again would cost much of the request.
    return JsonResponse(body, encoder=DjangoJSONEncoder)


@router.get("/checkins", response={200: list[CheckinListOut], **ERRORS})
@paginate(Paging)
def checkin_list(request: ApiRequest, filters: Query[CheckinFilters]) -> Any:
    """The entry log of the sites in the caller's scope; names and ID numbers masked."""
    data = filters.dict()
    data["direction"] = data["direction"] or ""
    data["decision"] = data["decision"] or ""
    return selectors.checkin_list(actor=request.user, **data)


@router.get("/checkins/onsite", response={200: list[OnSiteOut], **ERRORS})
def onsite(request: ApiRequest, site_id: int | None = Query(None, ge=1, le=MAX_ID)) -> Any:
    """People on site now: let in today, not yet out."""
    return selectors.onsite_now(actor=request.user, site_id=site_id)


@router.get("/alerts", response={200: list[AlertOut], **ERRORS})
@paginate(Paging)
def alert_list(request: ApiRequest, filters: Query[AlertFilters]) -> Any:
    """Fever alerts, newest first, optionally by `status` and `site_id`; the person's name masked. Duty officers see
    every alert of the zone; others those of the organisations in their scope (the commander all, a department
    officer the organisations it supervises, an organisation admin their own and those it is parent of, a
    community worker their community's, a gate officer their organisation's)."""
    data = filters.dict()
    data["status"] = data["status"] or ""
    return selectors.alert_list(actor=request.user, **data)


@router.post("/alerts/{pk}/acknowledge", response={200: AlertOut, **ERRORS})
def alert_acknowledge(request: ApiRequest, pk: int = PK) -> Any:
    """Take an open alert in charge. The commander, the duty officers, and the organisation admins and gate officers
    of the alert's organisation (or of its parent); others who see the alert get 403. 409 `alert_not_open` when
    it was already taken in charge or closed."""
    services.alert_acknowledge(actor=request.user, alert=selectors.alert_access(actor=request.user, pk=pk))
    return selectors.alert_access(actor=request.user, pk=pk)


@router.post("/alerts/{pk}/retests", response={201: AlertOut, **ERRORS})
def alert_retest(request: ApiRequest, payload: AlertRetestIn, pk: int = PK) -> Any:
    """A second measurement after rest. A normal one releases the person from the fever hold once
    the alert is closed, or at once when taken after the observation period."""
    alert = selectors.alert_access(actor=request.user, pk=pk)
    services.alert_retest(actor=request.user, alert=alert, **payload.dict())
    return 201, selectors.alert_access(actor=request.user, pk=pk)


@router.post("/alerts/{pk}/close", response={200: AlertOut, **ERRORS})
def alert_close(request: ApiRequest, payload: AlertCloseIn, pk: int = PK) -> Any:
    """Close the alert with a note (taking it in charge too, if nobody had). A normal re-test recorded before
    releases the person at the gates from now on. Those who may acknowledge it; 409 `alert_closed` when already
    closed."""
    services.alert_close(actor=request.user, alert=selectors.alert_access(actor=request.user, pk=pk), note=payload.note)
    return selectors.alert_access(actor=request.user, pk=pk)
