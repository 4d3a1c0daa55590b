"""Registry pages: lists with search and filters, forms with field errors in the user's language."""

import io

from openpyxl import load_workbook

from zoneguard.registry.models import Membership, Organisation, Site
from zoneguard.testing import response_bytes, valid_credit_code, valid_id_number


def test_it_searches_and_filters_the_organisation_list(zone, client_for):
    client = client_for("commander")
    page = client.get("/registry/organisations/", {"q": "企业乙"}).content.decode()
    assert "企业乙" in page and "企业甲" not in page
    page = client.get("/registry/organisations/", {"kind": "market"}).content.decode()
    assert "市场丁" in page and "企业乙" not in page
    page = client.get("/registry/organisations/", {"sector": zone.sector_construction.pk}).content.decode()
    assert "项目丙" in page and "企业甲" not in page


def test_it_pages_long_lists(zone, client_for, settings):
    settings.PAGE_SIZE = 2
    page = client_for("commander").get("/registry/organisations/").content.decode()
    assert "第 1 页，共 3 页（共 5 条）" in page


def test_it_exports_the_organisation_list_as_filtered(zone, client_for):
    response = client_for("commander").get("/registry/organisations/", {"kind": "enterprise", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    assert sorted(rows) == ["企业乙", "企业甲"]
    assert rows["企业甲"][7].value == "138****8000"


def test_it_shows_field_errors_in_chinese_and_saves_nothing(zone, client_for):
    response = client_for("commander").post(
        "/registry/organisations/new/",
        {
            "name": "错误公司",
            "kind": "enterprise",
            "credit_code": "91350100M000100Y44",
            "total_staff": "3",
            "contact_phone": "12",
            "is_active": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码校验码错误。" in page
    assert "请输入手机号或带区号的固定电话" in page
    assert not Organisation.objects.filter(name="错误公司").exists()


def test_it_shows_field_errors_in_english_when_chosen(zone, client_for):
    client = client_for("commander", language="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.post(
        "/registry/organisations/new/",
        {
            "name": "Bad",
            "kind": "enterprise",
            "credit_code": "91350100M000100Y44",
            "total_staff": "3",
        },
    ).content.decode()
    assert "The check character of the unified social credit code is wrong." in page


def test_it_registers_and_edits_an_organisation(zone, client_for):
    client = client_for("officer_a")
    response = client.post(
        "/registry/organisations/new/",
        {
            "name": "新公司",
            "kind": "enterprise",
            "sector": zone.sector_manufacturing.pk,
            "credit_code": valid_credit_code(55),
            "total_staff": "12",
            "community": zone.community.pk,
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(name="新公司")
    assert response.status_code == 302
    response = client.post(
        f"/registry/organisations/{organisation.pk}/edit/",
        {
            "name": "新公司",
            "kind": "enterprise",
            "sector": zone.sector_manufacturing.pk,
            "total_staff": "15",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.total_staff == 15
    assert organisation.credit_code is None


def test_it_adds_sites_and_members_from_the_organisation_page(zone, client_for):
    client = client_for("admin_a")
    assert (
        client.post(
            f"/registry/organisations/{zone.enterprise_a.pk}/sites/new/",
            {
                "name": "侧门",
                "kind": "gate",
                "default_dwell_minutes": "480",
                "is_active": "on",
            },
        ).status_code
        == 302
    )
    assert Site.objects.filter(organisation=zone.enterprise_a, name="侧门").exists()
    number = valid_id_number()
    assert (
        client.post(
            f"/registry/organisations/{zone.enterprise_a.pk}/members/new/",
            {
                "name": "新员工",
                "id_number": number,
                "phone": "13811112222",
                "position": "保安",
            },
        ).status_code
        == 302
    )
    assert Membership.objects.get(person__id_number=number).organisation == zone.enterprise_a


def test_it_rotates_a_site_code(zone, client_for):
    old = zone.site_a.code
    client_for("admin_a").post(f"/registry/sites/{zone.site_a.pk}/rotate-code/")
    zone.site_a.refresh_from_db()
    assert zone.site_a.code != old


def test_it_keeps_the_gate_officer_from_editing(zone, client_for):
    client = client_for("gate_a")
    assert client.get(f"/registry/organisations/{zone.enterprise_a.pk}/").status_code == 200
    assert client.get(f"/registry/organisations/{zone.enterprise_a.pk}/edit/").status_code == 403
    assert client.post(f"/registry/sites/{zone.site_a.pk}/rotate-code/").status_code == 302
    old_code = Site.objects.get(pk=zone.site_a.pk).code
    assert old_code == zone.site_a.code


def test_it_searches_people_by_whole_id_number(zone, client_for):
    person = zone.staff_a[1]
    page = client_for("admin_a").get("/registry/people/", {"q": person.id_number.lower()}).content.decode()
    assert person.name in page
    assert zone.staff_a[0].name not in page


def test_it_asks_before_a_new_code_stops_the_printed_posters(zone, client_for):
    """The organisation page's "New QR code" changed the code on one click, sitting beside
    "Edit": every printed poster of the site stopped working without a word of warning."""
    client = client_for("admin_a")
    old = zone.site_a.code
    page = client.get(f"/registry/organisations/{zone.enterprise_a.pk}/").content.decode()
    assert f'<a href="/registry/sites/{zone.site_a.pk}/rotate-code/">' in page
    confirm = client.get(f"/registry/sites/{zone.site_a.pk}/rotate-code/")
    assert confirm.status_code == 200
    assert "立即失效" in confirm.content.decode()
    zone.site_a.refresh_from_db()
    assert zone.site_a.code == old
    assert client.post(f"/registry/sites/{zone.site_a.pk}/rotate-code/").status_code == 302
    zone.site_a.refresh_from_db()
    assert zone.site_a.code != old
    # Those who cannot change it are not offered the question, nor are outsiders.
    assert client_for("gate_a").get(f"/registry/sites/{zone.site_a.pk}/rotate-code/").status_code == 404
    assert client_for("admin_b").get(f"/registry/sites/{zone.site_a.pk}/rotate-code/").status_code == 404
