from typing import Any

from ninja import Path, Query, Router

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest

from . import selectors, services
from .schemas import CloseContactOut, EndedStatusOut, EndStatusIn, MarkIn, ReleaseIn, TraceFilters, TraceOut

router = Router(tags=["tracing"])

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/tracing/contacts", response={200: TraceOut, **ERRORS})
def trace(request: ApiRequest, filters: Query[TraceFilters]) -> Any:
    """Who shared a site with the person (their presences overlapped for at least
    `min_overlap_minutes`) or was named with them on a health declaration, over `days`, ranked by
    time shared: a page of `limit` from `offset`, `count` in all. `depth=2` follows the 50
    first-degree contacts closest to the case. The commander and the departments that run
    epidemic control trace the whole zone; an organisation admin their organisations' sites.
    Every trace is audited."""
    query = filters.dict()
    limit, offset = query.pop("limit"), query.pop("offset")
    person, found = services.trace(actor=request.user, shown=lambda ranked: ranked[offset : offset + limit], **query)
    return {
        "person_id": person.pk,
        "days": filters.days,
        "min_overlap_minutes": filters.min_overlap_minutes or services.tracing_settings().min_overlap_minutes,
        "depth": filters.depth,
        "count": len(found),
        "items": [contact.as_item() for contact in selectors.with_names(found[offset : offset + limit])],
    }


@router.post("/tracing/close-contacts", response={201: list[CloseContactOut], **ERRORS})
def close_contacts_mark(request: ApiRequest, payload: MarkIn) -> Any:
    """Mark people as close contacts of a traced case: every gate refuses them until released.
    Marking someone already marked answers their current mark."""
    marked = services.close_contacts_mark(
        actor=request.user, case_id=payload.case_id, person_ids=payload.person_ids, note=payload.note
    )
    return 201, marked


@router.get("/tracing/close-contacts", response={200: list[CloseContactOut], **ERRORS})
def close_contact_list(request: ApiRequest, active: bool = Query(True)) -> Any:
    """The close contacts marked, in the caller's tracing scope; the active ones by default."""
    return selectors.close_contact_list(actor=request.user, active=active).select_related("released_by")


@router.post("/tracing/close-contacts/{pk}/release", response={200: CloseContactOut, **ERRORS})
def close_contact_release(request: ApiRequest, payload: ReleaseIn, pk: int = PK) -> Any:
    """Release a close contact: the gates admit them again by their health status."""
    return services.close_contact_release(actor=request.user, restriction_id=pk, note=payload.note)


@router.post("/tracing/status-ends", response={200: EndedStatusOut, **ERRORS})
def health_status_end_early(request: ApiRequest, payload: EndStatusIn) -> Any:
    """End a person's red or yellow status before its time, on grounds (a negative test, a reading
    mistyped): the gates ask them to declare again. The commander and the departments that run
    epidemic control only; audited."""
    return services.health_status_end_early(actor=request.user, person_id=payload.person_id, note=payload.note)
