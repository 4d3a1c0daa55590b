from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.supervision.services import remind_overdue


class Command(BaseCommand):
    help = (
        "Remind the responsible person of every key-task item overdue (not reported done by the end "
        "of its day, Asia/Shanghai), and a day later tell the department's head. Idempotent: run it "
        "every hour from cron or a timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded, escalated = remind_overdue()
        self.stdout.write(f"reminded {reminded} items, escalated {escalated} to department heads")
