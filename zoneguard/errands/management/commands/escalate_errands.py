from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.errands.services import escalate_due


class Command(BaseCommand):
    help = (
        "Send to the community worker every errand no volunteer took within the hour. Idempotent: "
        "run it every few minutes from cron or a timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"escalated {escalate_due()} errands")
