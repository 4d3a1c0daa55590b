"""Health part of the demo zone: the rules of February 2020 and today's declarations of the staff
at the story's gates (金化's main gate, the 杉杉奥特莱斯 site, the markets)."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zoneguard.registry.models import Membership

from .models import Declaration, HealthRule

# name, condition, places, symptom, threshold, status, days, reason
RULES = [
    ("湖北旅居", "travel", "湖北\n武汉\n黄冈\n孝感", "", None, "yellow", 14, "14天内有湖北旅居史，居家观察14天"),
    ("接触病例", "contact_with_case", "", "", None, "red", 14, "与确诊或疑似病例有接触，须隔离观察"),
    ("发热症状", "symptom", "", "fever", None, "red", 14, "有发热症状，请到发热门诊就诊"),
    ("体温异常", "temperature", "", "", Decimal("37.3"), "red", 14, "申报体温≥37.3℃"),
    ("咳嗽乏力", "symptom", "", "cough", None, "yellow", 7, "有咳嗽症状，请注意观察"),
]

# Organisations whose staff declare in the demo, with the site they scan at.
DECLARING = [
    ("湖南金化科技集团有限公司", "大门"),
    ("杉杉奥特莱斯广场", "实名制通道"),
    ("高鑫农贸市场", "市场入口"),
    ("君昇市场", "市场入口"),
    ("湖南泓坤医疗器械有限公司", "大门"),
]


def card_code(person_pk: int, day: Any) -> str:
    # Demo cards are derived so that loading twice finds the same ones; real ones are random.
    return hashlib.sha256(f"demo-card-{person_pk}-{day}".encode()).hexdigest()[:16]


def load(zone: Any) -> None:
    for name, condition, places, symptom, threshold, status, days, reason in RULES:
        HealthRule.objects.get_or_create(
            name=name,
            defaults={
                "condition": condition,
                "places": places,
                "symptom": symptom,
                "threshold": threshold,
                "status": status,
                "valid_days": days,
                "reason": reason,
            },
        )
    today = zone.today
    morning = timezone.make_aware(datetime.combine(today, time(6, 30)))
    declarations = []
    for org_name, site_name in DECLARING:
        organisation = zone.organisations[org_name]
        site = zone.sites[f"{org_name}·{site_name}"]
        members = Membership.objects.filter(organisation=organisation).select_related("person").order_by("id")
        for i, membership in enumerate(members):
            person = membership.person
            declared_at = zone.past(morning + timedelta(minutes=i % 90))
            status, reasons, days, travel, symptoms, contact = "green", [], 1, [], [], False
            if i == 5:
                status, reasons, days = "yellow", [RULES[0][7]], 10
                travel = [
                    {
                        "place": "湖北省武汉市",
                        "from": str(today - timedelta(days=9)),
                        "to": str(today - timedelta(days=4)),
                    }
                ]
            elif i == 9:
                status, reasons, days, contact = "red", [RULES[1][7]], 14, True
            elif i == 13:
                status, reasons, days, symptoms = "yellow", [RULES[4][7]], 7, ["cough"]
            declarations.append(
                Declaration(
                    person=person,
                    site=site,
                    name=person.name,
                    phone=person.phone,
                    temperature=Decimal("36.4") + Decimal(i % 5) / 10,
                    travel=travel,
                    contact_with_case=contact,
                    symptoms=symptoms,
                    status=status,
                    reasons=reasons,
                    valid_until=declared_at + timedelta(days=days),
                    card_code=card_code(person.pk, today),
                    declared_at=declared_at,
                )
            )
    Declaration.objects.bulk_create(declarations, batch_size=500, ignore_conflicts=True)
