"""PostgreSQL: vacuum the entry log after every 1% of new rows instead of the default 20%.

The log is appended to and never updated, so only a vacuum marks its new pages all-visible, and
until then a count of a day's entries (the entry log page's total) reads every row of the table
as well as the index. At the default share a table of 10 million entries is vacuumed only every
2 million, so the last days of a district stay unmarked; at 1% it is every 100,000."""

from django.db import migrations

TABLE = "gates_checkin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (autovacuum_vacuum_insert_scale_factor = 0.01)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (autovacuum_vacuum_insert_scale_factor)")


class Migration(migrations.Migration):
    dependencies = [("gates", "0008_site_hour_counts")]

    operations = [migrations.RunPython(forwards, backwards)]
