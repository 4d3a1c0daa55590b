from typing import Any

from django.core.management.base import BaseCommand

from zoneguard.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Send e-mails and group-chat robot messages that are due, retrying earlier failures. Run every minute."

    def handle(self, *args: Any, **options: Any) -> None:
        attempted = deliver_due()
        self.stdout.write(f"attempted {attempted} deliveries")
