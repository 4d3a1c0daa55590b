"""Volunteer part of the demo zone: the story's "衡阳群众" volunteers (registry/demo.py STORY_PEOPLE),
approved, with their skills; 张青葵 is the demo user `volunteer`. They staff the gate of 高鑫农贸市场
(市场入口) in two shifts a day: the last four days served (one check-out forgotten), today's three
(the midday one still short of a volunteer) and the next three days'. 欧召应 staffs 君昇市场 in 青峰社区.
A canvassing round of the shops of 长湖街 found the pharmacy open without its staff registered,
which became a to-do of 祥光社区; leaflets were dropped building by building."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from .canvassing import VisitFacts, needs_follow_up
from .models import (
    LeafletDrop,
    Shift,
    ShopVisit,
    SignUp,
    Task,
    Todo,
    TodoReason,
    TodoStatus,
    Volunteer,
    VolunteerStatus,
    VolunteerTaskKind,
)

# name, community, skills, availability, demo user
VOLUNTEERS = [
    ("刘红梅", "祥光社区", ["first_aid", "carrying"], "每天早班", ""),
    ("陈艳", "祥光社区", ["language", "phones"], "每天午班、晚班", ""),
    ("张青葵", "祥光社区", ["driving", "carrying"], "工作日全天", "volunteer"),
    ("胡柏林", "祥光社区", ["medical", "first_aid"], "周末及晚上", ""),
    ("欧召应", "青峰社区", ["driving"], "每天上午", "courier"),
]
GATE = "高鑫农贸市场·市场入口"
# (start hour, end hour, the volunteers who stand on it)
Plan = list[tuple[int, int, tuple[str, ...]]]
PAST_SHIFTS: Plan = [(7, 11, ("刘红梅", "张青葵")), (16, 20, ("陈艳", "胡柏林"))]
TODAY_SHIFTS: Plan = [(7, 11, ("刘红梅", "张青葵")), (11, 15, ("陈艳",)), (15, 19, ("胡柏林",))]
COMING_SHIFTS: Plan = [(7, 11, ("张青葵",)), (16, 20, ("陈艳",))]
NOTE = "测温、查验健康码、登记进场人员"
# shop, open, staff, masks, registered, disinfected, note
CANVASS = [
    ("长湖街便民超市", True, 4, True, True, True, ""),
    ("长湖街大药房", True, 3, True, False, True, "店员3人未在社区登记"),
    ("长湖街湘菜馆", False, None, None, None, None, "门口张贴暂停营业告示"),
]
LEAFLETS = [("1栋", 120), ("2栋", 96), ("3栋", 80)]


def _scheduled(day: date, hour: int) -> datetime:
    """A shift's time as planned, today's and later ones in the future too."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hour)


def load(zone: Any) -> None:
    worker = zone.users.get("community")
    volunteers = {}
    for name, community, skills, availability, username in VOLUNTEERS:
        person = zone.people[name]
        volunteers[name], _created = Volunteer.objects.get_or_create(
            person=person,
            community=zone.organisations[community],
            defaults={
                "name": name,
                "phone": person.phone,
                "skills": skills,
                "availability": availability,
                "status": VolunteerStatus.APPROVED,
                "approved_at": zone.now - timedelta(days=20),
                "approved_by": worker,
                "user": zone.users.get(username) if username else None,
            },
        )
    _shifts(zone, volunteers, worker)
    _canvassing(zone, volunteers, worker)


def _stand(zone: Any, shift: Shift, volunteer: Volunteer, seq: int, *, forget_out: bool = False) -> None:
    """A place on the shift, with a check-in and out as far as the shift has gone by now."""
    checked_in = checked_out = None
    arrived = shift.starts_at + timedelta(minutes=(seq * 7) % 15 - 5)
    if arrived < zone.now:
        checked_in = zone.past(arrived)
        left = shift.ends_at - timedelta(minutes=(seq * 3) % 10)
        if left < zone.now and not forget_out:
            checked_out = max(zone.past(left), checked_in)
    SignUp.objects.get_or_create(
        shift=shift,
        volunteer=volunteer,
        status="signed_up",
        defaults={"checked_in_at": checked_in, "checked_out_at": checked_out},
    )


def _shifts(zone: Any, volunteers: dict[str, Volunteer], worker: Any) -> None:
    plans: list[tuple[int, Plan]] = [(-back, PAST_SHIFTS) for back in range(4, 0, -1)]
    plans += [(0, TODAY_SHIFTS)] + [(ahead, COMING_SHIFTS) for ahead in range(1, 4)]
    site = zone.sites[GATE]
    seq = 0
    for offset, shifts in plans:
        day = zone.today + timedelta(days=offset)
        for start, end, names in shifts:
            shift, _created = Shift.objects.get_or_create(
                site=site,
                starts_at=_scheduled(day, start),
                defaults={
                    "community": zone.organisations["祥光社区"],
                    "ends_at": _scheduled(day, end),
                    "needed": 2,
                    "note": NOTE,
                    "created_by": worker,
                },
            )
            for name in names:
                seq += 1
                # 胡柏林 forgot to check out three evenings ago: counted to the shift's end.
                _stand(zone, shift, volunteers[name], seq, forget_out=offset == -3 and name == "胡柏林")
    other, _created = Shift.objects.get_or_create(
        site=zone.sites["君昇市场·市场入口"],
        starts_at=_scheduled(zone.today - timedelta(days=1), 7),
        defaults={
            "community": zone.organisations["青峰社区"],
            "ends_at": _scheduled(zone.today - timedelta(days=1), 11),
            "needed": 1,
            "note": NOTE,
        },
    )
    _stand(zone, other, volunteers["欧召应"], 1)


def _canvassing(zone: Any, volunteers: dict[str, Volunteer], worker: Any) -> None:
    community = zone.organisations["祥光社区"]
    round_, created = Task.objects.get_or_create(
        community=community,
        title="长湖街门店逐店摸排",
        defaults={
            "kind": VolunteerTaskKind.CANVASSING,
            "note": "逐个走访辖区门店，检查营业、佩戴口罩、员工登记和消毒情况，做好排查登记。",
            "due_on": zone.today + timedelta(days=1),
            "created_by": worker,
        },
    )
    if created:
        round_.volunteers.set([volunteers["张青葵"], volunteers["胡柏林"]])
        round_.shops.set(
            [zone.organisations[name] for name in ("长湖街便民超市", "长湖街大药房", "长湖街湘菜馆", "高鑫农贸市场")]
        )
    visited_at = zone.at(zone.today - timedelta(days=1), 14, 30)
    for i, (shop_name, is_open, staff, masks, registered, disinfected, note) in enumerate(CANVASS):
        shop = zone.organisations[shop_name]
        visit, _created = ShopVisit.objects.get_or_create(
            task=round_,
            shop=shop,
            defaults={
                "visited_by": volunteers["张青葵"] if i % 2 == 0 else volunteers["胡柏林"],
                "visited_at": visited_at + timedelta(minutes=20 * i),
                "is_open": is_open,
                "staff_count": staff,
                "masks_worn": masks,
                "staff_registered": registered,
                "disinfection_done": disinfected,
                "note": note,
            },
        )
        facts = VisitFacts(shop.pk, visit.visited_at, is_open, masks, registered, disinfected)
        if (
            needs_follow_up(facts)
            and not Todo.objects.filter(organisation=shop, reason=TodoReason.UNREGISTERED_STAFF).exists()
        ):
            Todo.objects.create(
                community=community,
                organisation=shop,
                reason=TodoReason.UNREGISTERED_STAFF,
                visit=visit,
                status=TodoStatus.OPEN,
            )
    leaflets, created = Task.objects.get_or_create(
        community=community,
        title="防疫宣传单入户发放",
        defaults={
            "kind": VolunteerTaskKind.LEAFLETS,
            "note": "每户一份《新冠肺炎防控告居民书》。",
            "created_by": worker,
        },
    )
    if created:
        leaflets.volunteers.set([volunteers["刘红梅"], volunteers["陈艳"]])
    for i, (building, count) in enumerate(LEAFLETS):
        LeafletDrop.objects.get_or_create(
            task=leaflets,
            building=building,
            defaults={
                "leaflets": count,
                "dropped_by": volunteers["刘红梅"] if i % 2 == 0 else volunteers["陈艳"],
                "dropped_at": zone.at(zone.today - timedelta(days=2), 10, 10 * i),
            },
        )
