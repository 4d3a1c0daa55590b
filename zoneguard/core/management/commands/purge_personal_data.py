"""Deletes the personal data older than its keeping time (daily, from cron; core.retention)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zoneguard.core.retention import purge_cutoff, purge_personal_data, registered_purges


class Command(BaseCommand):
    help = (
        "Delete the personal data older than ZONEGUARD_PERSONAL_DATA_DAYS (gate entries, declarations, "
        "isolation readings, errands' lists, notifications, people no record needs; each kind is listed); "
        "--dry-run counts them only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted, delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        before = timezone.localtime(purge_cutoff())
        self.stdout.write(
            f"{'would delete' if dry_run else 'deleting'} what was collected before {before:%Y-%m-%d %H:%M %Z}"
            f" ({settings.PERSONAL_DATA_DAYS} days kept)"
        )
        counts = purge_personal_data(dry_run=dry_run)
        for registered in registered_purges():
            self.stdout.write(f"  {registered.kind}: {counts[registered.kind]}  ({registered.label})")
