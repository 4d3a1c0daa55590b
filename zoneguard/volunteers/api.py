"""The volunteer corps' API: volunteers, shifts and sign-ups, tasks and their results, to-dos, hours.

Scoped as the rest of the API: the commander reads every community, a community worker theirs; a
volunteer their own record, the shifts of their community, their sign-ups and their tasks; a
device token nothing. Objects out of scope answer 404."""

from typing import Any

from django.http import HttpResponse
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.registry import selectors as registry_selectors

from . import access, selectors, services
from .schemas import (
    AttendanceIn,
    CommunityHoursOut,
    CommunityResultsOut,
    HoursFilters,
    HoursOut,
    LeafletsIn,
    LeafletsOut,
    ResultsFilters,
    ShiftFilters,
    ShiftIn,
    ShiftOut,
    SignUpIn,
    SignUpOut,
    TaskFilters,
    TaskIn,
    TaskOut,
    TaskResultsOut,
    TodoCloseIn,
    TodoFilters,
    TodoOut,
    VisitIn,
    VisitOut,
    VolunteerFilters,
    VolunteerIn,
    VolunteerOut,
)

router = Router(tags=["volunteers"])

PK = Path(..., ge=1, le=MAX_ID)
PDF = {"responses": {200: {"description": "The certificate (PDF).", "content": {"application/pdf": {}}}}}


# --- Volunteers -----------------------------------------------------------------------------


@router.get("/volunteers", response={200: list[VolunteerOut], **ERRORS})
@paginate(Paging)
def volunteer_list(request: ApiRequest, filters: Query[VolunteerFilters]) -> Any:
    """Phones and ID numbers masked. A volunteer sees their own record only."""
    return selectors.volunteer_list(actor=request.user, **filters.dict())


@router.post("/volunteers", response={201: VolunteerOut, **ERRORS})
def volunteer_create(request: ApiRequest, payload: VolunteerIn) -> Any:
    """A community worker (or the commander) registers a volunteer, approved at once; a signed-in
    user of the volunteer role applies to a community, to be approved by its workers."""
    data = payload.dict()
    data["community"] = selectors.community(pk=data.pop("community_id"))
    if access.is_volunteer(request.user):
        volunteer = services.volunteer_apply(actor=request.user, **data)
    else:
        volunteer = services.volunteer_register(actor=request.user, **data)
    return 201, selectors.volunteer_access(actor=request.user, pk=volunteer.pk)


@router.get("/volunteers/shifts", response={200: list[ShiftOut], **ERRORS})
@paginate(Paging)
def shift_list(request: ApiRequest, filters: Query[ShiftFilters]) -> Any:
    """A volunteer sees the shifts of their community once approved."""
    return selectors.shift_list(actor=request.user, **filters.dict())


@router.post("/volunteers/shifts", response={201: ShiftOut, **ERRORS})
def shift_create(request: ApiRequest, payload: ShiftIn) -> Any:
    """A shift at a checkpoint site of the community (the site's organisation is the community or
    is registered in it)."""
    data = payload.dict()
    site = registry_selectors.site_access(actor=request.user, pk=data.pop("site_id"))
    shift = services.shift_create(actor=request.user, site=site, **data)
    return 201, selectors.shift_access(actor=request.user, pk=shift.pk)


@router.get("/volunteers/shifts/{pk}", response={200: ShiftOut, **ERRORS})
def shift_read(request: ApiRequest, pk: int = PK) -> Any:
    """One shift with the places taken: for the commander and those whose scope covers its community (its community
    workers, a department competent for communities), and for an approved volunteer of that community; 404
    otherwise."""
    return selectors.shift_access(actor=request.user, pk=pk)


@router.get("/volunteers/shifts/{pk}/signups", response={200: list[SignUpOut], **ERRORS})
def shift_signups(request: ApiRequest, pk: int = PK) -> Any:
    """Who stands on the shift: for the community's workers and the commander; a volunteer sees
    their own place."""
    shift = selectors.shift_access(actor=request.user, pk=pk)
    return list(selectors.signup_list(actor=request.user, shift_id=shift.pk))


@router.post("/volunteers/shifts/{pk}/signups", response={201: SignUpOut, **ERRORS})
def signup_create(request: ApiRequest, payload: SignUpIn, pk: int = PK) -> Any:
    """Take a place on the shift. 409 `shift_full` when it has all it needs, `shift_overlap` when the
    volunteer stands on an overlapping shift, `shift_over` when it has ended."""
    shift = selectors.shift_access(actor=request.user, pk=pk)
    volunteer = (
        selectors.volunteer_access(actor=request.user, pk=payload.volunteer_id) if payload.volunteer_id else None
    )
    return 201, services.signup_create(actor=request.user, shift=shift, volunteer=volunteer)


@router.get("/volunteers/signups", response={200: list[SignUpOut], **ERRORS})
@paginate(Paging)
def signup_list(request: ApiRequest, active: bool | None = Query(True)) -> Any:
    """Sign-ups in scope (a volunteer: their own), standing ones by default."""
    return selectors.signup_list(actor=request.user, active=active)


@router.post("/volunteers/signups/{pk}/cancel", response={200: SignUpOut, **ERRORS})
def signup_cancel(request: ApiRequest, pk: int = PK) -> Any:
    """Give the place back; only before the shift starts (409 `shift_started`)."""
    signup = selectors.signup_access(actor=request.user, pk=pk)
    return services.signup_cancel(actor=request.user, signup=signup)


@router.post("/volunteers/signups/{pk}/check-in", response={200: SignUpOut, **ERRORS})
def signup_checkin(request: ApiRequest, payload: AttendanceIn, pk: int = PK) -> Any:
    """From 30 minutes before the shift to its end; now, or `at` for a community worker."""
    signup = selectors.signup_access(actor=request.user, pk=pk)
    return services.signup_check_in(actor=request.user, signup=signup, at=payload.at)


@router.post("/volunteers/signups/{pk}/check-out", response={200: SignUpOut, **ERRORS})
def signup_checkout(request: ApiRequest, payload: AttendanceIn, pk: int = PK) -> Any:
    """The time served counts from check-in to check-out within the shift (hours.py)."""
    signup = selectors.signup_access(actor=request.user, pk=pk)
    return services.signup_check_out(actor=request.user, signup=signup, at=payload.at)


# --- Tasks ----------------------------------------------------------------------------------


@router.get("/volunteers/tasks", response={200: list[TaskOut], **ERRORS})
@paginate(Paging)
def task_list(request: ApiRequest, filters: Query[TaskFilters]) -> Any:
    """A volunteer sees the tasks given to them."""
    return selectors.task_list(actor=request.user, **filters.dict()).prefetch_related("volunteers", "shops")


@router.post("/volunteers/tasks", response={201: TaskOut, **ERRORS})
def task_create(request: ApiRequest, payload: TaskIn) -> Any:
    """Give approved volunteers of a community a task; they are notified. A canvassing round covers the `shop_ids`
    given, or every active shop and market registered in the community. The commander or a worker of that
    community (403 otherwise); 422 when `community_id` is not an active community, a volunteer is not an approved
    volunteer of it, or a shop is not registered in it (or it has none)."""
    data = payload.dict()
    data["community"] = selectors.community(pk=data.pop("community_id"))
    task = services.task_create(actor=request.user, **data)
    return 201, selectors.task_access(actor=request.user, pk=task.pk)


@router.get("/volunteers/tasks/{pk}", response={200: TaskResultsOut, **ERRORS})
def task_results(request: ApiRequest, pk: int = PK) -> Any:
    """The task with its results: each shop's checklist, the roll-up, the leaflets dropped."""
    task = selectors.task_access(actor=request.user, pk=pk)
    return {
        "task": task,
        "rollup": selectors.task_rollup(task=task),
        "leaflets": selectors.task_leaflets(task=task),
        "visits": list(task.visits.select_related("shop")),
        "drops": list(task.drops.all()),
    }


@router.post("/volunteers/tasks/{pk}/visits", response={201: VisitOut, **ERRORS})
def visit_record(request: ApiRequest, payload: VisitIn, pk: int = PK) -> Any:
    """One shop's checklist (recorded again, it is corrected). An open shop answers every check; a
    shop open without its staff registered becomes a to-do for the community."""
    task = selectors.task_access(actor=request.user, pk=pk)
    data = payload.dict()
    shop = selectors.task_shop(task=task, pk=data.pop("shop_id"))
    return 201, services.visit_record(actor=request.user, task=task, shop=shop, **data)


@router.post("/volunteers/tasks/{pk}/leaflets", response={201: LeafletsOut, **ERRORS})
def leaflets_record(request: ApiRequest, payload: LeafletsIn, pk: int = PK) -> Any:
    """Record leaflets dropped in a building, for a leaflet task (422 `not_leaflets` otherwise): a volunteer the
    task was given to, or the commander or a worker of its community (403 to others who see it). 409 `task_done`
    once the task is done; 422 for a `dropped_at` in the future."""
    task = selectors.task_access(actor=request.user, pk=pk)
    return 201, services.leaflets_record(actor=request.user, task=task, **payload.dict())


@router.post("/volunteers/tasks/{pk}/complete", response={200: TaskOut, **ERRORS})
def task_complete(request: ApiRequest, pk: int = PK) -> Any:
    """Mark the task done: it takes no more results. The commander or a worker of its community (403 to others who
    see it); a task already done is answered unchanged."""
    task = selectors.task_access(actor=request.user, pk=pk)
    services.task_complete(actor=request.user, task=task)
    return selectors.task_access(actor=request.user, pk=pk)


@router.get("/volunteers/results", response={200: list[CommunityResultsOut], **ERRORS})
def community_results(request: ApiRequest, filters: Query[ResultsFilters]) -> Any:
    """Canvassing and leaflets rolled up per community, each shop by its latest visit."""
    return selectors.community_results(actor=request.user, **filters.dict())


@router.get("/volunteers/todos", response={200: list[TodoOut], **ERRORS})
@paginate(Paging)
def todo_list(request: ApiRequest, filters: Query[TodoFilters]) -> Any:
    """What the canvassing found for the community to put right; the open ones by default."""
    return selectors.todo_list(actor=request.user, **filters.dict())


@router.post("/volunteers/todos/{pk}/close", response={200: TodoOut, **ERRORS})
def todo_close(request: ApiRequest, payload: TodoCloseIn, pk: int = PK) -> Any:
    """Close an open to-do, with a note (kept to 200 characters): the commander or a worker of its community (403 to
    others who see it, 404 to volunteers). 409 `closed` when it is closed already."""
    todo = selectors.todo_access(actor=request.user, pk=pk)
    return services.todo_close(actor=request.user, todo=todo, note=payload.note)


# --- Hours ----------------------------------------------------------------------------------


@router.get("/volunteers/hours", response={200: list[HoursOut], **ERRORS})
def hours_by_volunteer(request: ApiRequest, filters: Query[HoursFilters]) -> Any:
    """Hours served per volunteer (a volunteer: their own), most first; hours.py states the rule."""
    return selectors.hours_by_volunteer(actor=request.user, **filters.dict())


@router.get("/volunteers/hours/communities", response={200: list[CommunityHoursOut], **ERRORS})
def hours_by_community(request: ApiRequest, filters: Query[ResultsFilters]) -> Any:
    """Hours served per community from `since` to `until`, with its volunteers (applicants left out) and shifts, in
    pinyin order of community: the communities in the caller's scope; a volunteer their own hours only."""
    return selectors.hours_by_community(actor=request.user, **filters.dict())


# --- One volunteer (after the fixed paths above) ------------------------------------------------


@router.get("/volunteers/{pk}", response={200: VolunteerOut, **ERRORS})
def volunteer_read(request: ApiRequest, pk: int = PK) -> Any:
    """In full for those who may (the commander, the community's workers, the volunteer), audited."""
    return selectors.volunteer_read(actor=request.user, pk=pk, purpose="api")


@router.post("/volunteers/{pk}/approve", response={200: VolunteerOut, **ERRORS})
def volunteer_approve(request: ApiRequest, pk: int = PK) -> Any:
    """Approve an application, or take a suspended volunteer back: the community's workers."""
    volunteer = selectors.volunteer_access(actor=request.user, pk=pk)
    services.volunteer_approve(actor=request.user, volunteer=volunteer)
    return selectors.volunteer_access(actor=request.user, pk=pk)


@router.post("/volunteers/{pk}/suspend", response={200: VolunteerOut, **ERRORS})
def volunteer_suspend(request: ApiRequest, pk: int = PK) -> Any:
    """No more sign-ups; places on shifts not begun are given back."""
    volunteer = selectors.volunteer_access(actor=request.user, pk=pk)
    services.volunteer_suspend(actor=request.user, volunteer=volunteer)
    return selectors.volunteer_access(actor=request.user, pk=pk)


@router.get("/volunteers/{pk}/certificate", response=ERRORS, openapi_extra=PDF)
def volunteer_certificate(request: ApiRequest, pk: int = PK) -> Any:
    """The certificate of service (PDF, Chinese) with the hours served."""
    volunteer = selectors.volunteer_access(actor=request.user, pk=pk)
    pdf = services.certificate_issue(actor=request.user, volunteer=volunteer)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{volunteer.pk}.pdf"'
    return response
