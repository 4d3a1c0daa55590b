"""Incidents of the demo zone: the fever at 金化科技's gate two days ago (the gate's alert of
gates/demo.py, told the same: the worker, the time, the reading and the re-test), handled and
closed; a customer with a temperature at 高鑫农贸市场 today, acknowledged."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .models import SYSTEM, Incident, IncidentAction, IncidentEvent, IncidentStatus


def load(zone: Any) -> None:
    commander = zone.users.get("commander")
    name = commander.display_name if commander else "指挥长"
    two_days_ago = zone.today - timedelta(days=2)
    site = zone.sites.get("湖南金化科技集团有限公司·大门")
    jinhua = zone.organisations["湖南金化科技集团有限公司"]
    worker = zone.people.get("金化 fever")  # gates/demo.py: refused at 07:35 two days ago, 37.8 °C
    resolution = "复测37.2℃，已送高新区发热门诊排查，结果正常"
    incidents = [
        (
            "fever-jinhua",
            {
                "kind": "fever",
                "severity": "high",
                "status": IncidentStatus.CLOSED,
                "title": "湖南金化科技集团有限公司 · 大门 发现发热 37.8 °C",
                "organisation": jinhua,
                "site": site,
                "person": worker,
                "temperature": Decimal("37.8"),
                "occurred_at": timezone.make_aware(datetime.combine(two_days_ago, time(7, 35))),
                "resolution": resolution,
            },
            [
                (IncidentAction.REPORTED, SYSTEM, "由门岗测温自动上报。"),
                (IncidentAction.ACKNOWLEDGED, name, ""),
                (IncidentAction.ACTION, "金化科技防疫联络员", "已在临时隔离室休息，联系高新区发热门诊。"),
                (IncidentAction.CLOSED, name, resolution),
            ],
        ),
        (
            "market-gaoxin",
            {
                "kind": "suspected_case",
                "severity": "medium",
                "status": IncidentStatus.ACKNOWLEDGED,
                "title": "高鑫农贸市场入口顾客体温 37.5 °C",
                "organisation": zone.organisations["高鑫农贸市场"],
                "location": "市场入口",
                "people_involved": "顾客一名（已登记联系方式）",
                "temperature": Decimal("37.5"),
                "occurred_at": timezone.make_aware(datetime.combine(zone.today, time(8, 15))),
            },
            [
                (IncidentAction.REPORTED, "张青葵", "志愿者测温发现，已劝离并登记。"),
                (IncidentAction.ACKNOWLEDGED, name, ""),
            ],
        ),
    ]
    for key, fields, events in incidents:
        told = fields["occurred_at"]  # as the story tells it; zone.past places it before loading
        occurred = zone.past(told)
        incident, created = Incident.objects.get_or_create(
            source_type="demo", source_id=key, defaults={**fields, "occurred_at": occurred}
        )
        if created:
            Incident.objects.filter(pk=incident.pk).update(reported_at=occurred)
            for step, (action, actor_name, note) in enumerate(events):
                event = IncidentEvent.objects.create(incident=incident, action=action, actor_name=actor_name, note=note)
                # Told as it happened: a few minutes between the first steps, the close hours later.
                after = timedelta(hours=3) if action == IncidentAction.CLOSED else timedelta(minutes=6 * step)
                IncidentEvent.objects.filter(pk=event.pk).update(at=zone.past(told + after))
            if fields["status"] != IncidentStatus.OPEN:
                Incident.objects.filter(pk=incident.pk).update(acknowledged_at=zone.past(told + timedelta(minutes=6)))
            if fields["status"] == IncidentStatus.CLOSED:
                Incident.objects.filter(pk=incident.pk).update(closed_at=zone.past(told + timedelta(hours=3)))
