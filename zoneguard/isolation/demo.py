"""The demo's home isolation: 青峰社区 follows three residents at home (a close contact of the fever
worker traced at 金化科技, one back from Hubei whose period ends today, one with a fever under
observation), one of whom missed yesterday's reading; 祥光社区's 王芳 was released last week."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.registry.models import Membership

from . import services
from .models import IsolationCase, Reason, Source


def _readings(case: IsolationCase, actor: User | None, days: list[int], temperature: str = "36.5") -> None:
    today = timezone.localdate()
    for back in days:
        day = today - timedelta(days=back)
        services.follow_up_record(actor=actor, case=case, temperature=Decimal(temperature), day=day if actor else None)


def load(zone: Any) -> None:
    if IsolationCase.objects.exists():  # loaded before: the story stands as it was
        return
    qingfeng = zone.organisations["青峰社区"]
    worker = User.objects.get(username="qingfeng")
    commander = User.objects.get(username="commander")
    residents = [m.person for m in Membership.objects.filter(organisation=qingfeng).select_related("person")[:3]]
    today = timezone.localdate()

    traced = zone.people.get("traced case")
    contact = services.case_open(
        actor=worker,
        person=residents[0],
        community=qingfeng,
        reason=Reason.CLOSE_CONTACT,
        source=Source.TRACE if traced else Source.MANUAL,
        source_person=traced,
        address="青峰社区蒸湘北路12号3栋201",
        start_date=today - timedelta(days=4),
        note="与金化科技发热员工同时段到过高鑫农贸市场",
    )
    _readings(contact, worker, [4, 3, 2])  # yesterday's was missed
    returnee = services.case_open(
        actor=worker,
        person=residents[1],
        community=qingfeng,
        reason=Reason.RISK_AREA,
        address="青峰社区解放西路8号1栋502",
        start_date=today - timedelta(days=13),
        note="1月24日自武汉返衡",
    )
    _readings(returnee, worker, list(range(13, 0, -1)))
    observed = services.case_open(
        actor=worker,
        person=residents[2],
        community=qingfeng,
        reason=Reason.FEVER,
        address="青峰社区长丰大道66号2栋302",
        start_date=today - timedelta(days=1),
    )
    _readings(observed, worker, [1], "37.1")
    _readings(observed, None, [0], "36.9")  # this morning, sent by the resident from their phone

    wang = zone.people["王芳"]
    released = services.case_open(
        actor=commander,
        person=wang,
        community=zone.organisations["祥光社区"],
        reason=Reason.CLOSE_CONTACT,
        address="祥光社区华新大道18号",
        start_date=today - timedelta(days=20),
    )
    _readings(released, commander, list(range(20, 6, -1)))
    services.case_release(actor=commander, case=released, note="隔离期满，无发热及呼吸道症状")
    zone.log.append(f"Home isolation: 3 residents of 青峰社区 followed; 王芳 released (case {released.pk}).")
