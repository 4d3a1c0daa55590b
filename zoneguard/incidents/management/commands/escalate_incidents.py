from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.incidents.services import escalate_due


class Command(BaseCommand):
    help = (
        "Escalate to the commanders the incidents nobody acknowledged within "
        "ZONEGUARD_INCIDENT_ESCALATION_MINUTES. Idempotent: run it every few minutes from cron or a timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"escalated {escalate_due()} incidents")
