"""Gates part of the demo zone: gate settings of the story's sites and five days of entries at
金化's main gate, the 杉杉奥特莱斯 real-name channel and the markets, with two fever alerts."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zoneguard.core.masking import mask_id_number
from zoneguard.registry.models import Membership

from . import face
from .models import AlertStatus, CheckIn, FeverAlert, FeverRetest, RetestMethod, SiteGate

NAMESPACE = uuid.UUID("6f2b1d1e-8a47-4a43-9a55-2020022100aa")
DAYS = 5
# The 18th member of 金化, refused with 37.8 °C two days ago: recorded as zone.people["金化 fever"],
# the person the incidents and tracing parts of the story tell about.
FEVER_WORKER = 17
# (organisation, site, workplace: out in the evening)
GATES = [
    ("湖南金化科技集团有限公司", "大门", True),
    ("杉杉奥特莱斯广场", "实名制通道", True),
    ("高鑫农贸市场", "市场入口", False),
    ("君昇市场", "市场入口", False),
]


def load(zone: Any) -> None:
    for org_name in ("高鑫农贸市场", "君昇市场", "三泰市场"):
        SiteGate.objects.get_or_create(site=zone.sites[f"{org_name}·市场入口"], defaults={"require_declaration": False})
    SiteGate.objects.get_or_create(
        site=zone.sites["杉杉奥特莱斯广场·实名制通道"], defaults={"face_check": face.available()}
    )
    gate_officer = zone.users.get("gate")
    rows = []
    fevers: list[uuid.UUID] = []
    for org_name, site_name, workplace in GATES:
        site = zone.sites[f"{org_name}·{site_name}"]
        people = [m.person for m in Membership.objects.filter(organisation=site.organisation).select_related("person")]
        for back in range(DAYS - 1, -1, -1):
            day = zone.today - timedelta(days=back)
            start = timezone.make_aware(datetime.combine(day, time(7, 30)))
            for i, person in enumerate(people):
                if (i + back) % 11 == 0:
                    continue  # someone is off each day
                arrived = start + timedelta(minutes=(i * 7 + back * 3) % 60)
                at = zone.past(arrived)
                temperature = Decimal("36.2") + Decimal((i + back) % 7) / 10
                fever = (back == 2 and org_name == "湖南金化科技集团有限公司" and i == FEVER_WORKER) or (
                    back == 0 and org_name == "高鑫农贸市场" and i == 3
                )
                if fever:
                    temperature = Decimal("38.1") if back == 0 else Decimal("37.8")
                    if back == 2:
                        zone.people["金化 fever"] = person
                client_id = uuid.uuid5(NAMESPACE, f"{site.pk}-{person.pk}-{day}-in")
                rows.append(
                    CheckIn(
                        client_id=client_id,
                        site=site,
                        organisation_id=site.organisation_id,
                        person=person,
                        masked_id_number=mask_id_number(person.id_number),
                        direction="in",
                        temperature=temperature,
                        decision="deny" if fever else "allow",
                        status="green",
                        reasons=[{"code": "fever", "temperature": str(temperature)}] if fever else [],
                        checked_at=at,
                        received_at=at,
                        recorded_by=gate_officer if org_name == "湖南金化科技集团有限公司" else None,
                    )
                )
                if fever:
                    fevers.append(client_id)
                    continue
                # Today's staff are still at work; a market's customers leave within the hour.
                if back > 0 or not workplace:
                    stay = timedelta(hours=9, minutes=i % 40) if workplace else timedelta(minutes=20 + i % 40)
                    leave = zone.past(arrived + stay)
                    rows.append(
                        CheckIn(
                            client_id=uuid.uuid5(NAMESPACE, f"{site.pk}-{person.pk}-{day}-out"),
                            site=site,
                            organisation_id=site.organisation_id,
                            person=person,
                            masked_id_number=mask_id_number(person.id_number),
                            direction="out",
                            decision="allow",
                            status="green",
                            reasons=[],
                            checked_at=leave,
                            received_at=leave,
                        )
                    )
    CheckIn.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    for checkin in CheckIn.objects.filter(client_id__in=fevers):
        closed = timezone.localdate(checkin.checked_at) < zone.today  # the stored time is UTC
        handler = gate_officer if closed else None
        alert, created = FeverAlert.objects.get_or_create(
            checkin=checkin,
            defaults={
                "site_id": checkin.site_id,
                "organisation_id": checkin.organisation_id,
                "person_id": checkin.person_id,
                "temperature": checkin.temperature,
                "checked_at": checkin.checked_at,
                "status": AlertStatus.CLOSED if closed else AlertStatus.OPEN,
                "acknowledged_by": handler,
                "acknowledged_at": checkin.checked_at + timedelta(minutes=10) if closed else None,
                "closed_by": handler,
                "closed_at": checkin.checked_at + timedelta(hours=1) if closed else None,
                # Closed after a normal re-test: the gates admit the person again (alerts.py).
                "released_at": checkin.checked_at + timedelta(hours=1) if closed else None,
                "note": "复测37.2℃，已送高新区发热门诊排查，结果正常" if closed else "",
            },
        )
        if closed and created:
            FeverRetest.objects.create(
                alert=alert,
                temperature=Decimal("37.2"),
                method=RetestMethod.AXILLARY,
                measured_at=checkin.checked_at + timedelta(minutes=40),
                recorded_by=handler,
            )
