from django.conf import settings
from django.db import migrations, models


def tax_bureau_serves(apps, schema_editor):
    # The tax bureau's rules made it competent for every taxpayer, and so, until this field, the
    # authority over their incidents and applications too: it serves them from now on.
    CompetenceRule = apps.get_model("registry", "CompetenceRule")
    CompetenceRule.objects.filter(department__code=settings.TAX_DEPARTMENT_CODE).update(supervises=False)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_department_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="competencerule",
            name="supervises",
            field=models.BooleanField(
                default=True,
                help_text="Sees these organisations' epidemic records, reviews their applications and handles their incidents. Off: the department only serves them in its own module (the tax bureau).",
                verbose_name="supervises",
            ),
        ),
        migrations.RunPython(tax_bureau_serves, migrations.RunPython.noop),
    ]
