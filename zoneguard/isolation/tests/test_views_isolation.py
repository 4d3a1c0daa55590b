"""The pages: the worker's list and case, and the resident's own page behind their personal link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import InvalidInput
from zoneguard.isolation import services
from zoneguard.isolation.models import CaseStatus, FollowUp, IsolationCase
from zoneguard.testing import make_person, valid_id_number


def _case(zone, name="王芳", days_ago=0, **kwargs):
    person = make_person(name=name, phone="13912345678", organisation=zone.community)
    return services.case_open(
        actor=zone.community_worker,
        person=person,
        community=zone.community,
        reason="close_contact",
        address="青峰小区3栋",
        start_date=timezone.localdate() - timedelta(days=days_ago),
        **kwargs,
    )


def _link(case):
    return f"/isolation/r/{services.resident_token(case)}/"


def test_the_worker_opens_a_case_and_sees_the_missed_days_first(zone, client_for):
    client = client_for("community_worker")
    data = {
        "name": "李四",
        "id_number": valid_id_number(),
        "phone": "13700000001",
        "community": zone.community.pk,
        "address": "祥光小区1栋",
        "reason": "risk_area",
    }
    response = client.post("/isolation/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    case = IsolationCase.objects.get()
    assert response["Location"] == f"/isolation/cases/{case.pk}/"
    late = _case(zone, "迟到", days_ago=3)
    page = client.get("/isolation/").content.decode()
    assert page.index("迟*") < page.index("李*")
    detail = client.get(f"/isolation/cases/{late.pk}/")
    assert late.person.id_number in detail.content.decode()  # the worker calls and visits: shown in full
    assert AuditEvent.objects.filter(action="read_personal", object_id=str(late.person.pk)).exists()


def test_a_bad_form_changes_nothing(zone, client_for):
    response = client_for("community_worker").post(
        "/isolation/new/", {"name": "李四", "id_number": "123", "community": zone.community.pk, "reason": "other"}
    )
    assert response.status_code == 200
    assert "身份证" in response.content.decode()
    assert not IsolationCase.objects.exists()


def test_a_refused_reading_comes_back_to_the_case_with_what_was_typed(zone, client_for):
    case = _case(zone, days_ago=3)
    client = client_for("community_worker")
    data = {"temperature": "50", "symptoms": ["cough"], "note": "电话随访，本人称不适"}
    page = client.post(f"/isolation/cases/{case.pk}/follow-up/", data, follow=True)
    assert not FollowUp.objects.exists()
    form = page.context["follow_up_form"]
    assert list(form.errors) == ["temperature"]
    assert (form["temperature"].value(), form["symptoms"].value(), form["note"].value()) == (
        "50",
        ["cough"],
        "电话随访，本人称不适",
    )
    assert "体温（°C）：" in page.content.decode()


def test_the_worker_records_a_reading_and_releases_on_the_end_date(zone, client_for):
    case = _case(zone, days_ago=13)
    client = client_for("community_worker")
    client.post(f"/isolation/cases/{case.pk}/follow-up/", {"temperature": "36.4", "symptoms": ["cough"]})
    assert FollowUp.objects.get().recorded_by == zone.community_worker
    assert "<td>咳嗽</td>" in client.get(f"/isolation/cases/{case.pk}/").content.decode()  # not the code
    client.post(f"/isolation/cases/{case.pk}/release/", {"note": "期满"})
    case.refresh_from_db()
    assert case.status == CaseStatus.RELEASED


def test_the_resident_records_a_reading_through_their_link_and_downloads_the_notice(zone):
    case = _case(zone, days_ago=13)
    phone = Client()
    page = phone.get(_link(case))
    assert page.status_code == 200
    assert "王*" in page.content.decode() and "13912345678" not in page.content.decode()
    assert phone.post(_link(case), {"temperature": "36.6", "symptoms": ["cough"]}).status_code == 302
    reading = FollowUp.objects.get()
    assert (reading.by_resident, reading.recorded_by, reading.symptoms) == (True, None, ["cough"])
    assert phone.get(_link(case) + "release-notice.pdf").status_code == 404  # not released yet
    services.case_release(actor=zone.community_worker, case=case)
    notice = phone.get(_link(case) + "release-notice.pdf")
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")


def test_a_link_opens_its_own_case_only_and_stops_when_renewed_or_expired(zone, client_for):
    mine, other = _case(zone), _case(zone, "邻居")
    token = services.resident_token(mine)
    assert Client().get(f"/isolation/r/{token}x/").status_code == 404
    assert "邻*" not in Client().get(_link(mine)).content.decode()
    client_for("community_worker").post(f"/isolation/cases/{mine.pk}/link/")
    assert Client().get(f"/isolation/r/{token}/").status_code == 404
    mine.refresh_from_db()
    assert Client().get(_link(mine)).status_code == 200
    services.case_transfer(actor=zone.community_worker, case=other, note="转院")
    other.refresh_from_db()
    other.closed_at = timezone.now() - timedelta(days=services.LINK_GRACE_DAYS + 1)
    other.save(update_fields=["closed_at"])
    expired = Client().get(_link(other))
    assert expired.status_code == 403
    assert "过期" in expired.content.decode()


def test_the_resident_link_is_rate_limited(zone, settings):
    settings.RATE_LIMIT_RESIDENT_LINK_PER_ADDRESS = 2
    link = _link(_case(zone))
    assert [Client().get(link).status_code for _ in range(3)] == [200, 200, 429]


def test_outsiders_get_no_page(zone, client_for):
    case = _case(zone)
    for username in ("admin_a", "gate_a", "volunteer", "officer_a"):
        client = client_for(username)
        assert client.get("/isolation/").status_code == 403
        assert client.get(f"/isolation/cases/{case.pk}/").status_code in {403, 404}
        assert client.post(f"/isolation/cases/{case.pk}/release/", {}).status_code in {403, 404}
    assert Client().get("/isolation/").status_code == 302


def test_only_the_commander_changes_the_isolation_periods_on_their_page(zone, client_for):
    from zoneguard.isolation.models import ReasonRule

    services.reason_rule_save(actor=zone.commander, reason="close_contact", days=14, readings_per_day=2)
    change = {"reason": "close_contact", "days": "3", "readings_per_day": "1"}
    for username in ("admin_a", "gate_a", "volunteer", "officer_a"):
        client = client_for(username)
        assert client.get("/isolation/rules/").status_code == 403
        assert client.post("/isolation/rules/", change).status_code == 403
    assert Client().post("/isolation/rules/", change).status_code == 302
    # The community worker follows cases and reads the periods, but may not change them.
    worker = client_for("community_worker")
    assert worker.get("/isolation/rules/").status_code == 200
    worker.post("/isolation/rules/", change)
    rule = ReasonRule.objects.get(reason="close_contact")
    assert (rule.days, rule.readings_per_day) == (14, 2)
    client_for("commander").post("/isolation/rules/", change)
    rule.refresh_from_db()
    assert (rule.days, rule.readings_per_day) == (3, 1)


def test_from_an_incident_one_click_opens_a_case_for_its_person(zone, client_for):
    from zoneguard.incidents.services import incident_report

    person = zone.staff_a[0]
    incident = incident_report(
        actor=zone.commander, kind="fever", title="发热", organisation=zone.enterprise_a, person=person
    )
    client = client_for("commander")
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f"/isolation/new/?person={person.pk}&amp;source=alert" in page
    form = client.get(f"/isolation/new/?person={person.pk}&source=alert").content.decode()
    assert person.id_number not in form  # shown masked
    response = client.post(
        "/isolation/new/",
        {"person": person.pk, "source": "alert", "community": zone.community.pk, "reason": "fever"},
    )
    assert response.status_code == 302, response.context["form"].errors
    case = IsolationCase.objects.get()
    assert (case.person, case.source, case.reason) == (person, "alert", "fever")
    # Those who follow no cases see no such button.
    assert "/isolation/new/" not in client_for("officer_a").get(f"/incidents/{incident.pk}/").content.decode()


def test_the_worker_s_home_page_counts_missed_follow_ups_and_cases_to_release(zone, client_for):
    _case(zone, days_ago=13)
    page = client_for("community_worker").get("/").content.decode()
    assert "漏报" in page or "Missed" in page
    assert "待解除" in page


def test_a_mistyped_follow_up_phone_is_refused_and_comes_back_with_what_was_typed(zone, client_for):
    case = _case(zone)
    client = client_for("community_worker")
    data = {"community": zone.community.pk, "worker": "", "address": "青峰小区5栋", "phone": "12ab"}
    page = client.post(f"/isolation/cases/{case.pk}/assign/", data, follow=True)
    case.refresh_from_db()
    assert (case.address, case.phone) == ("青峰小区3栋", "")  # nothing changed
    form = page.context["assign_form"]
    assert list(form.errors) == ["phone"]
    assert (form["address"].value(), form["phone"].value()) == ("青峰小区5栋", "12ab")


def test_the_follow_up_phone_is_a_mobile_or_a_landline(zone):
    case = _case(zone)
    case = services.case_assign(
        actor=zone.community_worker,
        case=case,
        community=zone.community,
        worker=None,
        address="",
        phone="+86 139 1234 5679",
    )
    assert case.phone == "13912345679"
    case = services.case_assign(
        actor=zone.community_worker, case=case, community=zone.community, worker=None, address="", phone="0734-8888888"
    )
    assert case.phone == "0734-8888888"
    person = make_person(name="赵六", organisation=zone.community)
    with pytest.raises(InvalidInput) as refused:
        services.case_open(
            actor=zone.community_worker, person=person, community=zone.community, reason="other", phone="123"
        )
    assert refused.value.errors == {"phone": [refused.value.message]}
    assert not IsolationCase.objects.filter(person=person).exists()


def test_a_case_opened_by_id_number_shows_what_the_worker_typed_not_anothers_record(zone, api_for, client_for):
    import json

    from zoneguard.testing import make_person

    # Someone the worker does not see at all: staff of the building project, recorded by it.
    stranger = make_person(name="赵真名", phone="13711112222", organisation=zone.project)
    worker = api_for("community_worker")
    assert worker.get(f"/api/v1/people/{stranger.pk}").status_code == 404
    opened = worker.post(
        "/api/v1/isolation/cases",
        data=json.dumps({"name": "赵某", "id_number": stranger.id_number, "reason": "other"}),
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    html = client_for("community_worker").get(f"/isolation/cases/{opened.json()['id']}/").content.decode()
    assert "赵真名" not in html and "13711112222" not in html
    assert "赵某" in html
    # Nor on the list of cases.
    assert "赵真名" not in client_for("community_worker").get("/isolation/").content.decode()
