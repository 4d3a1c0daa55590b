from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, Paging
from zoneguard.core.errors import InvalidInput, NotFound

from . import access, selectors, services
from .models import PolicyCategory
from .schemas import (
    AnswerIn,
    AppointmentFilters,
    AppointmentIn,
    AppointmentOut,
    AttachmentOut,
    CategoryOut,
    ClosureIn,
    ClosureOut,
    ConditionIn,
    ConditionOut,
    DecisionIn,
    DeferralFilters,
    DeferralIn,
    DeferralOut,
    EligibleOrganisationOut,
    EligiblePolicyOut,
    FactOut,
    FaqFilters,
    FaqOut,
    HallOut,
    OpeningHoursIn,
    OpeningHoursOut,
    PolicyDetailOut,
    PolicyFilters,
    PolicyIn,
    PolicyOut,
    PolicyPatch,
    ProfileIn,
    ProfileOut,
    QuestionFilters,
    QuestionIn,
    QuestionOut,
    RescheduleIn,
    SlotFilters,
    SlotIn,
    SlotOut,
    SlotPatch,
    SlotsGeneratedOut,
    SlotsGenerateIn,
    SummaryFilters,
    SummaryOut,
    TaxTypeOut,
    WindowIn,
    WindowOut,
    WindowPatch,
)

router = Router(tags=["tax"])

PK = Path(..., ge=1, le=MAX_ID)


# --- Facts, policies, matching --------------------------------------------------------------------


@router.get("/tax/facts", response={200: list[FactOut], **ERRORS})
def fact_list(request: HttpRequest) -> Any:
    """The organisation facts eligibility conditions may test, with their operators and values."""
    access.require_user(request.user)
    return selectors.facts_catalogue()


@router.get("/tax/policy-categories", response={200: list[CategoryOut], **ERRORS})
def category_list(request: HttpRequest) -> Any:
    access.require_user(request.user)
    return selectors.category_list()


@router.get("/tax/tax-types", response={200: list[TaxTypeOut], **ERRORS})
def tax_type_list(request: HttpRequest) -> Any:
    access.require_user(request.user)
    return selectors.tax_types()


@router.get("/tax/policies", response={200: list[PolicyOut], **ERRORS})
@paginate(Paging)
def policy_list(request: HttpRequest, filters: Query[PolicyFilters]) -> Any:
    """Tax officers and the commander see drafts too; enterprises see published policies."""
    return selectors.policy_list(actor=request.user, **filters.dict())


def _policy_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=partial)
    if "category_id" in data:
        category = PolicyCategory.objects.filter(pk=data.pop("category_id")).first()
        if category is None:
            raise InvalidInput.for_field("category_id", _("Choose a category."), code="unknown_category")
        data["category"] = category
    return data


@router.post("/tax/policies", response={201: PolicyDetailOut, **ERRORS})
def policy_create(request: HttpRequest, payload: PolicyIn) -> Any:
    """A draft policy; add conditions, then publish it."""
    access.require_administrator(request.user)
    policy = services.policy_create(actor=request.user, data=_policy_data(payload, partial=False))
    return 201, selectors.policy_access(actor=request.user, pk=policy.pk)


@router.get("/tax/policies/{pk}", response={200: PolicyDetailOut, **ERRORS})
def policy_read(request: HttpRequest, pk: int = PK) -> Any:
    return selectors.policy_access(actor=request.user, pk=pk)


@router.patch("/tax/policies/{pk}", response={200: PolicyDetailOut, **ERRORS})
def policy_update(request: HttpRequest, payload: PolicyPatch, pk: int = PK) -> Any:
    """Edits of a published policy match it again: newly eligible enterprises are notified."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_update(actor=request.user, policy=policy, data=_policy_data(payload, partial=True))
    return selectors.policy_access(actor=request.user, pk=pk)


@router.post("/tax/policies/{pk}/publish", response={200: PolicyDetailOut, **ERRORS})
def policy_publish(request: HttpRequest, pk: int = PK) -> Any:
    """Publish: every eligible enterprise not yet told about the policy is notified, once."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_publish(actor=request.user, policy=policy)
    return selectors.policy_access(actor=request.user, pk=pk)


@router.post("/tax/policies/{pk}/withdraw", response={200: PolicyDetailOut, **ERRORS})
def policy_withdraw(request: HttpRequest, pk: int = PK) -> Any:
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_withdraw(actor=request.user, policy=policy)
    return selectors.policy_access(actor=request.user, pk=pk)


@router.post("/tax/policies/{pk}/conditions", response={201: ConditionOut, **ERRORS})
def condition_add(request: HttpRequest, payload: ConditionIn, pk: int = PK) -> Any:
    policy = selectors.policy_access(actor=request.user, pk=pk)
    condition = services.condition_add(actor=request.user, policy=policy, **payload.dict())
    return 201, condition


@router.delete("/tax/policies/{pk}/conditions/{condition_id}", response={204: None, **ERRORS})
def condition_remove(request: HttpRequest, pk: int = PK, condition_id: int = PK) -> Any:
    policy = selectors.policy_access(actor=request.user, pk=pk)
    condition = policy.conditions.filter(pk=condition_id).first()
    if condition is None:
        raise NotFound()
    services.condition_remove(actor=request.user, condition=condition)
    return 204, None


@router.post("/tax/policies/{pk}/attachments", response={201: AttachmentOut, **ERRORS})
def attachment_add(request: HttpRequest, pk: int = PK, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    policy = selectors.policy_access(actor=request.user, pk=pk)
    return 201, services.attachment_add(actor=request.user, policy=policy, file=file)


@router.delete("/tax/attachments/{pk}", response={204: None, **ERRORS})
def attachment_remove(request: HttpRequest, pk: int = PK) -> Any:
    access.require_administrator(request.user)
    services.attachment_remove(actor=request.user, attachment=selectors.attachment_access(actor=request.user, pk=pk))
    return 204, None


@router.get("/tax/policies/{pk}/organisations", response={200: list[EligibleOrganisationOut], **ERRORS})
@paginate(Paging)
def policy_organisations(request: HttpRequest, pk: int = PK) -> Any:
    """The enterprises that meet the policy's conditions, with the reason each condition holds
    (tax officers and the commander)."""
    policy = selectors.policy_access(actor=request.user, pk=pk)
    return selectors.eligible_organisations(actor=request.user, policy=policy)


@router.get("/tax/organisations/{pk}/policies", response={200: list[EligiblePolicyOut], **ERRORS})
def organisation_policies(request: HttpRequest, pk: int = PK) -> Any:
    """The published policies an enterprise is eligible for, with the reason each condition holds."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    return selectors.eligible_policies(actor=request.user, organisation=organisation)


@router.get("/tax/profiles/{pk}", response={200: ProfileOut, **ERRORS})
def profile_read(request: HttpRequest, pk: int = PK) -> Any:
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    return selectors.tax_profile(organisation=organisation)


@router.patch("/tax/profiles/{pk}", response={200: ProfileOut, **ERRORS})
def profile_update(request: HttpRequest, payload: ProfileIn, pk: int = PK) -> Any:
    """Kept by the tax officer or the enterprise; its fields are facts policies are matched on."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    data = payload.dict(exclude_unset=True)
    if data.get("hardship_reported", False) is None:
        del data["hardship_reported"]  # null text fields mean blank; a null flag means unchanged
    return services.tax_profile_update(actor=request.user, organisation=organisation, data=data)


# --- Questions and answers ------------------------------------------------------------------------


@router.get("/tax/questions", response={200: list[QuestionOut], **ERRORS})
@paginate(Paging)
def question_list(request: HttpRequest, filters: Query[QuestionFilters]) -> Any:
    """An enterprise sees its own questions; tax officers see all."""
    return selectors.question_list(actor=request.user, **filters.dict())


@router.post("/tax/questions", response={201: QuestionOut, **ERRORS})
def question_ask(request: HttpRequest, payload: QuestionIn) -> Any:
    organisation = selectors.taxpayer_access(actor=request.user, pk=payload.organisation_id)
    policy = selectors.policy_access(actor=request.user, pk=payload.policy_id)
    question = services.question_ask(
        actor=request.user, policy=policy, organisation=organisation, question=payload.question
    )
    return 201, question


@router.get("/tax/questions/{pk}", response={200: QuestionOut, **ERRORS})
def question_read(request: HttpRequest, pk: int = PK) -> Any:
    return selectors.question_access(actor=request.user, pk=pk)


@router.post("/tax/questions/{pk}/answer", response={200: QuestionOut, **ERRORS})
def question_answer(request: HttpRequest, payload: AnswerIn, pk: int = PK) -> Any:
    question = selectors.question_access(actor=request.user, pk=pk)
    return services.question_answer(
        actor=request.user, question=question, answer=payload.answer, publish=payload.publish
    )


@router.get("/tax/faq", response={200: list[FaqOut], **ERRORS})
@paginate(Paging)
def faq_list(request: HttpRequest, filters: Query[FaqFilters]) -> Any:
    """Answered questions published as FAQ; who asked is not shown."""
    return selectors.faq_list(actor=request.user, **filters.dict())


# --- Hall, slots, appointments --------------------------------------------------------------------


@router.get("/tax/halls", response={200: list[HallOut], **ERRORS})
def hall_list(request: HttpRequest) -> Any:
    access.require_user(request.user)
    return selectors.hall_list().prefetch_related("windows", "opening_hours")


@router.post("/tax/halls/{pk}/windows", response={201: WindowOut, **ERRORS})
def window_create(request: HttpRequest, payload: WindowIn, pk: int = PK) -> Any:
    """A service window of the hall (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=pk)
    return 201, services.window_save(actor=request.user, hall=hall, data=payload.dict())


@router.patch("/tax/windows/{pk}", response={200: WindowOut, **ERRORS})
def window_update(request: HttpRequest, payload: WindowPatch, pk: int = PK) -> Any:
    window = selectors.window_access(actor=request.user, pk=pk)
    data = payload.dict(exclude_unset=True)
    if data.get("is_active", False) is None:
        del data["is_active"]
    return services.window_save(actor=request.user, hall=window.hall, window=window, data=data)


@router.post("/tax/halls/{pk}/opening-hours", response={201: OpeningHoursOut, **ERRORS})
def opening_hours_add(request: HttpRequest, payload: OpeningHoursIn, pk: int = PK) -> Any:
    """An opening period of a weekday; periods of a day may not overlap (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=pk)
    return 201, services.opening_hours_add(actor=request.user, hall=hall, **payload.dict())


@router.delete("/tax/opening-hours/{pk}", response={204: None, **ERRORS})
def opening_hours_remove(request: HttpRequest, pk: int = PK) -> Any:
    services.opening_hours_remove(actor=request.user, hours=selectors.opening_hours_access(actor=request.user, pk=pk))
    return 204, None


@router.get("/tax/slots", response={200: list[SlotOut], **ERRORS})
def slot_list(request: HttpRequest, filters: Query[SlotFilters]) -> Any:
    """The slots of one day (the zone's local date), in time order, with what is booked."""
    return selectors.slot_list(actor=request.user, day=filters.date, hall_id=filters.hall_id)


@router.post("/tax/slots", response={201: SlotOut, **ERRORS})
def slot_create(request: HttpRequest, payload: SlotIn) -> Any:
    """One slot (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=payload.hall_id)
    slot = services.slot_create(
        actor=request.user, hall=hall, starts_at=payload.starts_at, ends_at=payload.ends_at, capacity=payload.capacity
    )
    return 201, slot


@router.post("/tax/slots/generate", response={200: SlotsGeneratedOut, **ERRORS})
def slots_generate(request: HttpRequest, payload: SlotsGenerateIn) -> Any:
    """Cut the opening hours of each open day into slots (tax officers); existing slots are kept."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=payload.hall_id)
    created = services.slots_generate(
        actor=request.user,
        hall=hall,
        date_from=payload.date_from,
        date_to=payload.date_to,
        minutes=payload.minutes,
        capacity=payload.capacity,
    )
    return {"created": created}


@router.patch("/tax/slots/{pk}", response={200: SlotOut, **ERRORS})
def slot_update(request: HttpRequest, payload: SlotPatch, pk: int = PK) -> Any:
    """Change the capacity (never below the bookings) or close the slot (tax officers)."""
    slot = selectors.slot_access(actor=request.user, pk=pk)
    return services.slot_update(actor=request.user, slot=slot, **payload.dict(exclude_unset=True))


@router.post("/tax/closures", response={201: ClosureOut, **ERRORS})
def closure_create(request: HttpRequest, payload: ClosureIn) -> Any:
    """Close the hall for a day: its bookings are cancelled and their taxpayers told (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=payload.hall_id)
    closure, cancelled = services.hall_close_day(actor=request.user, hall=hall, day=payload.date, reason=payload.reason)
    return 201, {
        "id": closure.pk,
        "hall_id": hall.pk,
        "date": closure.date,
        "reason": closure.reason,
        "cancelled": cancelled,
    }


@router.delete("/tax/closures/{pk}", response={204: None, **ERRORS})
def closure_remove(request: HttpRequest, pk: int = PK) -> Any:
    """Open the hall again that day: its slots take bookings again (tax officers)."""
    services.hall_reopen_day(actor=request.user, closure=selectors.closure_access(actor=request.user, pk=pk))
    return 204, None


@router.get("/tax/appointments", response={200: list[AppointmentOut], **ERRORS})
@paginate(Paging)
def appointment_list(request: HttpRequest, filters: Query[AppointmentFilters]) -> Any:
    """An enterprise sees its own bookings; tax officers see all."""
    data = filters.dict()
    return selectors.appointment_list(
        actor=request.user, day=data["date"], organisation_id=data["organisation_id"], status=data["status"] or ""
    )


@router.post("/tax/appointments", response={201: AppointmentOut, **ERRORS})
def appointment_book(request: HttpRequest, payload: AppointmentIn) -> Any:
    """Book a seat: 201 with the booking code; 409 `slot_full` when the slot is full,
    `already_booked` when the taxpayer already has a booking that day."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=payload.organisation_id)
    slot = selectors.slot_access(actor=request.user, pk=payload.slot_id)
    appointment = services.appointment_book(
        actor=request.user, slot=slot, organisation=organisation, purpose=payload.purpose, note=payload.note
    )
    return 201, appointment


@router.get("/tax/appointments/{pk}", response={200: AppointmentOut, **ERRORS})
def appointment_read(request: HttpRequest, pk: int = PK) -> Any:
    return selectors.appointment_access(actor=request.user, pk=pk)


@router.post("/tax/appointments/{pk}/cancel", response={200: AppointmentOut, **ERRORS})
def appointment_cancel(request: HttpRequest, pk: int = PK) -> Any:
    """Until the cut-off before the slot (ZONEGUARD_TAX_CHANGE_CUTOFF_MINUTES) for enterprises."""
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    return services.appointment_cancel(actor=request.user, appointment=appointment)


@router.post("/tax/appointments/{pk}/reschedule", response={200: AppointmentOut, **ERRORS})
def appointment_reschedule(request: HttpRequest, payload: RescheduleIn, pk: int = PK) -> Any:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    slot = selectors.slot_access(actor=request.user, pk=payload.slot_id)
    return services.appointment_reschedule(actor=request.user, appointment=appointment, slot=slot)


@router.post("/tax/appointments/{pk}/arrival", response={200: AppointmentOut, **ERRORS})
def appointment_arrival(request: HttpRequest, pk: int = PK) -> Any:
    """Tick off the taxpayer's arrival at the hall (tax officers, on the day)."""
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    return services.appointment_mark_arrived(actor=request.user, appointment=appointment)


@router.post("/tax/appointments/{pk}/no-show", response={200: AppointmentOut, **ERRORS})
def appointment_no_show(request: HttpRequest, pk: int = PK) -> Any:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    return services.appointment_mark_no_show(actor=request.user, appointment=appointment)


# --- Deferrals ------------------------------------------------------------------------------------


@router.get("/tax/deferrals", response={200: list[DeferralOut], **ERRORS})
@paginate(Paging)
def deferral_list(request: HttpRequest, filters: Query[DeferralFilters]) -> Any:
    """An enterprise sees its own applications; tax officers see all."""
    data = filters.dict()
    return selectors.deferral_list(
        actor=request.user, status=data["status"] or "", organisation_id=data["organisation_id"]
    )


@router.post("/tax/deferrals", response={201: DeferralOut, **ERRORS})
def deferral_apply(request: HttpRequest, payload: DeferralIn) -> Any:
    """Apply to defer taxes for 1 to 3 months; amounts are strings with at most two decimals.
    Invalid input answers 422 and writes nothing."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=payload.organisation_id)
    deferral = services.deferral_apply(
        actor=request.user,
        organisation=organisation,
        months=payload.months,
        reason=payload.reason,
        items=[(item.tax_type, item.amount) for item in payload.items],
        period=payload.period,
        due_on=payload.due_on,
    )
    return 201, selectors.deferral_access(actor=request.user, pk=deferral.pk)


@router.get("/tax/deferrals/summary", response={200: SummaryOut, **ERRORS})
def deferral_summary(request: HttpRequest, filters: Query[SummaryFilters]) -> Any:
    """Approved deferrals decided from `from` to `to` (inclusive, either may be left out): the
    number of enterprises and the exact totals, overall and by tax type."""
    return selectors.deferral_summary(actor=request.user, date_from=filters.date_from, date_to=filters.date_to)


@router.get("/tax/deferrals/{pk}", response={200: DeferralOut, **ERRORS})
def deferral_read(request: HttpRequest, pk: int = PK) -> Any:
    return selectors.deferral_access(actor=request.user, pk=pk)


@router.post("/tax/deferrals/{pk}/decision", response={200: DeferralOut, **ERRORS})
def deferral_decide(request: HttpRequest, payload: DecisionIn, pk: int = PK) -> Any:
    """Approve (possibly fewer months, smaller amounts per tax type) or refuse with a note (tax officers)."""
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    services.deferral_decide(
        actor=request.user,
        deferral=deferral,
        approve=payload.decision == "approve",
        months=payload.months,
        amounts=payload.amounts,
        note=payload.note,
    )
    return selectors.deferral_access(actor=request.user, pk=pk)


@router.post("/tax/deferrals/{pk}/evidence", response={201: AttachmentOut, **ERRORS})
def deferral_evidence_add(request: HttpRequest, pk: int = PK, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """Upload a hardship evidence file (PDF, Word, Excel, OFD, text or image)."""
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    return 201, services.deferral_evidence_add(actor=request.user, deferral=deferral, file=file)
