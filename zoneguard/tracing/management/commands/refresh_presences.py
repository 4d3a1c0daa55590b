from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.tracing.services import rebuild_presences, refresh_presences


class Command(BaseCommand):
    help = (
        "Fold the entries recorded since the last run into the presences that contact tracing reads. "
        "Idempotent: run it every minute from cron or a timer, so that a trace seldom has much to fold. "
        "--rebuild recomputes every presence from the whole entry log."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Recompute every presence from the entry log.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            self.stdout.write(f"rebuilt {rebuild_presences()} presences")
        else:
            self.stdout.write(f"folded {refresh_presences()} entries")
