from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zoneguard.core.errors import ApplicationError
from zoneguard.tracing.imports import COLUMNS, CheckinImportRefused, checkins_import


class Command(BaseCommand):
    help = (
        f"Import another gate system's entry log (CSV with the header {','.join(COLUMNS)}; times with "
        "their UTC offset) into the entry log, registering the people it names, and fold it into the "
        "presences. A file with any bad row imports nothing. Importing a file again adds nothing. "
        "The entries are written in one transaction: on SQLite the gates cannot record meanwhile, and "
        "give up after the database's busy timeout, so import large files while the gates are quiet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8).")
        parser.add_argument(
            "--show-errors", type=int, default=100, help="How many bad rows to list at most (default 100)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = checkins_import(options["file"])
        except OSError as error:
            raise CommandError(str(error)) from error
        except CheckinImportRefused as error:
            shown = error.rows[: max(options["show_errors"], 0)]
            for row in shown:
                self.stderr.write(str(row))
            if error.total > len(shown):
                self.stderr.write("...")  # the message below says how many there are
            raise CommandError(error.message) from error
        except ApplicationError as error:
            raise CommandError(error.message) from error
        seconds = result.seconds
        self.stdout.write(
            f"rows read {result.rows}, entries added {result.added}, repeats skipped {result.repeats}, "
            f"people created {result.people_created}"
        )
        self.stdout.write(
            f"{result.total_seconds:.1f} s ({result.rows_per_second:,.0f} rows/s): "
            f"check {seconds['check']:.1f} s, write {seconds['write']:.1f} s, "
            f"presences ({result.fold}, {result.folded}) {seconds['fold']:.1f} s"
        )
