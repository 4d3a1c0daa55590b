"""A risk's raised_on: the day it came up, its due date counted from it. Risks recorded before
are taken as raised the day they were recorded (in the zone's time), or on their due date when it
came first, so that every existing row meets the new constraint."""

import django.utils.timezone
from django.db import migrations, models

import zoneguard.core.models


def fill_raised_on(apps, schema_editor):
    Risk = apps.get_model("dispatch", "Risk")
    for risk in Risk.objects.filter(raised_on__isnull=True).only("pk", "created_at", "due_on"):
        recorded = django.utils.timezone.localdate(risk.created_at)
        Risk.objects.filter(pk=risk.pk).update(raised_on=min(recorded, risk.due_on))


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0002_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="risk",
            name="raised_on",
            field=zoneguard.core.models.BoundedDateField(null=True, verbose_name="raised on"),
        ),
        migrations.RunPython(fill_raised_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="risk",
            name="raised_on",
            field=zoneguard.core.models.BoundedDateField(
                default=django.utils.timezone.localdate, verbose_name="raised on"
            ),
        ),
        migrations.AddConstraint(
            model_name="risk",
            constraint=models.CheckConstraint(
                condition=models.Q(("due_on__gte", models.F("raised_on"))),
                name="risk_due_after_raised",
                violation_error_message="The due date cannot be before the day the risk was raised.",
            ),
        ),
    ]
