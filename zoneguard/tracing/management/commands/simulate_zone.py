from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zoneguard.tracing.simulation import SimulationRefused, simulate_zone


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date and time: {value!r}") from error
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Add a simulated city to the database: organisations and their gates, shops, markets and malls, "
        "people and their check-ins of the last days; then rebuild the tracing presences. "
        "The same seed makes the same city."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="People to register (10 to 10,000,000).")
        parser.add_argument("--sites", type=int, required=True, help="Checkpoint sites in total (1 to 100,000).")
        parser.add_argument("--days", type=int, required=True, help="Days of check-ins before --until (1 to 30).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until", type=_moment, help="End of the simulated days, ISO date and time (default: now)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = simulate_zone(
                people=options["people"],
                sites=options["sites"],
                days=options["days"],
                seed=options["seed"],
                until=options["until"],
                progress=self._progress,
            )
        except SimulationRefused as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)

    def _progress(self, text: str) -> None:
        self.stderr.write(text, style_func=str, ending="")
        self.stderr.flush()
