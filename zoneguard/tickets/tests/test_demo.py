from __future__ import annotations

from zoneguard.demo.builder import load_demo_zone
from zoneguard.tickets.models import Ticket


def test_the_story_is_in_the_demo_and_loads_once(db):
    load_demo_zone(password="demo-password-1")
    hongkun = Ticket.objects.get(organisation__name="湖南泓坤医疗器械有限公司")
    assert (hongkun.category, hongkun.department.name, hongkun.status, hongkun.rating) == (
        "raw_materials",
        "经发局",
        "confirmed",
        5,
    )
    assert hongkun.first_accepted_at <= hongkun.accept_due and hongkun.attachments.count() == 1
    assert Ticket.objects.filter(organisation__name="湖南金化科技集团有限公司", status="submitted").exists()
    load_demo_zone(password="demo-password-1")
    assert Ticket.objects.count() == 2
