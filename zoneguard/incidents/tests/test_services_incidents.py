"""Incidents: reported by anyone, the duty officers told at once, escalated once to the commanders
when nobody acknowledges them in time; a fever at a gate opens one automatically."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.events import fever_detected
from zoneguard.incidents import services
from zoneguard.incidents.models import Incident, IncidentEvent
from zoneguard.notifications.models import Notification
from zoneguard.registry.services import person_merge
from zoneguard.testing import make_person


def report(zone, actor=None, **overrides):
    data = {
        "kind": "suspected_case",
        "title": "员工发热咳嗽",
        "organisation": zone.enterprise_a,
        "people_involved": "车间员工一名",
    }
    data.update(overrides)
    return services.incident_report(actor=actor or zone.admin_a, **data)


def test_anyone_with_an_account_reports_and_the_duty_officers_hear_at_once(zone):
    incident = report(
        zone, actor=zone.volunteer, organisation=None, location="市场丁入口", title="顾客晕倒", kind="other"
    )
    assert incident.status == "open"
    recipients = set(Notification.objects.filter(kind="incident").values_list("recipient__username", flat=True))
    assert recipients == {"commander"}  # the duty officer
    # A volunteer names no organisation: none is in their scope.
    with pytest.raises(InvalidInput):
        report(zone, actor=zone.volunteer, organisation=zone.market, title="顾客晕倒", kind="other")
    assert [e.action for e in IncidentEvent.objects.filter(incident=incident)] == ["reported"]
    report(zone)
    assert Notification.objects.filter(kind="incident", recipient=zone.admin_a).count() == 1


def test_it_needs_a_place(zone):
    with pytest.raises(InvalidInput):
        report(zone, organisation=None, location=" ")
    incident = report(zone, actor=zone.volunteer, organisation=None, location="长湖街路口")
    assert incident.location == "长湖街路口"
    with pytest.raises(InvalidInput):
        report(zone, organisation=zone.enterprise_b, site=zone.site_a)


def test_acknowledge_act_close_with_a_timeline(zone):
    incident = report(zone)
    with pytest.raises(Forbidden):
        services.incident_acknowledge(actor=zone.admin_a, incident=incident)
    with pytest.raises(Forbidden):
        services.incident_acknowledge(actor=zone.officer_b, incident=incident)  # not competent for enterprises
    services.incident_acknowledge(actor=zone.officer_a, incident=incident)
    with pytest.raises(Conflict):
        services.incident_acknowledge(actor=zone.commander, incident=incident)
    services.incident_note(actor=zone.admin_a, incident=incident, note="已隔离，送医院发热门诊")
    with pytest.raises(InvalidInput):
        services.incident_close(actor=zone.commander, incident=incident, resolution="")
    services.incident_close(actor=zone.commander, incident=incident, resolution="排除新冠")
    incident.refresh_from_db()
    assert incident.status == "closed"
    timeline = list(IncidentEvent.objects.filter(incident=incident).values_list("action", "actor_name", "note"))
    assert timeline == [
        ("reported", "admin_a", ""),
        ("acknowledged", "officer_a", ""),
        ("action", "admin_a", "已隔离，送医院发热门诊"),
        ("closed", "commander", "排除新冠"),
    ]
    with pytest.raises(Conflict):
        services.incident_note(actor=zone.admin_a, incident=incident, note="x")
    with pytest.raises(Forbidden):  # not in admin_b's sight
        services.incident_note(actor=zone.admin_b, incident=report(zone), note="x")


def test_escalation_happens_once_and_only_when_unacknowledged(zone, settings):
    settings.INCIDENT_ESCALATION_MINUTES = 15
    late = report(zone, title="未处理")
    acknowledged = report(zone, title="已确认")
    services.incident_acknowledge(actor=zone.commander, incident=acknowledged)
    fresh = report(zone, title="刚上报")
    Incident.objects.filter(pk__in=[late.pk, acknowledged.pk]).update(
        reported_at=timezone.now() - timedelta(minutes=16)
    )
    assert services.escalate_due() == 1
    assert services.escalate_due() == 0
    call_command("escalate_incidents", stdout=open("/dev/null", "w"))  # noqa: SIM115
    late.refresh_from_db()
    assert late.escalated_at is not None
    escalations = Notification.objects.filter(recipient=zone.commander, title__contains="未处理")
    assert escalations.count() == 2  # the alert when reported, one escalation
    assert IncidentEvent.objects.filter(incident=late, action="escalated").count() == 1
    fresh.refresh_from_db()
    assert fresh.escalated_at is None
    # Much later, still nothing twice.
    assert services.escalate_due(now=timezone.now() + timedelta(hours=3)) == 1  # only `fresh`
    assert IncidentEvent.objects.filter(action="escalated").count() == 2


@dataclass
class FakeAlert:
    pk: int


def test_a_fever_at_the_gate_opens_an_incident_once(zone):
    person = zone.staff_a[0]
    kwargs = {
        "alert": FakeAlert(pk=41),
        "organisation_id": zone.enterprise_a.pk,
        "site_id": zone.site_a.pk,
        "person_id": person.pk,
        "temperature": Decimal("37.8"),
        "checked_at": timezone.now(),
    }
    fever_detected.send(sender=FakeAlert, **kwargs)
    fever_detected.send(sender=FakeAlert, **kwargs)  # the same alert again
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity, incident.status) == ("fever", "high", "open")
    assert (incident.site, incident.person, incident.temperature) == (zone.site_a, person, Decimal("37.8"))
    assert "37.8" in incident.title and "大门" in incident.title
    # The gate has told the duty officers and the administrators already: no second message.
    assert not Notification.objects.filter(kind="incident").exists()
    assert IncidentEvent.objects.get(incident=incident).actor is None


def test_zoneguard_names_itself_in_the_log_and_the_timeline_of_an_incident_it_opens(zone):
    services.incident_from_fever(
        alert=FakeAlert(pk=42),
        organisation_id=zone.enterprise_a.pk,
        site_id=zone.site_a.pk,
        person_id=None,
        temperature=Decimal("38.1"),
        checked_at=timezone.now(),
    )
    incident = Incident.objects.get()
    event = IncidentEvent.objects.get(incident=incident)
    assert (event.actor, event.actor_name) == (None, "ZoneGuard")
    logged = AuditEvent.objects.get(object_type="incidents.incident", object_id=str(incident.pk))
    assert (logged.actor, logged.actor_name, logged.action) == (None, "ZoneGuard", "create")


def test_merging_two_people_keeps_their_incidents(zone):
    first = zone.staff_a[0]
    twin = make_person(name=first.name, organisation=zone.enterprise_a)
    report(zone, person=first)
    report(zone, person=twin)
    kept = person_merge(actor=zone.commander, keep=first, duplicate=twin)
    assert Incident.objects.filter(person=kept).count() == 2


def test_a_fever_the_incident_cannot_record_leaves_the_gate_s_transaction_intact(zone):
    kwargs = {
        "alert": FakeAlert(pk=42),
        "organisation_id": zone.enterprise_a.pk,
        "site_id": zone.site_a.pk,
        "person_id": None,
        "temperature": Decimal("99.9"),  # out of any thermometer's range: refused by the model
        "checked_at": timezone.now(),
    }
    fever_detected.send(sender=FakeAlert, **kwargs)  # does not raise into the gate's check-in
    assert not Incident.objects.exists()


def test_the_group_robot_receives_the_incident_in_its_own_format(zone, monkeypatch, django_capture_on_commit_callbacks):
    from zoneguard.notifications import services as notifications
    from zoneguard.notifications.models import DeliveryRule

    calls = []
    monkeypatch.setattr(
        notifications, "post_json", lambda url, payload, timeout: calls.append(payload) or {"errcode": 0}
    )
    DeliveryRule.objects.create(
        name="值班群",
        audience="duty_officers",
        kinds=["incident"],
        channel="wecom",
        webhook_url="https://qyapi.weixin.qq.com/x",
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(zone)
    assert calls == [
        {
            "msgtype": "markdown",
            "markdown": {
                "content": "**紧急情况：员工发热咳嗽**\n疑似病例，严重程度：高，地点：企业甲。请立即确认。\n"
                f"[http://127.0.0.1:8000/incidents/{incident.pk}/](http://127.0.0.1:8000/incidents/{incident.pk}/)"
            },
        }
    ]


def test_the_commander_sets_escalation_delays_per_severity(zone, client_for, settings):
    settings.INCIDENT_ESCALATION_MINUTES = 30
    critical = report(zone, severity="critical", title="危急")
    low = report(zone, severity="low", title="一般")
    Incident.objects.update(reported_at=timezone.now() - timedelta(minutes=10))
    assert services.escalate_due() == 0
    assert client_for("admin_a").get("/incidents/escalation/").status_code == 404
    with pytest.raises(Forbidden):
        services.escalation_delays_set(actor=zone.officer_a, minutes={"critical": 5})
    response = client_for("commander").post(
        "/incidents/escalation/", {"low": 120, "medium": 30, "high": 15, "critical": 5}
    )
    assert response.status_code == 302
    assert services.escalate_due() == 1
    critical.refresh_from_db()
    low.refresh_from_db()
    assert critical.escalated_at is not None and low.escalated_at is None


def test_a_fever_acknowledged_at_the_gate_is_not_escalated(zone, settings):
    settings.INCIDENT_ESCALATION_MINUTES = 15
    # Stand-ins for the gate's alerts: any model with a `status`, found by its label.
    handled = report(zone, title="门岗已处理")
    services.incident_acknowledge(actor=zone.commander, incident=handled)
    pending = report(zone, title="门岗未处理")
    for source in (handled, pending):
        services.incident_from_fever(
            alert=source,
            organisation_id=zone.enterprise_a.pk,
            site_id=zone.site_a.pk,
            person_id=None,
            temperature=Decimal("38.0"),
            checked_at=timezone.now(),
        )
    Incident.objects.filter(kind="fever").update(reported_at=timezone.now() - timedelta(minutes=20))
    Incident.objects.filter(pk=pending.pk).update(escalated_at=timezone.now())  # not the point here
    assert services.escalate_due() == 1
    from_handled = Incident.objects.get(kind="fever", source_id=str(handled.pk))
    assert (from_handled.status, from_handled.escalated_at) == ("acknowledged", None)
    assert Incident.objects.get(kind="fever", source_id=str(pending.pk)).escalated_at is not None
