from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import InvalidInput, NotFound
from zoneguard.registry.models import Department

from . import selectors, services
from .schemas import (
    CommentIn,
    FiguresIn,
    FiguresOut,
    MessageIn,
    PassOnIn,
    RateIn,
    ReopenIn,
    ResolveIn,
    TicketAttachmentOut,
    TicketDetailOut,
    TicketFilters,
    TicketIn,
    TicketOut,
    WithdrawIn,
)

router = Router(tags=["tickets"])

PK = Path(..., ge=1, le=MAX_ID)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _read(request: ApiRequest, pk: int) -> Any:
    return selectors.ticket_access(actor=request.user, pk=pk)


@router.get("/tickets", response={200: list[TicketOut], **ERRORS})
@paginate(Paging)
def ticket_list(request: ApiRequest, filters: Query[TicketFilters]) -> Any:
    """Enterprise requests: an enterprise's admin their own organisation's; a department officer
    those routed to their department; the commander all. Open ones first, nearest deadline on top."""
    return selectors.ticket_list(actor=request.user, **filters.dict(exclude_none=True))


@router.post("/tickets", response={201: TicketDetailOut, **ERRORS})
def ticket_file(request: ApiRequest, payload: TicketIn) -> Any:
    """An enterprise's admin reports a difficulty; it is routed by category (and sector) to a
    department. Attach files afterwards with `POST /tickets/{id}/attachments`."""
    ticket = services.ticket_file(actor=request.user, **payload.dict())
    return 201, _read(request, ticket.pk)


@router.get("/tickets/figures", response={200: list[FiguresOut], **ERRORS})
def ticket_figures(request: ApiRequest, period: Query[FiguresIn]) -> Any:
    """Per department, for requests filed in the period: received, accepted in time, resolved,
    reopened, median and 90th-percentile hours to resolve, average rating; overdue now whenever
    filed. The commander every department, an officer their own."""
    if period.end < period.start:
        raise InvalidInput.for_field("end", _("The period must end on or after its first day."))
    start = datetime.combine(period.start, time.min, tzinfo=SHANGHAI)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    rows = selectors.department_figures(actor=request.user, start=start, end=end, now=timezone.now())
    return [
        {"department_id": d.pk, "department_name": d.name, **{k: getattr(f, k) for k in FIGURE_FIELDS}} for d, f in rows
    ]


FIGURE_FIELDS = (
    "received",
    "accepted_in_time",
    "resolved",
    "overdue_now",
    "reopened",
    "withdrawn",
    "median_hours",
    "p90_hours",
    "average_rating",
)


@router.get("/tickets/{pk}", response={200: TicketDetailOut, **ERRORS})
def ticket_read(request: ApiRequest, pk: int = PK) -> Any:
    """The request with its attachments and its conversation and history, every step timed."""
    return _read(request, pk)


@router.post("/tickets/{pk}/attachments", response={201: TicketAttachmentOut, **ERRORS})
def ticket_attach(request: ApiRequest, file: File[UploadedFile], pk: int = PK) -> Any:
    """Multipart `file`: a PDF, an image or an Office file, up to ZONEGUARD_UPLOAD_MAX_MB."""
    return 201, services.ticket_attach(actor=request.user, ticket=_read(request, pk), file=file)


@router.get("/tickets/{pk}/attachments/{attachment_pk}", response={200: None, **ERRORS})
def ticket_attachment(request: ApiRequest, pk: int = PK, attachment_pk: int = PK) -> Any:
    """The file itself, to those who see the request only."""
    attachment = selectors.attachment_access(actor=request.user, pk=pk, attachment_pk=attachment_pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["Cache-Control"] = "no-store"
    return response


@router.post("/tickets/{pk}/accept", response={200: TicketDetailOut, **ERRORS})
def ticket_accept(request: ApiRequest, pk: int = PK) -> Any:
    """The department takes the request on; 409 when it is not waiting for it."""
    services.ticket_accept(actor=request.user, ticket=_read(request, pk))
    return _read(request, pk)


@router.post("/tickets/{pk}/pass-on", response={200: TicketOut, **ERRORS})
def ticket_pass_on(request: ApiRequest, payload: PassOnIn, pk: int = PK) -> Any:
    """The department gives the request to another department, saying why. Answers the request
    as passed on: the department that passed it no longer sees it afterwards."""
    ticket = _read(request, pk)
    department = Department.objects.filter(pk=payload.department_id).first()
    if department is None:
        raise InvalidInput.for_field("department_id", str(NotFound.default_message))
    return services.ticket_pass_on(actor=request.user, ticket=ticket, department=department, reason=payload.reason)


@router.post("/tickets/{pk}/messages", response={201: TicketDetailOut, **ERRORS})
def ticket_message(request: ApiRequest, payload: MessageIn, pk: int = PK) -> Any:
    """A message in the conversation, from the enterprise or the department."""
    services.ticket_message(actor=request.user, ticket=_read(request, pk), body=payload.body)
    return 201, _read(request, pk)


@router.post("/tickets/{pk}/resolve", response={200: TicketDetailOut, **ERRORS})
def ticket_resolve(request: ApiRequest, payload: ResolveIn, pk: int = PK) -> Any:
    """The department's answer: the request is resolved until the enterprise confirms or reopens."""
    services.ticket_resolve(actor=request.user, ticket=_read(request, pk), answer=payload.answer)
    return _read(request, pk)


@router.post("/tickets/{pk}/confirm", response={200: TicketDetailOut, **ERRORS})
def ticket_confirm(request: ApiRequest, payload: CommentIn, pk: int = PK) -> Any:
    """The enterprise confirms the department's answer solved its request, with an optional comment; it may then
    rate it. Only the admins of the organisation that filed it (403 otherwise); 409 `out_of_order` unless the
    request is resolved."""
    services.ticket_confirm(actor=request.user, ticket=_read(request, pk), comment=payload.comment)
    return _read(request, pk)


@router.post("/tickets/{pk}/reopen", response={200: TicketDetailOut, **ERRORS})
def ticket_reopen(request: ApiRequest, payload: ReopenIn, pk: int = PK) -> Any:
    """Not solved: the enterprise says what is missing; the department works on it again."""
    services.ticket_reopen(actor=request.user, ticket=_read(request, pk), comment=payload.comment)
    return _read(request, pk)


@router.post("/tickets/{pk}/withdraw", response={200: TicketDetailOut, **ERRORS})
def ticket_withdraw(request: ApiRequest, payload: WithdrawIn, pk: int = PK) -> Any:
    """The enterprise no longer needs help, saying why; 409 once answered or closed."""
    services.ticket_withdraw(actor=request.user, ticket=_read(request, pk), reason=payload.reason)
    return _read(request, pk)


@router.post("/tickets/{pk}/rate", response={200: TicketDetailOut, **ERRORS})
def ticket_rate(request: ApiRequest, payload: RateIn, pk: int = PK) -> Any:
    """Once, after confirming: 1 to 5."""
    services.ticket_rate(actor=request.user, ticket=_read(request, pk), rating=payload.rating, comment=payload.comment)
    return _read(request, pk)
