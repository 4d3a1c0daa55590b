"""The tracing pages: find a case, trace, mark close contacts, release them, export; who gets in."""

from __future__ import annotations

import io
import itertools
import uuid
from datetime import timedelta
from urllib.parse import quote

from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.core.roles import Role
from zoneguard.gates.models import CheckIn, FeverAlert
from zoneguard.health.models import Restriction
from zoneguard.registry.models import Department
from zoneguard.testing import make_user, response_bytes
from zoneguard.tracing.models import TracingDuty

from .test_api_tracing import _story


def _tracer(zone):
    department = Department.objects.create(code="shiwu", name="社会事务局")
    TracingDuty.objects.create(department=department)
    user = make_user("tracer", Role.DEPARTMENT_OFFICER, department=department)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_an_officer_finds_the_case_and_sees_both_degrees(zone, client_for):
    case, coworker, assistant, friend = _story(zone)
    client = _tracer(zone)
    found = client.get("/tracing/", {"q": case.name})
    assert found.status_code == 200
    assert f"?person={case.pk}&amp;" in found.content.decode()
    # The chosen case rides along as a hidden value, with no label of its own on the form.
    assert '<label><input type="hidden"' not in found.content.decode() and ">Person<" not in found.content.decode()
    page = client.get("/tracing/", {"person": case.pk, "depth": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "密接：与病例有接触" in html and "次密接：与密接有接触" in html
    assert "与病例接触时间最长的 50 名密接所接触的人" in html  # whom the second degree follows
    degree_1 = html.split('data-testid="degree-1"')[1].split("</table>")[0]
    degree_2 = html.split('data-testid="degree-2"')[1].split("</table>")[0]
    assert f'data-person="{coworker.pk}"' in degree_1 and f'data-person="{assistant.pk}"' in degree_1
    assert f'data-person="{friend.pk}"' in degree_2
    assert 'class="timeline-bar"' in degree_1
    assert coworker.name not in html  # names are masked on the page
    assert AuditEvent.objects.filter(action="trace", object_id=str(case.pk)).count() == 1


def test_the_page_is_for_those_who_trace(zone, client_for):
    case, *_others = _story(zone)
    for user in ("gate_a", "community_worker", "officer_a", "volunteer"):
        assert client_for(user).get("/tracing/", {"person": case.pk}).status_code == 403, user
        assert client_for(user).get("/tracing/close-contacts/").status_code == 403, user
    assert Client().get("/tracing/").status_code == 302
    # Enterprise B's admin may trace, but not someone never seen at B's sites.
    friend = _others[2]
    page = client_for("admin_b").get("/tracing/", {"person": friend.pk})
    assert page.status_code == 200
    assert "未找到" in page.content.decode() or "not found" in page.content.decode().lower()
    assert not AuditEvent.objects.filter(action="trace").exists()


def test_marking_and_releasing_close_contacts_from_the_pages(zone, client_for):
    case, coworker, assistant, _friend = _story(zone)
    client = _tracer(zone)
    back = f"/tracing/?person={case.pk}"
    response = client.post("/tracing/mark/", {"case": case.pk, "people": [coworker.pk, assistant.pk], "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert set(Restriction.objects.values_list("person_id", flat=True)) == {coworker.pk, assistant.pk}
    listing = client.get("/tracing/close-contacts/").content.decode()
    assert listing.count("/release/") == 2
    restriction = Restriction.objects.get(person=coworker)
    refused = client.post(f"/tracing/close-contacts/{restriction.pk}/release/", {"note": ""}, follow=True)
    assert "此项为必填项。" in refused.content.decode()
    restriction.refresh_from_db()
    assert restriction.released_at is None
    client.post(f"/tracing/close-contacts/{restriction.pk}/release/", {"note": "观察期满"})
    restriction.refresh_from_db()
    assert restriction.released_at is not None and restriction.release_note == "观察期满"
    released = client.get("/tracing/close-contacts/?state=released").content.decode()
    assert "观察期满" in released and "tracer" in released  # the grounds, and who released
    # Nothing ticked: an error message, nothing marked; an outsider's marks are refused whole.
    client.post("/tracing/mark/", {"case": case.pk})
    assert Restriction.objects.count() == 2
    client_for("admin_b").post("/tracing/mark/", {"case": case.pk, "people": [coworker.pk]})
    assert Restriction.objects.filter(released_at=None).count() == 1


def test_handing_over_to_isolation_returns_to_the_same_trace_with_what_was_typed(zone, client_for):
    from zoneguard.isolation.models import IsolationCase

    case, coworker, _assistant, _friend = _story(zone)
    client = _tracer(zone)
    back = f"/tracing/?person={case.pk}&days=14&min_overlap_minutes=15&depth=2"
    refused = client.post("/tracing/handover/", {"case": case.pk, "note": "同车间", "next": back})
    assert refused["Location"] == back and not IsolationCase.objects.exists()
    assert client.get(back).context["mark_form"]["note"].value() == "同车间"  # not typed again
    handed = client.post("/tracing/handover/", {"case": case.pk, "people": [coworker.pk], "next": back})
    assert handed["Location"] == back
    assert IsolationCase.objects.get().person == coworker
    # Held by the isolation itself: no close-contact mark made and released on the way, and a
    # second handover keeps the one case.
    client.post("/tracing/handover/", {"case": case.pk, "people": [coworker.pk], "next": back})
    assert IsolationCase.objects.count() == 1
    assert list(Restriction.objects.values_list("kind", "released_at")) == [("home_isolation", None)]


def test_the_export_shows_names_in_full_only_to_who_may_read_them(zone, client_for):
    case, coworker, *_others = _story(zone)

    def names(client):
        response = client.get("/tracing/", {"person": case.pk, "export": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(quote(f"密切接触者-{case.pk}.xlsx"))
        sheet = load_workbook(io.BytesIO(response_bytes(response))).active
        return {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}

    assert coworker.name in names(client_for("commander"))
    tracer = _tracer(zone)
    masked = names(tracer)
    assert coworker.name not in masked and coworker.name[0] + "*" in "".join(masked)
    # The zone lets its tracing department work through the list by telephone: in full, audited.
    TracingDuty.objects.update(reads_contacts_in_full=True)
    assert coworker.name in names(tracer)
    # An organisation admin still reads in full only the people of their own organisations.
    assert coworker.name not in names(client_for("admin_b"))
    exports = AuditEvent.objects.filter(action="export", object_id=str(case.pk)).order_by("pk")
    assert [e.detail["unmasked"] > 0 for e in exports][:3] == [True, False, True]


def _fever(person, site, hours_ago: float) -> FeverAlert:
    """The alert a gate raises when `person` has a fever at `site`, `hours_ago` hours ago."""
    at = timezone.now() - timedelta(hours=hours_ago)
    checkin = CheckIn.objects.create(
        client_id=uuid.uuid4(),
        site=site,
        organisation=site.organisation,
        person=person,
        direction="in",
        temperature="38.2",
        decision="deny",
        checked_at=at,
        received_at=at,
    )
    return FeverAlert.objects.create(
        checkin=checkin, site=site, organisation=site.organisation, person=person, temperature="38.2", checked_at=at
    )


def test_a_fever_alert_leads_to_the_trace_for_those_who_trace(zone, client_for):
    person = zone.staff_a[0]
    alert = _fever(person, zone.site_a, 1)
    link = f'href="/tracing/?person={person.pk}"'
    assert link in client_for("commander").get(f"/gates/alerts/{alert.pk}/").content.decode()
    assert link not in client_for("gate_a").get(f"/gates/alerts/{alert.pk}/").content.decode()


def test_the_page_offers_the_latest_fevers_to_trace_and_an_outsider_sees_none_of_them(zone, client_for):
    _fever(zone.staff_a[0], zone.site_a, 30)
    _fever(zone.staff_a[0], zone.site_a, 2)  # the same person again: listed once
    _fever(zone.staff_b[0], zone.site_b, 5)
    _fever(zone.staff_b[1], zone.site_b, 24 * 15)  # before the fortnight

    def listed(client):
        html = client.get("/tracing/").content.decode()
        if 'data-testid="recent-fevers"' not in html:
            return []
        table = html.split('data-testid="recent-fevers"')[1].split("</table>")[0]
        return [int(part.split('"')[0]) for part in table.split('href="?person=')[1:]]

    assert listed(_tracer(zone)) == [zone.staff_a[0].pk, zone.staff_b[0].pk]  # the whole zone, newest first
    assert listed(client_for("admin_a")) == [zone.staff_a[0].pk]  # an enterprise traces its own sites
    assert listed(client_for("admin_b")) == [zone.staff_b[0].pk]
    assert client_for("gate_a").get("/tracing/").status_code == 403  # who may not trace sees nothing
    assert "乙**0" not in client_for("admin_a").get("/tracing/").content.decode()


def test_the_export_lists_the_first_degree_before_the_second(zone, client_for):
    case, *_others = _story(zone)
    response = client_for("commander").get("/tracing/", {"person": case.pk, "depth": 2, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    degrees = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert {1, 2} <= set(degrees) and degrees == sorted(degrees)


def test_a_fever_at_a_gate_is_told_to_those_who_trace_with_a_link_to_the_trace(zone, client_for):
    from zoneguard.gates.tests.conftest import post
    from zoneguard.notifications.models import Notification
    from zoneguard.testing import make_user

    department = Department.objects.create(code="shiwu", name="社会事务局")
    TracingDuty.objects.create(department=department)
    tracer = make_user("tracer", Role.DEPARTMENT_OFFICER, department=department)
    bystander = zone.officer_a  # an officer of a department without tracing duty
    person = zone.staff_a[0]
    gate = client_for("admin_a")
    answer = post(
        gate,
        "/api/v1/checkins",
        {
            "client_id": str(uuid.uuid4()),
            "site_id": zone.site_a.pk,
            "id_number": person.id_number,
            "temperature": 38.4,
            "checked_at": timezone.now().isoformat(),
            "direction": "in",
        },
    ).json()
    assert answer["decision"] == "deny"
    [told] = Notification.objects.filter(recipient=tracer)
    assert told.link == f"/tracing/?person={person.pk}" and told.kind == "alert"
    assert person.name not in told.title and person.name[0] in told.title
    assert not Notification.objects.filter(recipient=bystander).exists()


def test_the_tracer_s_home_shows_fevers_to_trace_and_close_contacts(zone, client_for):
    case, coworker, *_others = _story(zone)
    tracer = _tracer(zone)
    home = tracer.get("/").content.decode()
    assert "待流调的发热人员" not in home and 'href="/tracing/close-contacts/"' in home
    checkin = CheckIn.objects.filter(person=case).first()
    FeverAlert.objects.create(
        checkin=checkin, site=zone.site_a, organisation=zone.enterprise_a, person=case, temperature="38.3",
        checked_at=timezone.now() - timedelta(hours=2),
    )  # fmt: skip
    tracer.post("/tracing/mark/", {"case": case.pk, "people": [coworker.pk]})
    home = tracer.get("/").content.decode()
    assert "待流调的发热人员" in home and 'href="/tracing/"' in home
    # An officer who does not trace sees neither.
    other = client_for("officer_b").get("/").content.decode()
    assert "待流调的发热人员" not in other and "/tracing/close-contacts/" not in other


def test_the_timeline_is_read_against_the_days_of_the_window(zone, client_for):
    case, *_others = _story(zone)
    response = client_for("commander").get("/tracing/", {"person": case.pk, "days": 7})
    ticks = [float(x) for x in response.context["timeline_ticks"]]
    # One mark at each zone midnight of the seven days, in order, on the line.
    assert len(ticks) in (6, 7) and ticks == sorted(ticks) and ticks[0] > 0 and ticks[-1] < 1000
    assert all(abs((b - a) - 1000 / 7) < 0.2 for a, b in itertools.pairwise(ticks))
    page = response.content.decode()
    since = timezone.localtime(timezone.now() - timedelta(days=7))
    assert f"{since:%m-%d} – {timezone.localdate():%m-%d}" in page
    assert 'class="timeline-tick"' in page
