"""Writes of enterprise requests: file (routed by routing.py, its limits fixed by lifecycle.py),
attach, accept, pass on, talk, answer and resolve, confirm or reopen, rate; the commander's
routing table and time limits; and the escalation of the overdue. Each
transition locks the ticket and checks lifecycle.py's rules, so an action out of order changes
nothing (409), and writes its timed event and audit row in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts import selectors as accounts_selectors
from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import Role
from zoneguard.core.services import validate
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Department, Organisation, Sector

from . import access, lifecycle, routing
from .models import (
    Category,
    Escalation,
    RoutingRule,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketStatus,
    TimeLimit,
    Urgency,
)

MAX_ATTACHMENTS = 10
# PDF, images and Office files; the first bytes must agree with the name, so a renamed program
# is refused as well as a wrong extension.
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
ATTACHMENT_EXTENSIONS = frozenset(ATTACHMENT_SIGNATURES)
SYSTEM = "ZoneGuard"


def _link(ticket: Ticket) -> str:
    return f"/tickets/{ticket.pk}/"


def _event(ticket: Ticket, *, actor: User | None, action: str, body: str = "", at: datetime | None = None) -> None:
    at = at or timezone.now()
    TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        actor=actor,
        actor_name=(actor.full_name or actor.username) if actor is not None else SYSTEM,
        by_enterprise=actor is not None and access.is_enterprise(actor, ticket),
        # The acting officer's department (the one passing the request on, not the one it goes to).
        department_id=actor.department_id if actor is not None and actor.department_id else ticket.department_id,
        status=ticket.status,
        body=body,
        at=at,
    )
    audit_record(
        actor=actor,
        actor_name="" if actor is not None else SYSTEM,
        action=AuditAction.CREATE if action == "file" else AuditAction.UPDATE,
        obj=ticket,
        organisation_id=ticket.organisation_id,
        detail={"action": action, "status": ticket.status, "department": ticket.department_id},
    )


def department_officers(department_id: int | None) -> list[User]:
    if department_id is None:
        return []
    return list(accounts_selectors.department_officers(department_id=department_id).order_by("id"))


def department_heads(department_id: int | None) -> list[User]:
    return [] if department_id is None else accounts_selectors.department_heads(department_id=department_id)


def commanders() -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.COMMANDER).order_by("id"))


def _enterprise_admins(ticket: Ticket) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.ORGANISATION_ADMIN, organisation_id=ticket.organisation_id
        ).order_by("id")
    )


def check_attachment(file: UploadedFile) -> str:
    """The file's name to keep, or a 422 for a type or size that is not accepted."""
    name = PurePath(file.name or "attachment").name[:200]
    suffix = PurePath(name).suffix.lower()
    refused = InvalidInput.for_field(
        "file",
        _("Attach a PDF, an image or an Office file (%(extensions)s).")
        % {"extensions": ", ".join(sorted(ATTACHMENT_EXTENSIONS))},
        code="file_type",
    )
    if suffix not in ATTACHMENT_EXTENSIONS:
        raise refused
    if (file.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_size",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(signature) for signature in ATTACHMENT_SIGNATURES[suffix]):
        raise refused
    return name


def _attach(ticket: Ticket, *, actor: User, file: UploadedFile) -> TicketAttachment:
    name = check_attachment(file)
    if ticket.attachments.count() >= MAX_ATTACHMENTS:
        raise InvalidInput.for_field("file", _("A request has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
    attachment = TicketAttachment(ticket=ticket, name=name, size=file.size or 0, uploaded_by=actor)
    attachment.file.save(name, file, save=False)
    attachment.save()
    return attachment


def _limits_table() -> dict[tuple[str, str], tuple[int, int]]:
    return {(row.category, row.urgency): (row.accept_hours, row.resolve_hours) for row in TimeLimit.objects.all()}


def route_for(*, category: str, organisation: Organisation) -> int | None:
    rules = RoutingRule.objects.filter(category=category).values_list("category", "sector_id", "department_id")
    return routing.route(category=category, sector_id=organisation.sector_id, rules=list(rules))


def ticket_file(
    *,
    actor: User,
    category: str,
    urgency: str,
    title: str,
    description: str,
    attachments: Iterable[UploadedFile] = (),
    client_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Ticket:
    """An enterprise's admin reports a difficulty; it goes to the department its category (and
    sector) is routed to, whose officers are told. The same `client_id` twice (a double click, a
    retry) answers the request filed the first time."""
    try:
        return _ticket_file(
            actor=actor,
            category=category,
            urgency=urgency,
            title=title,
            description=description,
            attachments=attachments,
            client_id=client_id,
            now=now,
        )
    except IntegrityError:
        # Two sends with one key at the same moment: the second answers the first's request.
        existing = Ticket.objects.filter(client_id=client_id).first() if client_id is not None else None
        if existing is None:
            raise
        return _same_ticket(actor, existing, title=title)


def _same_ticket(actor: User, existing: Ticket, *, title: str) -> Ticket:
    if existing.filed_by_id != actor.pk or existing.title != title.strip():
        raise Conflict(_("This key was used for another request."), code="client_id_reused")
    return existing


@transaction.atomic
def _ticket_file(
    *,
    actor: User,
    category: str,
    urgency: str,
    title: str,
    description: str,
    attachments: Iterable[UploadedFile],
    client_id: uuid.UUID | None,
    now: datetime | None,
) -> Ticket:
    if not access.may_file(actor) or actor.organisation_id is None:
        raise Forbidden()
    if client_id is not None:
        existing = Ticket.objects.filter(client_id=client_id).first()
        if existing is not None:
            return _same_ticket(actor, existing, title=title)
    organisation = Organisation.objects.get(pk=actor.organisation_id)
    now = now or timezone.now()
    if category not in Category.values:
        raise InvalidInput.for_field("category", _("Choose a category."))
    if urgency not in Urgency.values:
        raise InvalidInput.for_field("urgency", _("Choose an urgency."))
    limits = lifecycle.limits_for(category=category, urgency=urgency, table=_limits_table())
    ticket = Ticket(
        organisation=organisation,
        department_id=route_for(category=category, organisation=organisation),
        category=category,
        urgency=urgency,
        title=title.strip(),
        description=description.strip(),
        filed_by=actor,
        filed_at=now,
        accept_due=now + limits.accept,
        resolve_due=now + limits.resolve,
        client_id=client_id,
    )
    validate(ticket, exclude=["organisation", "department", "filed_by"], constraints=False)
    ticket.save()
    for file in attachments:
        _attach(ticket, actor=actor, file=file)
    _event(ticket, actor=actor, action="file", body=ticket.description, at=now)
    notify(
        recipients=department_officers(ticket.department_id) if ticket.department_id else commanders(),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Enterprise request: %(title)s"),
        body=gettext_lazy("From %(organisation)s. Accept it, or pass it on to the department it belongs to."),
        params={"title": ticket.title, "organisation": organisation.name},
        link=_link(ticket),
        source=ticket,
    )
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=ticket.pk)


def _move(ticket: Ticket, action: str) -> None:
    target = lifecycle.next_status(ticket.status, action)
    if target is None:
        raise Conflict(
            _("Not now: the request is %(status)s.") % {"status": TicketStatus(ticket.status).label},
            code="out_of_order",
        )
    ticket.status = target


def _handler_only(actor: User, ticket: Ticket) -> None:
    if not access.is_handler(actor, ticket):
        raise Forbidden(_("Only the department the request is routed to can do this."))


def _enterprise_only(actor: User, ticket: Ticket) -> None:
    if not access.is_enterprise(actor, ticket):
        raise Forbidden(_("Only the enterprise that filed the request can do this."))


@transaction.atomic
def ticket_attach(*, actor: User, ticket: Ticket, file: UploadedFile) -> TicketAttachment:
    ticket = _locked(ticket)
    if not (access.is_handler(actor, ticket) or access.is_enterprise(actor, ticket)):
        raise Forbidden()
    if ticket.status not in lifecycle.TALKING:
        raise Conflict(_("The request is closed."), code="out_of_order")
    attachment = _attach(ticket, actor=actor, file=file)
    _event(ticket, actor=actor, action="message", body=_("Attached %(name)s") % {"name": attachment.name})
    return attachment


@transaction.atomic
def ticket_accept(*, actor: User, ticket: Ticket) -> Ticket:
    ticket = _locked(ticket)
    _handler_only(actor, ticket)
    _move(ticket, "accept")
    now = timezone.now()
    ticket.accepted_at = now
    ticket.first_accepted_at = ticket.first_accepted_at or now
    ticket.save(update_fields=["status", "accepted_at", "first_accepted_at"])
    _event(ticket, actor=actor, action="accept", at=now)
    notify(
        recipients=_enterprise_admins(ticket),
        kind=NotificationKind.INFO,
        title=gettext_lazy("Your request is being worked on: %(title)s"),
        params={"title": ticket.title},
        link=_link(ticket),
        source=ticket,
    )
    return ticket


@transaction.atomic
def ticket_pass_on(*, actor: User, ticket: Ticket, department: Department, reason: str) -> Ticket:
    """The department gives the request to another one, saying why; that one must accept it."""
    ticket = _locked(ticket)
    _handler_only(actor, ticket)
    reason = reason.strip()
    if not reason:
        raise InvalidInput.for_field("reason", _("Say why it belongs to the other department."), code="required")
    if department.pk == ticket.department_id:
        raise InvalidInput.for_field("department_id", _("Choose another department."))
    _move(ticket, "pass_on")
    ticket.department = department
    ticket.accepted_at = None
    ticket.passed_count += 1
    ticket.save(update_fields=["status", "department", "accepted_at", "passed_count"])
    _event(ticket, actor=actor, action="pass_on", body=reason)
    notify(
        recipients=department_officers(department.pk),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Enterprise request passed on to you: %(title)s"),
        body=gettext_lazy("Why: %(reason)s"),
        params={"title": ticket.title, "reason": reason[:200]},
        link=_link(ticket),
        source=ticket,
    )
    return ticket


@transaction.atomic
def ticket_message(*, actor: User, ticket: Ticket, body: str) -> TicketEvent:
    """A message in the request's conversation, from either side, until it is confirmed."""
    ticket = _locked(ticket)
    enterprise = access.is_enterprise(actor, ticket)
    if not (enterprise or access.is_handler(actor, ticket)):
        raise Forbidden()
    body = body.strip()
    if not body:
        raise InvalidInput.for_field("body", _("Write the message."), code="required")
    if ticket.status not in lifecycle.TALKING:
        raise Conflict(_("The request is closed."), code="out_of_order")
    _event(ticket, actor=actor, action="message", body=body[:5000])
    notify(
        recipients=department_officers(ticket.department_id) if enterprise else _enterprise_admins(ticket),
        kind=NotificationKind.INFO,
        title=gettext_lazy("New message on the request: %(title)s"),
        params={"title": ticket.title},
        link=_link(ticket),
        source=ticket,
    )
    return ticket.events.order_by("-id").first()  # type: ignore[return-value]


@transaction.atomic
def ticket_resolve(*, actor: User, ticket: Ticket, answer: str) -> Ticket:
    """The department's answer; the request is resolved until the enterprise confirms or reopens."""
    ticket = _locked(ticket)
    _handler_only(actor, ticket)
    answer = answer.strip()
    if not answer:
        raise InvalidInput.for_field("answer", _("Write the answer to the enterprise."), code="required")
    _move(ticket, "resolve")
    ticket.answer, ticket.resolved_at = answer[:5000], timezone.now()
    ticket.save(update_fields=["status", "answer", "resolved_at"])
    _event(ticket, actor=actor, action="resolve", body=ticket.answer, at=ticket.resolved_at)
    notify(
        recipients=_enterprise_admins(ticket),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Your request was answered: %(title)s"),
        body=gettext_lazy("Confirm it is solved, or reopen it with a comment."),
        params={"title": ticket.title},
        link=_link(ticket),
        source=ticket,
    )
    return ticket


@transaction.atomic
def ticket_confirm(*, actor: User, ticket: Ticket, comment: str = "") -> Ticket:
    ticket = _locked(ticket)
    _enterprise_only(actor, ticket)
    _move(ticket, "confirm")
    ticket.confirmed_at = timezone.now()
    ticket.save(update_fields=["status", "confirmed_at"])
    _event(ticket, actor=actor, action="confirm", body=comment.strip()[:5000], at=ticket.confirmed_at)
    return ticket


@transaction.atomic
def ticket_reopen(*, actor: User, ticket: Ticket, comment: str) -> Ticket:
    """Not solved: the enterprise says why, and the department works on it again."""
    ticket = _locked(ticket)
    _enterprise_only(actor, ticket)
    comment = comment.strip()
    if not comment:
        raise InvalidInput.for_field("comment", _("Say what is still not solved."), code="required")
    _move(ticket, "reopen")
    ticket.reopen_count += 1
    ticket.save(update_fields=["status", "reopen_count"])
    _event(ticket, actor=actor, action="reopen", body=comment[:5000])
    notify(
        recipients=department_officers(ticket.department_id),
        kind=NotificationKind.APPROVAL,
        title=gettext_lazy("Request reopened: %(title)s"),
        body=gettext_lazy("The enterprise says: %(comment)s"),
        params={"title": ticket.title, "comment": comment[:200]},
        link=_link(ticket),
        source=ticket,
    )
    return ticket


@transaction.atomic
def ticket_withdraw(*, actor: User, ticket: Ticket, reason: str) -> Ticket:
    """The enterprise no longer needs the department's help, and says why; the department stops
    working on it (no more reminders or escalations) and is told."""
    ticket = _locked(ticket)
    _enterprise_only(actor, ticket)
    reason = reason.strip()
    if not reason:
        raise InvalidInput.for_field("reason", _("Say why the request is withdrawn."), code="required")
    _move(ticket, "withdraw")
    ticket.withdrawn_at = timezone.now()
    ticket.save(update_fields=["status", "withdrawn_at"])
    _event(ticket, actor=actor, action="withdraw", body=reason[:5000], at=ticket.withdrawn_at)
    notify(
        recipients=department_officers(ticket.department_id) if ticket.department_id else commanders(),
        kind=NotificationKind.INFO,
        title=gettext_lazy("Request withdrawn: %(title)s"),
        body=gettext_lazy("The enterprise says: %(comment)s"),
        params={"title": ticket.title, "comment": reason[:200]},
        link=_link(ticket),
        source=ticket,
    )
    return ticket


@transaction.atomic
def ticket_rate(*, actor: User, ticket: Ticket, rating: int, comment: str = "") -> Ticket:
    """Once, after confirming: 1 (poor) to 5 (excellent)."""
    ticket = _locked(ticket)
    _enterprise_only(actor, ticket)
    _move(ticket, "rate")
    if ticket.rating is not None:
        raise Conflict(_("This request was already rated."), code="already_rated")
    if not 1 <= rating <= 5:
        raise InvalidInput.for_field("rating", _("Rate from 1 to 5."))
    ticket.rating, ticket.rating_comment, ticket.rated_at = rating, comment.strip()[:500], timezone.now()
    ticket.save(update_fields=["rating", "rating_comment", "rated_at"])
    _event(ticket, actor=actor, action="rate", body=ticket.rating_comment, at=ticket.rated_at)
    return ticket


# --- The commander's tables ----------------------------------------------------------------------


def _commander_only(actor: User) -> None:
    if not access.is_commander_of_zone(actor):
        raise Forbidden()


@transaction.atomic
def routing_rule_set(*, actor: User, category: str, sector: Sector | None, department: Department) -> RoutingRule:
    """Send requests of a category (from a sector's enterprises, when given) to a department;
    replaces the rule for the same category and sector. Filed requests stay where they are."""
    _commander_only(actor)
    if category not in Category.values:
        raise InvalidInput.for_field("category", _("Choose a category."))
    rule = RoutingRule.objects.select_for_update().filter(category=category, sector=sector).first()
    if rule is None:
        rule = RoutingRule(category=category, sector=sector)
    rule.department = department
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as error:  # the same rule set at the same moment by another request
        raise Conflict(_("This rule was just changed. Try again."), code="conflict") from error
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=rule,
        detail={"category": category, "sector": sector.pk if sector else None, "department": department.pk},
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: User, rule: RoutingRule) -> None:
    _commander_only(actor)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=rule, detail={"category": rule.category})
    rule.delete()


@transaction.atomic
def time_limit_set(*, actor: User, category: str, urgency: str, accept_hours: int, resolve_hours: int) -> TimeLimit:
    """Applies to requests filed from now on."""
    _commander_only(actor)
    limit = TimeLimit.objects.select_for_update().filter(category=category, urgency=urgency).first()
    limit = limit or TimeLimit(category=category, urgency=urgency)
    limit.accept_hours, limit.resolve_hours = accept_hours, resolve_hours
    validate(limit, constraints=False)
    if resolve_hours < accept_hours:
        raise InvalidInput.for_field("resolve_hours", _("Resolving cannot take less time than accepting."))
    limit.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=limit,
        detail={"accept_hours": accept_hours, "resolve_hours": resolve_hours},
    )
    return limit


# --- Escalation ----------------------------------------------------------------------------------

_ESCALATION_TITLES = {
    lifecycle.ACCEPT: gettext_lazy("Request not accepted in time: %(title)s"),
    lifecycle.RESOLVE: gettext_lazy("Request not resolved in time: %(title)s"),
}


def escalate_due(*, now: datetime | None = None) -> int:
    """Tell the department head of every request past a limit, and the commander at twice the
    limit: each once, whatever how often this runs (Escalation rows record what was sent).
    Returns the number of notices sent."""
    now = now or timezone.now()
    candidates = Ticket.objects.filter(status__in=sorted(lifecycle.OPEN), accept_due__lte=now).values_list(
        "pk", flat=True
    )
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            ticket = _locked(Ticket(pk=pk))
            due = lifecycle.escalations_due(
                status=ticket.status,
                filed_at=ticket.filed_at,
                accept_due=ticket.accept_due,
                resolve_due=ticket.resolve_due,
                now=now,
            )
            done = set(ticket.escalations.values_list("stage", "level"))
            for stage, level in due:
                if (stage, level) in done:
                    continue
                recipients = department_heads(ticket.department_id) if level == lifecycle.HEAD else commanders()
                if not recipients:  # no department yet: the commander routes it
                    recipients = commanders()
                Escalation.objects.create(
                    ticket=ticket, stage=stage, level=level, sent_at=now, recipients=len(recipients)
                )
                notify(
                    recipients=recipients,
                    kind=NotificationKind.ALERT,
                    title=_ESCALATION_TITLES[stage],
                    body=gettext_lazy("From %(organisation)s, filed %(filed)s."),
                    params={
                        "title": ticket.title,
                        "organisation": ticket.organisation.name,
                        "filed": f"{timezone.localtime(ticket.filed_at):%Y-%m-%d %H:%M}",
                    },
                    link=_link(ticket),
                    source=ticket,
                )
                _event(ticket, actor=None, action="escalate", body=f"{stage}:{level}", at=now)
                sent += 1
    return sent
