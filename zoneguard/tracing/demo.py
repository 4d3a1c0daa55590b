"""Tracing part of the demo zone: 社会事务局 runs epidemic control and traces across the zone; the
金化 worker refused with a fever at the main gate two days ago (gates/demo.py) had shopped at
高鑫农贸市场 with two co-workers in the evenings before, and the one who came along both evenings
went on to 君昇市场 yesterday: a trace shows the co-workers of the workshop, the market
stall-holder met in the evening and, in the second degree, whom the co-worker met at 君昇.

A depth-2 trace follows the first-degree contacts who shared the most time with the case
(tracing.selectors.SECOND_DEGREE_FROM), and a hundred co-workers share the workshop's days with
it: the co-worker who links to 君昇 is the one with both evenings on top of the workshop, so that
they are among those followed whatever the hour the zone is loaded at (today's entries, placed
before that hour, change everyone's time with the case)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from zoneguard.core.masking import mask_id_number
from zoneguard.gates.models import CheckIn
from zoneguard.registry.models import Membership

from .models import TracingDuty
from .services import refresh_presences

NAMESPACE = uuid.UUID("0c1a7e55-2b7d-4e0b-a7f1-2020022100cc")


def _visit(zone: Any, site: Any, person: Any, back: int, hour: int, minute: int, minutes: int) -> list[CheckIn]:
    day = zone.today - timedelta(days=back)
    arrived = zone.at(day, hour, minute)
    left = zone.past(arrived + timedelta(minutes=minutes))
    common = {
        "site": site,
        "organisation_id": site.organisation_id,
        "person": person,
        "masked_id_number": mask_id_number(person.id_number),
        "decision": "allow",
        "status": "green",
        "reasons": [],
    }
    key = f"{site.pk}-{person.pk}-{day}-{hour}"
    return [
        CheckIn(
            client_id=uuid.uuid5(NAMESPACE, f"{key}-in"),
            direction="in",
            temperature=Decimal("36.4"),
            checked_at=arrived,
            received_at=arrived,
            **common,
        ),
        CheckIn(
            client_id=uuid.uuid5(NAMESPACE, f"{key}-out"),
            direction="out",
            checked_at=left,
            received_at=left,
            **common,
        ),
    ]


def _people(zone: Any, organisation: str) -> list[Any]:
    site_organisation = zone.organisations[organisation]
    # In the order gates/demo.py numbers them.
    return [m.person for m in Membership.objects.filter(organisation=site_organisation).select_related("person")]


def load(zone: Any) -> None:
    TracingDuty.objects.get_or_create(department=zone.departments["shiwu"], defaults={"reads_contacts_in_full": True})
    workers = _people(zone, "湖南金化科技集团有限公司")
    gaoxin, junsheng = _people(zone, "高鑫农贸市场"), _people(zone, "君昇市场")
    gaoxin_gate, junsheng_gate = zone.sites["高鑫农贸市场·市场入口"], zone.sites["君昇市场·市场入口"]
    case, companion, colleague = zone.people["金化 fever"], workers[9], workers[5]  # the case: gates/demo.py
    rows = [
        # Three and four evenings ago at 高鑫: the case with a co-worker both evenings and another
        # once, and a stall-holder.
        *_visit(zone, gaoxin_gate, case, 3, 18, 10, 40),
        *_visit(zone, gaoxin_gate, colleague, 3, 18, 15, 35),
        *_visit(zone, gaoxin_gate, companion, 3, 18, 20, 30),
        *_visit(zone, gaoxin_gate, case, 4, 18, 30, 45),
        *_visit(zone, gaoxin_gate, companion, 4, 18, 35, 40),
        *_visit(zone, gaoxin_gate, gaoxin[2], 4, 18, 0, 120),
        # Yesterday evening at 君昇: the companion of both evenings, with two of its stall-holders.
        *_visit(zone, junsheng_gate, companion, 1, 18, 30, 50),
        *_visit(zone, junsheng_gate, junsheng[0], 1, 18, 0, 120),
        *_visit(zone, junsheng_gate, junsheng[1], 1, 18, 40, 60),
    ]
    CheckIn.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    zone.people["traced case"] = case
    refresh_presences()
