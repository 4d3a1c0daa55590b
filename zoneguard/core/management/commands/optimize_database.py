"""Keeps the query planner's statistics current (hourly, from cron).

SQLite plans with the statistics ANALYZE leaves in `sqlite_stat1`; without them, or with those of a
much smaller zone, it may choose the index on organisation over the one on time, or scan. Its
`PRAGMA optimize` (before 3.46) only refreshes what the same connection found worth it, so a
separate process runs ANALYZE itself, bounded by `analysis_limit` to a sample of each index, which
costs milliseconds whatever the history. PostgreSQL's autovacuum already does this: nothing to do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Refresh the database's planner statistics (SQLite; PostgreSQL's autovacuum does it itself)."

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "sqlite":
            self.stdout.write("autovacuum keeps the statistics")
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        self.stdout.write("statistics refreshed")
