from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from zoneguard.demo.builder import load_demo_zone


class Command(BaseCommand):
    help = "Load (or refresh) the demo zone of the Hengyang High-tech Zone story. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for every demo user (a random one when omitted).")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        zone = load_demo_zone(password=options.get("password"))
        for line in zone.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo zone loaded. Sign in at /accounts/login/ with:"))
        for username, user in zone.users.items():
            role = user.get_role_display()
            where = user.organisation or user.department or ""
            self.stdout.write(f"  {username:<12} {zone.password}   {role} {where}")
