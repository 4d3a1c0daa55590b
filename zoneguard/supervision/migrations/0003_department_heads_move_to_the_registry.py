from django.db import migrations


def heads_to_departments(apps, schema_editor):
    """The head named for a department's key tasks becomes the department's own head, where the
    department has none yet (requests' escalations named one first)."""
    DepartmentHead = apps.get_model("supervision", "DepartmentHead")
    Department = apps.get_model("registry", "Department")
    for head in DepartmentHead.objects.iterator():
        Department.objects.filter(pk=head.department_id, head__isnull=True).update(head_id=head.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_agenda_item_project"),
        ("registry", "0006_department_head"),
        ("tickets", "0003_department_heads_move_to_the_registry"),
    ]

    operations = [
        migrations.RunPython(heads_to_departments, migrations.RunPython.noop),
        migrations.DeleteModel(name="DepartmentHead"),
    ]
