"""Writes the exports waiting in the background (every minute, from cron) and forgets old ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.core.exports import export_run_pending


class Command(BaseCommand):
    help = "Write the large exports users asked for, and delete those past their keeping days."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"exports written: {export_run_pending()}")
