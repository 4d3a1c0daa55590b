"""The demo's errands (代购), as 青峰社区 ran them: 欧召应 bought groceries and medicine for the
close contact isolating at home, who received them and paid him back; the returnee's list of
this morning still waits for a volunteer."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from zoneguard.isolation.models import CaseStatus, IsolationCase
from zoneguard.volunteers.models import Volunteer

from . import services
from .models import Errand


def _receipt() -> SimpleUploadedFile:
    """A drawn till receipt: the demo needs an image, not a real one."""
    image = Image.new("RGB", (240, 360), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["RECEIPT", "1  x  12.00", "2  x   9.80", "1  x  26.00", "", "TOTAL  57.60"]):
        draw.text((20, 20 + i * 28), line, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("receipt.jpg", buffer.getvalue(), content_type="image/jpeg")


def load(zone: Any) -> None:
    if Errand.objects.exists():  # loaded before: the story stands as it was
        return
    qingfeng = zone.organisations["青峰社区"]
    cases = {
        case.reason: case
        for case in IsolationCase.objects.filter(community=qingfeng, status=CaseStatus.ACTIVE).select_related("worker")
    }
    courier = Volunteer.objects.filter(community=qingfeng, user__isnull=False).select_related("user").first()
    contact, returnee = cases.get("close_contact"), cases.get("risk_area")
    if courier is None or courier.user is None or contact is None or returnee is None:
        return
    done = services.errand_request(
        actor=None,
        case=contact,
        lines=[
            {"kind": "groceries", "item": "青菜", "quantity": "2斤"},
            {"kind": "groceries", "item": "鸡蛋", "quantity": "1板"},
            {"kind": "medicine", "item": "连花清瘟胶囊", "quantity": "1盒"},
        ],
        note="放门口鞋柜上，谢谢",
    )
    services.errand_accept(actor=courier.user, errand=done)
    services.errand_deliver(actor=courier.user, errand=done, amount=Decimal("57.60"), receipt=_receipt())
    services.errand_confirm(actor=None, errand=done)
    services.errand_request(
        actor=None,
        case=returnee,
        lines=[
            {"kind": "groceries", "item": "大米", "quantity": "10斤"},
            {"kind": "masks", "item": "一次性医用口罩", "quantity": "20个"},
        ],
        note="下午送到即可",
    )
    zone.log.append("Errands: one delivered by 欧召应 in 青峰社区, one waiting for a volunteer.")
