"""The demo's enterprise requests, from the story: 湖南泓坤医疗器械有限公司 could not buy the raw
materials for its masks; 经发局 accepted, found a supplier, answered and resolved it, and the
enterprise confirmed and rated the answer. Another enterprise's request for a permit waits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zoneguard.core.roles import Role
from zoneguard.registry.models import Department

from . import services
from .models import RoutingRule, Ticket

# category → department code (registry/demo.py DEPARTMENTS); (category, sector) where a sector differs.
ROUTES = [
    ("raw_materials", None, "jingfa"),
    ("funds", None, "caizheng"),
    ("labour", None, "jingfa"),
    ("logistics", None, "jingfa"),
    ("policies", None, "zhaoshang"),
    ("permits", None, "guihua"),
    ("supplies", None, "shiwu"),
    ("other", None, "jingfa"),
    ("raw_materials", "construction", "jianshe"),
    ("labour", "construction", "jianshe"),
]


def _list_pdf() -> SimpleUploadedFile:
    """A one-page PDF: the demo needs a file, not a real purchase list."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile("raw-materials.pdf", body, content_type="application/pdf")


def load(zone: Any) -> None:
    for category, sector, department in ROUTES:
        if department not in zone.departments or (sector and sector not in zone.sectors):
            continue
        RoutingRule.objects.get_or_create(
            category=category,
            sector=zone.sectors[sector] if sector else None,
            defaults={"department": zone.departments[department]},
        )
    officer = zone.users.get("officer")
    if officer is not None and officer.role == Role.DEPARTMENT_OFFICER and officer.department_id:
        Department.objects.filter(pk=officer.department_id, head__isnull=True).update(head=officer)
    if Ticket.objects.exists():  # loaded before: the story stands as it was
        return
    hongkun, jinhua = zone.users.get("hongkun"), zone.users.get("jinhua")
    if officer is None or hongkun is None or jinhua is None:
        return
    now = timezone.now()
    ticket = services.ticket_file(
        actor=hongkun,
        category="raw_materials",
        urgency="critical",
        title="熔喷布、无纺布等原材料购入难",
        description="复工后口罩生产线满负荷运转，熔喷布和无纺布供应商停产，库存只够三天，请求协调供货渠道。",
        attachments=[_list_pdf()],
        now=now - timedelta(hours=1),
    )
    services.ticket_accept(actor=officer, ticket=ticket)
    services.ticket_message(actor=officer, ticket=ticket, body="已收到，正在联系园区内外的熔喷布生产企业。")
    services.ticket_resolve(
        actor=officer,
        ticket=ticket,
        answer="已协调两家熔喷布生产企业优先供货，首批2吨已于今日送达，后续按周供货。",
    )
    services.ticket_confirm(actor=hongkun, ticket=ticket, comment="原材料已到，生产线恢复正常。")
    services.ticket_rate(actor=hongkun, ticket=ticket, rating=5, comment="切实解决了企业实际困难，感谢经发局！")
    services.ticket_file(
        actor=jinhua,
        category="labour",
        urgency="urgent",
        title="外省返岗员工包车接送",
        description="约四十名湖北籍员工需返岗，请求协调点对点包车及健康证明办理。",
        now=now - timedelta(hours=5),
    )
    zone.log.append("Enterprise requests: 泓坤医疗's raw materials solved by 经发局 and rated; 金化科技's open.")
