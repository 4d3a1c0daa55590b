"""The entry log kept only while its purpose lasts (core.retention)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from zoneguard.audit.services import audit_purged
from zoneguard.core.retention import delete_in_chunks

from ..models import AlertStatus, CheckIn, FeverAlert
from .day_counts import purged_before


def purge_entries(before: datetime, dry_run: bool) -> int:
    """Entries before `before`, with what hangs on them: their tracing presences, their fever
    alerts once closed, and those alerts' re-tests. An entry whose fever alert is still open stays
    until an officer closes it. The day counts made of them stay."""
    if not dry_run:
        purged_before(timezone.localdate(before))
    still_open = FeverAlert.objects.exclude(status=AlertStatus.CLOSED).values("checkin_id")
    old = CheckIn.objects.filter(checked_at__lt=before).exclude(pk__in=still_open)
    removed = delete_in_chunks(old, dry_run=dry_run)
    if not dry_run:
        audit_purged(model=CheckIn, before=before, records=removed)
    return removed
