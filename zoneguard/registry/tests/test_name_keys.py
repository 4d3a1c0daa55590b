"""Names sort in pinyin order through a stored key (core.models.PinyinKeyed): the key follows the
name on every path that writes one, and the lists order by it."""

from __future__ import annotations

import importlib
import io
from typing import Any

from django.apps import apps
from django.core.management import call_command

from zoneguard.core.collation import pinyin_key
from zoneguard.registry import selectors, services
from zoneguard.registry.imports import staff_import
from zoneguard.registry.models import Department, Membership, Organisation, Person, Sector, Site
from zoneguard.registry.tests.test_services_import import xlsx
from zoneguard.testing import valid_id_number


def key_of(obj: Any) -> bytes:
    obj.refresh_from_db()
    return bytes(obj.name_key)


def test_it_stores_the_key_of_every_name_created(zone: Any) -> None:
    for model in (Department, Sector, Organisation, Site, Person, Membership):
        for obj in model.objects.all():
            assert bytes(obj.name_key) == pinyin_key(obj.name), (model, obj.pk)


def test_it_keeps_the_key_in_step_when_the_service_renames_an_organisation(zone: Any) -> None:
    organisation = zone.enterprise_a
    services.organisation_update(actor=zone.users["commander"], organisation=organisation, data={"name": "阿里制造"})
    assert key_of(organisation) == pinyin_key("阿里制造")
    names = [o.name for o in selectors.organisation_list(actor=zone.users["commander"], kind="enterprise")]
    assert names[0] == "阿里制造"


def test_it_keeps_the_key_in_step_when_a_person_or_a_site_is_renamed(zone: Any) -> None:
    person = zone.staff_a[0]
    services.person_update(actor=zone.users["commander"], person=person, data={"name": "阿大"})
    assert key_of(person) == pinyin_key("阿大")
    site = zone.site_a
    services.site_update(actor=zone.users["commander"], site=site, data={"name": "北门"})
    assert key_of(site) == pinyin_key("北门")


def test_it_keeps_the_membership_key_the_list_of_an_organisation_sorts_by(zone: Any) -> None:
    person = zone.staff_a[2]
    services.person_update(actor=zone.users["admin_a"], person=person, data={"name": "阿小"})
    membership = Membership.objects.get(person=person, organisation=zone.enterprise_a)
    assert key_of(membership) == pinyin_key("阿小")
    people = list(selectors.person_list(actor=zone.users["admin_a"], organisation_id=zone.enterprise_a.pk))
    assert people[0].shown_name == "阿小"


def test_it_keeps_the_key_on_the_bulk_paths(zone: Any) -> None:
    created = Person.objects.bulk_create(
        [Person(name="张三", id_number=valid_id_number()), Person(name="阿四", id_number=valid_id_number())],
        batch_size=100,
    )
    assert [key_of(p) for p in created] == [pinyin_key("张三"), pinyin_key("阿四")]
    created[0].name = "李三"
    Person.objects.bulk_update([created[0]], ["name"], batch_size=100)
    assert key_of(created[0]) == pinyin_key("李三")
    Person.objects.filter(pk=created[1].pk).update(name="王四")
    assert key_of(created[1]) == pinyin_key("王四")
    created[1].name = "赵四"
    created[1].save(update_fields=["name"])
    assert key_of(created[1]) == pinyin_key("赵四")


def test_it_keeps_the_key_of_people_registered_by_the_staff_import(zone: Any) -> None:
    report = staff_import(
        actor=zone.admin_a, organisation=zone.enterprise_a, data=xlsx([("欧阳一", valid_id_number(), "", "")])
    )
    assert report.written
    assert bytes(Person.objects.get(name="欧阳一").name_key) == pinyin_key("欧阳一")
    assert bytes(Membership.objects.get(name="欧阳一").name_key) == pinyin_key("欧阳一")


def test_it_keeps_the_key_of_people_created_by_the_checkin_import(zone: Any, tmp_path: Any) -> None:
    id_number = valid_id_number()
    path = tmp_path / "gate_log.csv"
    path.write_text(
        "site_id,id_number,name,direction,checked_at,temperature\n"
        f"{zone.site_a.pk},{id_number},钱多多,in,2020-02-10T08:01:00+08:00,36.5\n",
        encoding="utf-8",
    )
    call_command("import_checkins", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert bytes(Person.objects.get(id_number=id_number).name_key) == pinyin_key("钱多多")


def test_the_migration_fills_the_key_of_names_stored_before_it(zone: Any) -> None:
    Person.objects.filter(pk=zone.staff_a[0].pk).update(name_key=b"")
    Organisation.objects.filter(pk=zone.enterprise_a.pk).update(name_key=b"")
    migration = importlib.import_module("zoneguard.registry.migrations.0005_name_keys")
    migration.fill_name_keys(apps, None)
    assert key_of(zone.staff_a[0]) == pinyin_key(zone.staff_a[0].name)
    assert key_of(zone.enterprise_a) == pinyin_key(zone.enterprise_a.name)


def test_the_people_list_sorts_by_the_stored_key_in_pinyin_order(zone: Any) -> None:
    for name in ("张三", "阿四", "李五"):
        services.person_register(
            actor=zone.users["commander"], name=name, id_number=valid_id_number(), organisation=zone.enterprise_a
        )
    names = [p.shown_name for p in selectors.person_list(actor=zone.users["commander"], search="")]
    picked = [n for n in names if n in {"张三", "阿四", "李五"}]
    assert picked == ["阿四", "李五", "张三"]
