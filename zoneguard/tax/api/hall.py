"""The tax hall: windows, opening hours, slots, closures and appointments."""

from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging

from .. import access, selectors, services
from ..schemas.hall import (
    AppointmentFilters,
    AppointmentIn,
    AppointmentOut,
    CancelIn,
    ClosureIn,
    ClosureOut,
    HallOut,
    OpeningHoursIn,
    OpeningHoursOut,
    RescheduleIn,
    SlotFilters,
    SlotIn,
    SlotOut,
    SlotPatch,
    SlotsGeneratedOut,
    SlotsGenerateIn,
    WindowIn,
    WindowOut,
    WindowPatch,
)

router = Router()

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/tax/halls", response={200: list[HallOut], **ERRORS})
def hall_list(request: ApiRequest) -> Any:
    """The open tax halls, by name, with their windows and weekly opening hours; for the commander, tax officers and
    enterprises' admins (403 otherwise)."""
    access.require_user(request.user)
    return selectors.hall_list().prefetch_related("windows", "opening_hours")


@router.post("/tax/halls/{pk}/windows", response={201: WindowOut, **ERRORS})
def window_create(request: ApiRequest, payload: WindowIn, pk: int = PK) -> Any:
    """A service window of the hall (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=pk)
    return 201, services.window_save(actor=request.user, hall=hall, data=payload.dict())


@router.patch("/tax/windows/{pk}", response={200: WindowOut, **ERRORS})
def window_update(request: ApiRequest, payload: WindowPatch, pk: int = PK) -> Any:
    """Rename a service window, change the services it offers or close it (tax officers; 403 otherwise). A null
    `is_active` leaves it as it is."""
    window = selectors.window_access(actor=request.user, pk=pk)
    data = payload.dict(exclude_unset=True)
    if data.get("is_active", False) is None:
        del data["is_active"]
    return services.window_save(actor=request.user, hall=window.hall, window=window, data=data)


@router.post("/tax/halls/{pk}/opening-hours", response={201: OpeningHoursOut, **ERRORS})
def opening_hours_add(request: ApiRequest, payload: OpeningHoursIn, pk: int = PK) -> Any:
    """An opening period of a weekday; periods of a day may not overlap (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=pk)
    return 201, services.opening_hours_add(actor=request.user, hall=hall, **payload.dict())


@router.delete("/tax/opening-hours/{pk}", response={204: None, **ERRORS})
def opening_hours_remove(request: ApiRequest, pk: int = PK) -> Any:
    """Remove an opening period of a weekday (tax officers; 403 otherwise). Slots already cut from it are kept."""
    services.opening_hours_remove(actor=request.user, hours=selectors.opening_hours_access(actor=request.user, pk=pk))
    return 204, None


@router.get("/tax/slots", response={200: list[SlotOut], **ERRORS})
def slot_list(request: ApiRequest, filters: Query[SlotFilters]) -> Any:
    """The slots of one day (the zone's local date), in time order, with what is booked."""
    return selectors.slot_list(actor=request.user, day=filters.date, hall_id=filters.hall_id)


@router.post("/tax/slots", response={201: SlotOut, **ERRORS})
def slot_create(request: ApiRequest, payload: SlotIn) -> Any:
    """One slot (tax officers)."""
    access.require_administrator(request.user)
    hall = selectors.hall_access(actor=request.user, pk=payload.hall_id)
    slot = services.slot_create(
        actor=request.user, hall=hall, starts_at=payload.starts_at, ends_at=payload.ends_at, capacity=payload.capacity
    )
    return 201, slot


@router.post("/tax/slots/generate", response={200: SlotsGeneratedOut, **ERRORS})
def slots_generate(request: ApiRequest, payload: SlotsGenerateIn) -> Any:
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
def slot_update(request: ApiRequest, payload: SlotPatch, pk: int = PK) -> Any:
    """Change the capacity (never below the bookings) or close the slot (tax officers)."""
    slot = selectors.slot_access(actor=request.user, pk=pk)
    return services.slot_update(actor=request.user, slot=slot, **payload.dict(exclude_unset=True))


@router.post("/tax/closures", response={201: ClosureOut, **ERRORS})
def closure_create(request: ApiRequest, payload: ClosureIn) -> Any:
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
def closure_remove(request: ApiRequest, pk: int = PK) -> Any:
    """Open the hall again that day: its slots take bookings again (tax officers)."""
    services.hall_reopen_day(actor=request.user, closure=selectors.closure_access(actor=request.user, pk=pk))
    return 204, None


@router.get("/tax/appointments", response={200: list[AppointmentOut], **ERRORS})
@paginate(Paging)
def appointment_list(request: ApiRequest, filters: Query[AppointmentFilters]) -> Any:
    """An enterprise sees its own bookings; tax officers see all."""
    data = filters.dict()
    return selectors.appointment_list(
        actor=request.user, day=data["date"], organisation_id=data["organisation_id"], status=data["status"] or ""
    )


@router.post("/tax/appointments", response={201: AppointmentOut, **ERRORS})
def appointment_book(request: ApiRequest, payload: AppointmentIn) -> Any:
    """Book a seat: 201 with the booking code; 409 `slot_full` when the slot is full,
    `already_booked` when the taxpayer already has a booking that day."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=payload.organisation_id)
    slot = selectors.slot_access(actor=request.user, pk=payload.slot_id)
    appointment = services.appointment_book(
        actor=request.user, slot=slot, organisation=organisation, purpose=payload.purpose, note=payload.note
    )
    return 201, appointment


@router.get("/tax/appointments/{pk}", response={200: AppointmentOut, **ERRORS})
def appointment_read(request: ApiRequest, pk: int = PK) -> Any:
    """One booking with its code: an enterprise's own (and those of the organisations it is parent of), the
    commander any, tax officers those their department serves; 404 otherwise."""
    return selectors.appointment_access(actor=request.user, pk=pk)


@router.post("/tax/appointments/{pk}/cancel", response={200: AppointmentOut, **ERRORS})
def appointment_cancel(request: ApiRequest, pk: int = PK, payload: CancelIn | None = None) -> Any:
    """Until the cut-off before the slot (ZONEGUARD_TAX_CHANGE_CUTOFF_MINUTES) for enterprises.
    Cancelled by the tax bureau, the taxpayer is told, with the reason if one is given."""
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    reason = payload.reason if payload is not None else ""
    return services.appointment_cancel(actor=request.user, appointment=appointment, reason=reason)


@router.post("/tax/appointments/{pk}/reschedule", response={200: AppointmentOut, **ERRORS})
def appointment_reschedule(request: ApiRequest, payload: RescheduleIn, pk: int = PK) -> Any:
    """Move a booking to another slot: a seat is taken there and freed here at once (the same slot changes nothing).
    The enterprise's admins until the cut-off before the booked slot (409 `past_cutoff`), tax officers until it
    ends (409 `slot_over`); when the tax bureau moves it, the enterprise's admins are told, with `reason`. 409
    `not_booked`, `slot_full`, `slot_closed`, `slot_started`, or `already_booked` when the taxpayer has another
    booking that day; 403 for others, the commander included."""
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    slot = selectors.slot_access(actor=request.user, pk=payload.slot_id)
    return services.appointment_reschedule(
        actor=request.user, appointment=appointment, slot=slot, reason=payload.reason
    )


@router.post("/tax/appointments/{pk}/arrival", response={200: AppointmentOut, **ERRORS})
def appointment_arrival(request: ApiRequest, pk: int = PK) -> Any:
    """Tick off the taxpayer's arrival at the hall (tax officers, on the day)."""
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    return services.appointment_mark_arrived(actor=request.user, appointment=appointment)


@router.post("/tax/appointments/{pk}/no-show", response={200: AppointmentOut, **ERRORS})
def appointment_no_show(request: ApiRequest, pk: int = PK) -> Any:
    """Record that the taxpayer did not come (tax officers), once the slot has started (409 `not_started`); 409
    `not_booked` unless the booking is still booked."""
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    return services.appointment_mark_no_show(actor=request.user, appointment=appointment)
