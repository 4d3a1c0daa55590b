from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.tax.services import no_shows_record


class Command(BaseCommand):
    help = "Record as no-shows the tax hall bookings whose slot ended without an arrival (run hourly, or nightly)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = no_shows_record()
        self.stdout.write(f"{count} no-shows recorded")
