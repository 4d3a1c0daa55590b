"""Writes of notices: create a draft, attach files, publish to the audience, record readings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, changes_between
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import Role
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, OrganisationKind, Sector

from . import access
from .models import Notice, NoticeAttachment, NoticeReader, NoticeRecipient, NoticeStatus
from .richtext import is_empty, sanitise

ATTACHMENT_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".zip",
}
MAX_ATTACHMENTS = 10


def _ids(values: Iterable[Any]) -> list[int]:
    return [v.pk if hasattr(v, "pk") else int(v) for v in values]


@dataclass(frozen=True)
class _Content:
    title: str
    body: str
    kinds: list[str]
    sector_ids: list[int]
    community_ids: list[int]
    organisation_ids: list[int]


def _checked_content(
    actor: User,
    title: str,
    body: str,
    kinds: Iterable[str],
    sectors: Iterable[Any],
    communities: Iterable[Any],
    organisations: Iterable[Any],
) -> _Content:
    """A draft's text and recipients as written, checked: known kinds, sectors and communities,
    organisations the author can see, at least one criterion, a text once sanitised."""
    kinds = list(kinds)
    if not set(kinds) <= set(OrganisationKind.values):
        raise InvalidInput.for_field("kinds", _("Unknown organisation kind."))
    sector_ids, community_ids, organisation_ids = _ids(sectors), _ids(communities), _ids(organisations)
    if len(set(sector_ids)) != Sector.objects.filter(pk__in=sector_ids).count():
        raise InvalidInput.for_field("sector_ids", _("Unknown sector."))
    if len(set(community_ids)) != Organisation.objects.filter(pk__in=community_ids, kind="community").count():
        raise InvalidInput.for_field("community_ids", _("Unknown community."))
    visible = Organisation.objects.filter(scoping.organisation_q(actor))
    if len(set(organisation_ids)) != visible.filter(pk__in=organisation_ids).count():
        raise InvalidInput.for_field("organisation_ids", _("Choose organisations you can see."))
    if not (kinds or sector_ids or community_ids or organisation_ids):
        raise InvalidInput.for_field(
            "kinds", _("Choose the recipients: a kind, sector or community of organisations, or a list.")
        )
    clean_body = sanitise(body)
    if is_empty(clean_body):
        raise InvalidInput.for_field("body", _("Write the notice."))
    return _Content((title or "").strip(), clean_body, kinds, sector_ids, community_ids, organisation_ids)


def _save_content(notice: Notice, content: _Content) -> None:
    notice.title, notice.body, notice.audience_kinds = content.title, content.body, content.kinds
    validate_and_save(notice)
    notice.audience_sectors.set(content.sector_ids)
    notice.audience_communities.set(content.community_ids)
    notice.audience_organisations.set(content.organisation_ids)


def _recipients_snapshot(notice: Notice) -> dict[str, Any]:
    return {
        "title": notice.title,
        "kinds": sorted(notice.audience_kinds),
        "sector_ids": sorted(notice.audience_sectors.values_list("pk", flat=True)),
        "community_ids": sorted(notice.audience_communities.values_list("pk", flat=True)),
        "organisation_ids": sorted(notice.audience_organisations.values_list("pk", flat=True)),
    }


@transaction.atomic
def notice_create(
    *,
    actor: User,
    title: str,
    body: str,
    kinds: Iterable[str] = (),
    sectors: Iterable[Any] = (),
    communities: Iterable[Any] = (),
    organisations: Iterable[Any] = (),
) -> Notice:
    if not access.can_author(actor):
        raise Forbidden(_("Only officers and the commander publish notices."))
    content = _checked_content(actor, title, body, kinds, sectors, communities, organisations)
    notice = Notice(author=actor, department_id=actor.department_id)
    _save_content(notice, content)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notice, detail={"title": notice.title})
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: User,
    notice: Notice,
    title: str,
    body: str,
    kinds: Iterable[str] = (),
    sectors: Iterable[Any] = (),
    communities: Iterable[Any] = (),
    organisations: Iterable[Any] = (),
) -> Notice:
    """Rewrite a draft (its text, its recipients) before it is published; once published, a
    notice stands as sent."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not access.can_manage(actor, notice):
        raise Forbidden()
    if notice.status != NoticeStatus.DRAFT:
        raise Conflict(_("This notice was already published."), code="notice_published")
    content = _checked_content(actor, title, body, kinds, sectors, communities, organisations)
    before = _recipients_snapshot(notice)
    _save_content(notice, content)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=notice,
        detail={"changes": changes_between(before, _recipients_snapshot(notice))},
    )
    return notice


def audience_of(notice: Notice, *, actor: User) -> Any:
    return access.audience(
        actor=actor,
        kinds=list(notice.audience_kinds),
        sector_ids=list(notice.audience_sectors.values_list("pk", flat=True)),
        community_ids=list(notice.audience_communities.values_list("pk", flat=True)),
        organisation_ids=list(notice.audience_organisations.values_list("pk", flat=True)),
    )


@transaction.atomic
def notice_attach(*, actor: User, notice: Notice, file: UploadedFile) -> NoticeAttachment:
    if not access.can_manage(actor, notice):
        raise Forbidden()
    if Notice.objects.select_for_update().get(pk=notice.pk).status != NoticeStatus.DRAFT:
        raise Conflict(_("A published notice cannot be changed."), code="notice_published")
    name = PurePath(file.name or "attachment").name[:200]
    if PurePath(name).suffix.lower() not in ATTACHMENT_EXTENSIONS:
        raise InvalidInput.for_field(
            "file",
            _("Attach documents, spreadsheets, slides, images or zip files (%(extensions)s).")
            % {"extensions": ", ".join(sorted(ATTACHMENT_EXTENSIONS))},
        )
    if (file.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field(
            "file", _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if notice.attachments.count() >= MAX_ATTACHMENTS:
        raise InvalidInput.for_field("file", _("A notice has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
    attachment = NoticeAttachment(notice=notice, name=name, size=file.size or 0)
    attachment.file.save(name, file, save=False)
    attachment.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, detail={"attached": name})
    return attachment


@transaction.atomic
def notice_publish(*, actor: User, notice: Notice) -> int:
    """Send the notice to its audience as it stands now; returns the number of organisations."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if not access.can_manage(actor, locked):
        raise Forbidden()
    if locked.status != NoticeStatus.DRAFT:
        raise Conflict(_("This notice was already published."), code="notice_published")
    organisations = list(audience_of(locked, actor=actor))
    if not organisations:
        raise Conflict(_("No organisation matches the recipients chosen."), code="notice_no_recipients")
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = timezone.now()
    notice.save(update_fields=["status", "published_at", "updated_at"])
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, organisation=o) for o in organisations], batch_size=500
    )
    ids = [o.pk for o in organisations]
    readers = User.objects.filter(
        is_active=True,
        role__in=[Role.ORGANISATION_ADMIN, Role.COMMUNITY_WORKER],
        organisation_id__in=ids,
    )
    notify(
        recipients=readers,
        kind=NotificationKind.NOTICE,
        title=gettext_lazy("Notice: %(title)s"),
        body=gettext_lazy("From %(sender)s. Open it to read the full text and attachments."),
        params={"title": notice.title, "sender": notice.department.name if notice.department else actor.display_name},
        link=f"/notices/{notice.pk}/",
        source=notice,
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, detail={"published_to": len(ids)})
    return len(ids)


@transaction.atomic
def notice_mark_read(*, actor: User, notice: Notice) -> int:
    """Record that the actor read the notice for the organisations they represent (first reading
    only: later readings by others of the same organisation change nothing)."""
    represented = Organisation.objects.filter(access.represented_q(actor)).values("pk")
    now = timezone.now()
    NoticeReader.objects.filter(
        notice=notice, notice__status=NoticeStatus.PUBLISHED, user=actor, read_at__isnull=True
    ).update(read_at=now)
    return NoticeRecipient.objects.filter(
        notice=notice, notice__status=NoticeStatus.PUBLISHED, organisation__in=represented, read_at__isnull=True
    ).update(read_at=now, read_by=actor)


@transaction.atomic
def notice_send_to_people(*, actor: User, title: str, body: str, people: Iterable[User]) -> Notice:
    """Publish a notice to named people rather than organisations (the minutes of a meeting to
    those who attended): each person's first reading is recorded."""
    if not access.can_author(actor):
        raise Forbidden(_("Only officers and the commander publish notices."))
    readers = {user.pk: user for user in people if user.is_active}
    if not readers:
        raise Conflict(_("Nobody to send the notice to."), code="notice_no_recipients")
    clean_body = sanitise(body)
    if is_empty(clean_body):
        raise InvalidInput.for_field("body", _("Write the notice."))
    notice = Notice(
        title=(title or "").strip(),
        body=clean_body,
        author=actor,
        department_id=actor.department_id,
        status=NoticeStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    validate_and_save(notice)
    NoticeReader.objects.bulk_create(
        [NoticeReader(notice=notice, user=user) for user in readers.values()], batch_size=500
    )
    notify(
        recipients=readers.values(),
        kind=NotificationKind.NOTICE,
        title=gettext_lazy("Notice: %(title)s"),
        body=gettext_lazy("From %(sender)s. Open it to read the full text and attachments."),
        params={"title": notice.title, "sender": notice.department.name if notice.department else actor.display_name},
        link=f"/notices/{notice.pk}/",
        source=notice,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notice, detail={"sent_to_people": len(readers)})
    return notice
