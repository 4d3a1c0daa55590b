"""Each membership keeps the organisation's own record of the person (name, phone), and each person
the organisation that registered them. Existing memberships start with the registry's data, which
their organisations saw until now; a person's first membership is taken as the registering one."""

import django.db.models.deletion
from django.db import migrations, models

import zoneguard.registry.validators


def copy_registry_data(apps, schema_editor):
    Membership = apps.get_model("registry", "Membership")
    Person = apps.get_model("registry", "Person")
    first_organisation: dict[int, int] = {}
    batch = []
    for membership in Membership.objects.select_related("person").order_by("id").iterator(chunk_size=2000):
        membership.name = membership.person.name
        membership.phone = membership.person.phone
        batch.append(membership)
        first_organisation.setdefault(membership.person_id, membership.organisation_id)
        if len(batch) >= 2000:
            Membership.objects.bulk_update(batch, ["name", "phone"], batch_size=500)
            batch = []
    Membership.objects.bulk_update(batch, ["name", "phone"], batch_size=500)
    people = []
    for person_id, organisation_id in first_organisation.items():
        people.append(Person(pk=person_id, registered_by_id=organisation_id))
        if len(people) >= 2000:
            Person.objects.bulk_update(people, ["registered_by"], batch_size=500)
            people = []
    Person.objects.bulk_update(people, ["registered_by"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_pinyin_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="name",
            field=models.CharField(
                default="",
                max_length=50,
                validators=[zoneguard.registry.validators.validate_name],
                verbose_name="name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="phone",
            field=models.CharField(
                blank=True,
                max_length=11,
                validators=[zoneguard.registry.validators.validate_mobile],
                verbose_name="mobile phone",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="registered_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="registry.organisation",
                verbose_name="registered by",
            ),
        ),
        migrations.RunPython(copy_registry_data, migrations.RunPython.noop),
    ]
