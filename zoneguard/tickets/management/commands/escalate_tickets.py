from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.tickets.services import escalate_due


class Command(BaseCommand):
    help = (
        "Tell the department head of every enterprise request past its time limit, and the commander at twice "
        "the limit, each once. Idempotent: run it every few minutes from cron or a timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sent {escalate_due()} escalation notices")
