from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, Mapped, Paging
from zoneguard.core.masking import mask_phone
from zoneguard.registry.selectors import organisation_access

from . import access, selectors, services
from .models import ResumptionFiling
from .schemas import (
    DecisionIn,
    FilingDetailOut,
    FilingFilters,
    FilingIn,
    FilingOut,
    FilingPatch,
    RatesFilters,
    RatesOut,
)

router = Router(tags=["resumption"])

PK = Path(..., ge=1, le=MAX_ID)


def filing_out(filing: ResumptionFiling, *, full: bool = False) -> dict[str, Any]:
    return {
        "id": filing.pk,
        "organisation_id": filing.organisation_id,
        "organisation_name": filing.organisation.name,
        "status": filing.status,
        "planned_date": filing.planned_date,
        "staff_expected": filing.staff_expected,
        "staff_local": filing.staff_local,
        "staff_other_provinces": filing.staff_other_provinces,
        "staff_from_risk_areas": filing.staff_from_risk_areas,
        "disinfection": filing.disinfection,
        "temperature_points": filing.temperature_points,
        "isolation_room": filing.isolation_room,
        "masks_in_stock": filing.masks_in_stock,
        "canteen_rules": filing.canteen_rules,
        "plan_notes": filing.plan_notes,
        "has_document": bool(filing.plan_document),
        "responsible_name": filing.responsible_name,
        "responsible_phone": filing.responsible_phone if full else mask_phone(filing.responsible_phone),
        "revision": filing.revision,
        "submitted_at": filing.submitted_at,
        "decided_at": filing.decided_at,
        "decided_department": filing.decided_department.name if filing.decided_department else None,
        "review_comment": filing.review_comment,
        "resumed_on": filing.resumed_on,
    }


def filing_detail_out(filing: ResumptionFiling, *, actor: Any) -> dict[str, Any]:
    events = [
        {
            "action": e.action,
            "actor_name": e.actor_name,
            "department": e.department.name if e.department else None,
            "revision": e.revision,
            "comment": e.comment,
            "at": e.at,
        }
        for e in filing.events.select_related("department")
    ]
    return {**filing_out(filing, full=access.can_see_contact(actor, filing.organisation)), "events": events}


def rate_out(row: selectors.RateRow) -> dict[str, Any]:
    return {
        "key": None if row.key is None else str(row.key),
        "label": row.label,
        "registered": row.registered,
        "resumed": row.resumed,
        "resumption_rate": row.resumption_rate,
        "total_staff": row.total_staff,
        "on_duty": row.on_duty,
        "return_rate": row.return_rate,
    }


@router.get("/resumption/filings", response={200: list[FilingOut], **ERRORS})
@paginate(Paging)
def filing_list(request: HttpRequest, filters: Query[FilingFilters]) -> Any:
    return Mapped(selectors.filing_list(actor=request.user, **filters.dict()), filing_out)


@router.post("/resumption/filings", response={201: FilingDetailOut, **ERRORS})
def filing_submit(request: HttpRequest, payload: FilingIn) -> Any:
    data = payload.dict()
    organisation = organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    filing = services.filing_submit(actor=request.user, organisation=organisation, data=data)
    return 201, filing_detail_out(selectors.filing_access(actor=request.user, pk=filing.pk), actor=request.user)


@router.get("/resumption/filings/{pk}", response={200: FilingDetailOut, **ERRORS})
def filing_read(request: HttpRequest, pk: int = PK) -> Any:
    return filing_detail_out(selectors.filing_access(actor=request.user, pk=pk), actor=request.user)


@router.patch("/resumption/filings/{pk}", response={200: FilingDetailOut, **ERRORS})
def filing_amend(request: HttpRequest, payload: FilingPatch, pk: int = PK) -> Any:
    """Amend a filing waiting for review or returned for changes: it goes back to review."""
    filing = selectors.filing_access(actor=request.user, pk=pk)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.filing_amend(actor=request.user, filing=filing, data=data)
    return filing_detail_out(selectors.filing_access(actor=request.user, pk=pk), actor=request.user)


@router.post("/resumption/filings/{pk}/decision", response={200: FilingDetailOut, **ERRORS})
def filing_decide(request: HttpRequest, payload: DecisionIn, pk: int = PK) -> Any:
    filing = selectors.filing_access(actor=request.user, pk=pk)
    services.filing_decide(
        actor=request.user, filing=filing, approve=payload.decision == "approve", comment=payload.comment
    )
    return filing_detail_out(selectors.filing_access(actor=request.user, pk=pk), actor=request.user)


@router.get("/resumption/rates", response={200: RatesOut, **ERRORS})
def resumption_rates(request: HttpRequest, filters: Query[RatesFilters]) -> Any:
    rates = selectors.resumption_rates(
        actor=request.user, day=filters.day, kind=filters.kind.value if filters.kind else ""
    )
    return {
        "day": rates.day,
        "overall": rate_out(rates.overall),
        "by_kind": [rate_out(r) for r in rates.by_kind],
        "by_sector": [rate_out(r) for r in rates.by_sector],
        "by_community": [rate_out(r) for r in rates.by_community],
    }
