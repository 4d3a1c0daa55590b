from typing import Any

from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.accounts.models import User
from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import InvalidInput, NotFound

from . import selectors, services
from .models import Reason
from .schemas import (
    CaseAssignIn,
    CaseDecisionIn,
    CaseDetailOut,
    CaseFilters,
    CaseIn,
    CaseOut,
    FollowUpIn,
    FollowUpOut,
    ReasonRuleIn,
    ReasonRuleOut,
)

router = Router(tags=["isolation"])

PK = Path(..., ge=1, le=MAX_ID)


def _community(actor: User, pk: int | None) -> Any:
    if pk is None:
        return None
    community = selectors.communities(actor=actor).filter(pk=pk).first()
    if community is None:
        raise InvalidInput.for_field("community_id", _("Choose a community you follow."))
    return community


def _worker(actor: User, pk: int | None) -> Any:
    if pk is None:
        return None
    worker = selectors.community_workers(actor=actor).filter(pk=pk).first()
    if worker is None:
        raise InvalidInput.for_field("worker_id", _("Choose a worker of the case's community."))
    return worker


@router.get("/isolation/cases", response={200: list[CaseOut], **ERRORS})
@paginate(Paging)
def case_list(request: ApiRequest, filters: Query[CaseFilters]) -> Any:
    """Home-isolation cases: a community worker's community, the whole zone for the commander and
    the epidemic-control officers. Names, ID numbers and phones masked."""
    return selectors.case_list(actor=request.user, **filters.dict(exclude_none=True))


@router.post("/isolation/cases", response={201: CaseDetailOut, **ERRORS})
def case_open(request: ApiRequest, payload: CaseIn) -> Any:
    """Open a case for a registered person (`person_id`) or for someone given by name and ID
    number (registered as a resident of the community if not yet). The gates refuse the person
    until the case is closed. 409 when they are already in isolation."""
    actor = request.user
    data = payload.dict()
    community = _community(actor, data.pop("community_id"))
    worker = _worker(actor, data.pop("worker_id"))
    person_id, name, id_number, phone = (data.pop(k) for k in ("person_id", "name", "id_number", "phone"))
    if person_id is not None:
        case = services.case_open(
            actor=actor,
            person=selectors.person_access(actor=actor, pk=person_id),
            community=community,
            worker=worker,
            phone=phone,
            **data,
        )
    elif name and id_number:
        case = services.case_open_registering(
            actor=actor, community=community, worker=worker, name=name, id_number=id_number, phone=phone, **data
        )
    else:
        raise InvalidInput.for_field("person_id", _("Choose a registered person, or give a name and an ID number."))
    return 201, selectors.case_access(actor=actor, pk=case.pk)


@router.get("/isolation/cases/{pk}", response={200: CaseDetailOut, **ERRORS})
def case_read(request: ApiRequest, pk: int = PK) -> Any:
    """One home-isolation case, with its follow-ups and the days missed; the person's name, ID number and phone
    masked. The commander and the officers of the departments that run epidemic control read any case, a
    community worker those of their community; 404 otherwise."""
    return selectors.case_access(actor=request.user, pk=pk)


@router.post("/isolation/cases/{pk}/assign", response={200: CaseDetailOut, **ERRORS})
def case_assign(request: ApiRequest, payload: CaseAssignIn, pk: int = PK) -> Any:
    """Say where the person isolates (community, address) and which worker follows them."""
    actor = request.user
    case = selectors.case_access(actor=actor, pk=pk)
    services.case_assign(
        actor=actor,
        case=case,
        community=_community(actor, payload.community_id),
        worker=_worker(actor, payload.worker_id),
        address=payload.address,
        phone=payload.phone,
    )
    return selectors.case_access(actor=actor, pk=pk)


@router.post("/isolation/cases/{pk}/follow-ups", response={201: FollowUpOut, **ERRORS})
def follow_up_record(request: ApiRequest, payload: FollowUpIn, pk: int = PK) -> Any:
    """Record a temperature reading and the symptoms of the moment. 37.3 °C or more, or a red-flag
    symptom, opens an incident and tells the worker."""
    case = selectors.case_access(actor=request.user, pk=pk)
    return 201, services.follow_up_record(actor=request.user, case=case, **payload.dict())


@router.post("/isolation/cases/{pk}/release", response={200: CaseDetailOut, **ERRORS})
def case_release(request: ApiRequest, payload: CaseDecisionIn, pk: int = PK) -> Any:
    """Release on or after the end date (409 before): the gates let the person through again."""
    case = selectors.case_access(actor=request.user, pk=pk)
    services.case_release(actor=request.user, case=case, note=payload.note)
    return selectors.case_access(actor=request.user, pk=pk)


@router.post("/isolation/cases/{pk}/transfer", response={200: CaseDetailOut, **ERRORS})
def case_transfer(request: ApiRequest, payload: CaseDecisionIn, pk: int = PK) -> Any:
    """The person was taken to hospital; `note` says where and why."""
    case = selectors.case_access(actor=request.user, pk=pk)
    services.case_transfer(actor=request.user, case=case, note=payload.note)
    return selectors.case_access(actor=request.user, pk=pk)


@router.get("/isolation/rules", response={200: list[ReasonRuleOut], **ERRORS})
def rule_list(request: ApiRequest) -> Any:
    """The period and readings per day of each reason."""
    if not selectors.access.sees_cases(request.user):
        raise NotFound()
    return selectors.reason_rules()


@router.put("/isolation/rules/{reason}", response={200: ReasonRuleOut, **ERRORS})
def rule_save(request: ApiRequest, payload: ReasonRuleIn, reason: Reason) -> Any:
    """The commander sets a reason's period; cases already open keep theirs."""
    return services.reason_rule_save(actor=request.user, reason=reason, **payload.dict())
