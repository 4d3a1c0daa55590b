"""The incident pages: report, acknowledge, act, close; outsiders get 404."""

from django.utils import timezone

from zoneguard.incidents import services
from zoneguard.incidents.models import Incident


def test_a_volunteer_reports_and_the_duty_officer_handles_it(zone, client_for):
    volunteer = client_for("volunteer")
    response = volunteer.post(
        "/incidents/new/",
        {"kind": "suspected_case", "severity": "high", "title": "顾客发热", "location": "市场丁入口"},
    )
    incident = Incident.objects.get()
    assert response.url == f"/incidents/{incident.pk}/"
    assert "顾客发热" in volunteer.get("/incidents/").content.decode()
    page = volunteer.get(response.url).content.decode()
    assert "/acknowledge/" not in page
    commander = client_for("commander")
    assert "/acknowledge/" in commander.get(response.url).content.decode()
    commander.post(f"/incidents/{incident.pk}/acknowledge/")
    commander.post(f"/incidents/{incident.pk}/note/", {"note": "已通知市场管理处"})
    commander.post(f"/incidents/{incident.pk}/close/", {"resolution": "复测正常"})
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert "已通知市场管理处" in volunteer.get(response.url).content.decode()


def test_the_reporter_chooses_the_kind(zone, client_for):
    client = client_for("volunteer")
    assert client.get("/incidents/new/").context["form"]["kind"].value() is None
    refused = client.post("/incidents/new/", {"severity": "high", "title": "员工咳嗽", "location": "市场丁入口"})
    assert refused.status_code == 200 and "kind" in refused.context["form"].errors
    assert not Incident.objects.exists()


def test_the_form_asks_where(zone, client_for):
    response = client_for("volunteer").post("/incidents/new/", {"kind": "other", "severity": "low", "title": "x"})
    assert response.status_code == 200
    assert not Incident.objects.exists()


def test_outsiders_get_not_found(zone, client_for):
    incident = services.incident_report(actor=zone.admin_a, kind="other", title="x", organisation=zone.enterprise_a)
    outsider = client_for("admin_b")
    assert outsider.get(f"/incidents/{incident.pk}/").status_code == 404
    for action in ("acknowledge", "note", "close"):
        assert outsider.post(f"/incidents/{incident.pk}/{action}/", {"note": "x", "resolution": "x"}).status_code == 404
    assert "x" not in outsider.get("/incidents/").content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_the_filter_button_reads_as_a_chinese_officer_says_it(zone, client_for):
    page = client_for("commander").get("/incidents/").content.decode()
    assert ">筛选</button>" in page and "过滤器" not in page


def test_the_person_concerned_is_shown_masked_as_in_every_list(zone, client_for):
    person = zone.staff_a[0]
    incident = Incident.objects.create(
        organisation=zone.enterprise_a,
        kind="fever",
        title="门岗发热",
        person=person,
        reported_by=zone.admin_a,
        occurred_at=timezone.now(),
    )
    page = client_for("admin_a").get(f"/incidents/{incident.pk}/").content.decode()
    assert person.name not in page and person.id_number not in page
    assert f"{person.name[0]}*" in page and person.masked_id_number in page


def test_where_is_asked_with_the_other_missing_answers_not_after(zone, client_for):
    """The "say where" rule lived only in the service, so it showed up on a second submit."""
    response = client_for("volunteer").post("/incidents/new/", {"severity": "high"})
    assert response.status_code == 200
    assert {"kind", "title", "location"} <= set(response.context["form"].errors)
    assert "请说明发生地点。" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_admin_of_one_organisation_finds_it_chosen(zone, client_for):
    form = client_for("admin_b").get("/incidents/new/").context["form"]
    assert form["organisation"].value() == zone.enterprise_b.pk
    response = client_for("admin_b").post(
        "/incidents/new/",
        {"kind": "fever", "severity": "high", "title": "员工发热", "organisation": zone.enterprise_b.pk},
    )
    assert response.status_code == 302
    assert Incident.objects.get().organisation == zone.enterprise_b
