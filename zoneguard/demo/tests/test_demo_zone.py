import io

from django.core.management import call_command
from django.test import Client

from zoneguard.accounts.models import User
from zoneguard.demo.builder import load_demo_zone
from zoneguard.registry.models import Department, Membership, Organisation, Person, Site
from zoneguard.registry.validators import validate_credit_code, validate_id_number, validate_mobile


def counts():
    return tuple(m.objects.count() for m in (Department, Organisation, Site, Person, Membership, User))


def test_it_loads_the_story_s_zone(db):
    zone = load_demo_zone(password="demo-password-1")
    assert {d.name for d in Department.objects.all()} == {
        "经发局",
        "建设局",
        "招商局",
        "规划局",
        "征收办",
        "财政局",
        "税务局",
        "社会事务局",
    }
    jinhua = Organisation.objects.get(name="湖南金化科技集团有限公司")
    assert jinhua.total_staff >= 130
    assert Membership.objects.filter(organisation=jinhua).count() == jinhua.total_staff
    projects = Organisation.objects.filter(kind="building_project")
    assert {
        "新兴金融中心",
        "雁鸣溪学校",
        "高新现代城",
        "虚拟大学城",
        "创新中心",
        "总部基地",
        "杉杉奥特莱斯广场",
    } == set(projects.values_list("name", flat=True))
    assert {"高鑫农贸市场", "君昇市场", "三泰市场"} <= set(
        Organisation.objects.filter(kind="market").values_list("name", flat=True)
    )
    assert Site.objects.get(organisation__name="高鑫农贸市场").default_dwell_minutes == 60
    assert set(zone.users) == {
        "commander",
        "officer",
        "taxofficer",
        "tracer",
        "jinhua",
        "hongkun",
        "gate",
        "community",
        "qingfeng",
        "volunteer",
        "courier",
    }


def test_its_synthetic_identifiers_are_valid(db):
    load_demo_zone(password="demo-password-1")
    assert Person.objects.count() > 500 and Organisation.objects.exclude(credit_code=None).count() > 20
    for person in Person.objects.all():
        validate_id_number(person.id_number)
        validate_mobile(person.phone)
    for code in Organisation.objects.exclude(credit_code=None).values_list("credit_code", flat=True):
        validate_credit_code(code)


def test_it_loads_twice_without_changes(db):
    load_demo_zone(password="demo-password-1")
    first = counts()
    call_command("load_demo_zone", "--password", "demo-password-2", stdout=io.StringIO())
    assert counts() == first


def test_its_users_sign_in_with_the_given_password_and_see_their_scope(db):
    load_demo_zone(password="demo-password-1")
    client = Client()
    assert client.post("/accounts/login/", {"username": "jinhua", "password": "demo-password-1"}).status_code == 302
    page = client.get("/registry/organisations/").content.decode()
    assert "湖南金化科技集团有限公司" in page
    assert "湖南泓坤医疗器械有限公司" not in page
    officer = User.objects.get(username="officer")
    assert officer.department.name == "经发局"
    assert User.objects.get(username="gate").organisation.name == "湖南金化科技集团有限公司"
