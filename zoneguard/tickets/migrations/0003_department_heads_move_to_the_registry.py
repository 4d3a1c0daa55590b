from django.db import migrations


def heads_to_departments(apps, schema_editor):
    """The head set on a department's desk becomes the department's own head."""
    Desk = apps.get_model("tickets", "Desk")
    Department = apps.get_model("registry", "Department")
    for desk in Desk.objects.filter(head__isnull=False).iterator():
        Department.objects.filter(pk=desk.department_id, head__isnull=True).update(head_id=desk.head_id)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_ticket_withdrawal_and_filing_key"),
        ("registry", "0006_department_head"),
    ]

    operations = [
        migrations.RunPython(heads_to_departments, migrations.RunPython.noop),
        migrations.DeleteModel(name="Desk"),
    ]
