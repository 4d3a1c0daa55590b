from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.reports.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind organisations that have not filed today's daily prevention report once the deadline "
        "(ZONEGUARD_REPORT_DEADLINE) has passed. Idempotent: run it every few minutes from cron or a timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"sent {sent} reminders")
