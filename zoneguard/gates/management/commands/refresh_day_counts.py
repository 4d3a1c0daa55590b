from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.gates.services import rebuild_day_counts, refresh_day_counts


class Command(BaseCommand):
    help = (
        "Fold the entries recorded since the last run into the day counts that the gates overview and "
        "the resumption rates read. Idempotent: run it every minute from cron or a timer, so that a page "
        "seldom has much left to count. --rebuild recounts every day from the entry log."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Recount every day from the entry log.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            self.stdout.write(f"recounted {rebuild_day_counts()} days")
        else:
            self.stdout.write(f"folded {refresh_day_counts()} entries")
