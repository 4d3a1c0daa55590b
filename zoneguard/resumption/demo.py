"""Resumption part of the demo zone: review rules, and the filings of February 2020 as the story
tells them (every building project resumed; 金化科技 never stopped; a few still in review)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from zoneguard.registry.models import CompetenceRule

from .models import RESUMABLE_KINDS, FilingAction, FilingEvent, FilingReviewRule, FilingStatus, ResumptionFiling

# department → (kind, sector) of the competence rules that also review resumption filings.
REVIEWERS = [
    ("jingfa", "enterprise", ""),
    ("jingfa", "shop", ""),
    ("jingfa", "market", ""),
    ("jianshe", "building_project", ""),
    ("zhaoshang", "enterprise", "ict"),
    ("zhaoshang", "enterprise", "tech_services"),
]
# Organisation → (status, days before today it resumed or filed, review comment).
SPECIAL = {
    "湖南金化科技集团有限公司": ("approved", 28, ""),
    "湖南泓坤医疗器械有限公司": ("approved", 20, ""),
    "衡阳中兴网信科技有限公司": ("submitted", 0, ""),
    "三泰市场": ("submitted", 1, ""),
    "衡阳华鑫酒店管理有限公司": ("returned", 1, "请补充员工餐厅分餐安排和隔离室位置。"),
    "衡阳蒸湘食品有限公司": (None, 0, ""),
    "长湖街湘菜馆": (None, 0, ""),
}


def load(zone: Any) -> None:
    for department, kind, sector in REVIEWERS:
        rule = CompetenceRule.objects.filter(
            department=zone.departments[department],
            organisation_kind=kind,
            sector=zone.sectors[sector] if sector else None,
        ).first()
        if rule is not None:
            FilingReviewRule.objects.get_or_create(competence_rule=rule)
    existing = set(ResumptionFiling.objects.values_list("organisation_id", flat=True))
    reviewers = {"building_project": zone.departments["jianshe"]}
    officer = zone.users.get("officer")
    for offset, organisation in enumerate(o for o in zone.organisations.values() if o.kind in RESUMABLE_KINDS):
        if organisation.pk in existing:
            continue
        status, days, comment = SPECIAL.get(organisation.name, ("approved", 3 + offset % 6, ""))
        if status is None:
            continue
        planned = zone.today - timedelta(days=days)
        department = reviewers.get(organisation.kind, zone.departments["jingfa"])
        staff = organisation.total_staff
        other = staff // 5
        filing = ResumptionFiling.objects.create(
            organisation=organisation,
            status=status,
            planned_date=planned,
            staff_expected=staff,
            staff_local=staff - other,
            staff_other_provinces=other,
            staff_from_risk_areas=min(other, 2),
            disinfection=True,
            temperature_points=2 if organisation.kind != "shop" else 1,
            isolation_room=organisation.kind in {"enterprise", "building_project"},
            masks_in_stock=max(staff, 1) * 30,
            canteen_rules=organisation.kind != "shop",
            plan_notes="复工前对人员全面摸排，工作区域每日消毒两次，大门设测温点，凡进必测，员工佩戴口罩上岗，食堂分餐错峰。",
            responsible_name=organisation.contact_name or "防疫负责人",
            responsible_phone="13807340000",
            submitted_at=zone.at(planned - timedelta(days=2), 9),
            decided_at=zone.at(planned - timedelta(days=1), 15) if status != "submitted" else None,
            decided_department=department if status != "submitted" else None,
            review_comment=comment,
            resumed_on=planned if status == FilingStatus.APPROVED else None,
        )
        applicant = organisation.contact_name or organisation.name
        reviewer = officer.display_name if officer else department.name
        events: list[tuple[str, str, Any, str, Any]] = [
            (FilingAction.SUBMITTED, applicant, None, "", filing.submitted_at)
        ]
        if status == FilingStatus.APPROVED:
            events.append((FilingAction.APPROVED, reviewer, department, "", filing.decided_at))
        elif status == FilingStatus.RETURNED:
            events.append((FilingAction.RETURNED, reviewer, department, comment, filing.decided_at))
        for action, actor_name, dept, note, at in events:
            event = FilingEvent.objects.create(
                filing=filing, action=action, actor_name=actor_name, department=dept, revision=1, comment=note
            )
            # The timeline tells when each step happened, not when the demo was loaded.
            FilingEvent.objects.filter(pk=event.pk).update(at=at)
    zone.log.append(
        f"resumption: {ResumptionFiling.objects.filter(status=FilingStatus.APPROVED).count()} organisations resumed"
    )
