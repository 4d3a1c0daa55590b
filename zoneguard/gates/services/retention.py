"""What the gates keep only while its purpose lasts (core.retention)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from zoneguard.audit.services import audit_purged, purge_audited
from zoneguard.registry.models import Membership

from ..models import AlertStatus, CheckIn, FacePhoto, FeverAlert
from .day_counts import purged_before
from .faces import face_path


def purge_entries(before: datetime, dry_run: bool) -> int:
    """Entries before `before`, with what hangs on them: their tracing presences, their fever
    alerts once closed and released, and those alerts' re-tests. An entry whose fever alert is
    still open, or still holds its person at the gates, stays. The day counts made of them stay."""
    if not dry_run:
        purged_before(timezone.localdate(before))
    in_force = FeverAlert.objects.filter(~Q(status=AlertStatus.CLOSED) | Q(released_at__isnull=True))
    old = (
        CheckIn.objects.filter(checked_at__lt=before)
        .exclude(pk__in=in_force.values("checkin_id"))
        .order_by("checked_at", "id")
    )
    return purge_audited(old, before=before, dry_run=dry_run)


def purge_face_photos(before: datetime, dry_run: bool) -> int:
    """Photos enrolled before `before` for an organisation the person no longer works for (no
    active membership there or at one of its subsidiaries, or only one that ended before that
    day): no channel has them to recognise. Their files go once the deletion is committed."""
    working = Membership.objects.filter(
        Q(organisation_id=OuterRef("organisation_id")) | Q(organisation__parent_id=OuterRef("organisation_id")),
        Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate(before)),
        person_id=OuterRef("person_id"),
        is_active=True,
    )
    gone = FacePhoto.objects.filter(~Exists(working), created_at__lt=before)
    if dry_run:
        return gone.count()
    removed = 0
    while chunk := list(gone.order_by("pk")[:500]):
        paths = [face_path(photo) for photo in chunk]
        with transaction.atomic():
            FacePhoto.objects.filter(pk__in=[photo.pk for photo in chunk]).delete()
            transaction.on_commit(lambda paths=paths: _unlink(paths))  # type: ignore[misc]
        removed += len(chunk)
    audit_purged(model=FacePhoto, before=before, records=removed)
    return removed


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
