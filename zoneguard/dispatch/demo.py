"""The demo's economic dispatch, from the story: the investment group 高投集团's building projects,
stopped at the Spring Festival and all resumed ("在建项目复工率达到100%"), with their monthly
progress, milestones, a risk or two, contracts and the payments to contractors ("拨付工程款");
and investment leads in 5G, AI, IoT and smart transport ("重点紧盯5G、人工智能、物联网、智慧交通").

Amounts are made up. Dates are counted back from the day of loading, so the story is always recent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role

from . import services
from .models import Lead, LeadDesk, Project

GROUP = "衡阳高新投资(集团)有限公司"

# Users of the departments and of the group who work with dispatch (username, full name, role,
# organisation, department code).
USERS = [
    ("jianshe", "建设局项目科干部", Role.DEPARTMENT_OFFICER, "", "jianshe"),
    ("zhaoshang", "招商局招商科干部", Role.DEPARTMENT_OFFICER, "", "zhaoshang"),
    ("gaotou", "高投集团工程部", Role.ORGANISATION_ADMIN, GROUP, ""),
]

# name, building site, kind, total investment, this year's plan (万元), start (days ago), monthly
# investment for the last three months (the current one last), workers on site now.
PROJECTS = [
    ("新兴金融中心", "新兴金融中心", "commercial", "120000.00", "30000.00", 520, ("2600.00", "180.00", "1350.50"), 260),
    ("雁鸣溪学校", "雁鸣溪学校", "public_service", "36000.00", "15000.00", 300, ("1500.00", "90.00", "820.00"), 180),
    ("高新现代城", "高新现代城", "housing", "260000.00", "52000.00", 700, ("4800.00", "260.00", "2400.00"), 420),
    ("虚拟大学城", "虚拟大学城", "public_service", "85000.00", "20000.00", 410, ("1900.00", "120.00", "960.00"), 210),
    ("创新中心", "创新中心", "industrial", "48000.00", "16000.00", 260, ("1200.00", "60.00", "700.00"), 150),
    ("总部基地", "总部基地", "commercial", "66000.00", "18000.00", 380, ("1650.00", "75.00", "880.00"), 190),
]

# project, contractor, number, amount (万元), payments (days ago, amount, funding source)
CONTRACTS = [
    (
        "新兴金融中心",
        "中国建筑第五工程局有限公司",
        "GT-JR-2019-01",
        "42000.00",
        [(60, "3000.00", "bank_loan"), (10, "1500.00", "special_bond")],
    ),
    (
        "雁鸣溪学校",
        "湖南建工集团有限公司",
        "GT-YMX-2019-02",
        "18000.00",
        [(45, "1200.00", "fiscal"), (8, "800.00", "fiscal")],
    ),
    (
        "高新现代城",
        "中国建筑第五工程局有限公司",
        "GT-XDC-2018-03",
        "96000.00",
        [(70, "6000.00", "own_funds"), (9, "2500.00", "special_bond")],
    ),
    ("高新现代城", "衡阳市建筑工程有限公司", "GT-XDC-2019-07", "12000.00", [(30, "900.00", "own_funds")]),
    ("虚拟大学城", "湖南省第六工程有限公司", "GT-XNDX-2019-04", "30000.00", [(11, "1100.00", "special_bond")]),
    ("创新中心", "衡阳市建筑工程有限公司", "GT-CX-2019-05", "16000.00", [(12, "650.00", "bank_loan")]),
    ("总部基地", "湖南建工集团有限公司", "GT-ZB-2019-06", "22000.00", [(7, "1000.00", "fiscal")]),
]

# project, milestone, planned (days from today), reached (days ago, or None)
MILESTONES = [
    ("新兴金融中心", "主体结构封顶", 120, None),
    ("新兴金融中心", "地下室完工", -90, 95),
    ("雁鸣溪学校", "教学楼主体完工", 60, None),
    ("雁鸣溪学校", "秋季开学交付", 200, None),
    ("高新现代城", "一期交房", 240, None),
    ("虚拟大学城", "实训楼封顶", 75, None),
    ("创新中心", "幕墙安装", 45, None),
]

# project, description, owner department, due (days from today), state
RISKS = [
    ("高新现代城", "二期用地征收尚有3户未签约，影响二期开工。", "zhengshou", 20, "in_hand"),
    ("雁鸣溪学校", "外地返岗工人需隔离观察，劳动力缺口约60人。", "jianshe", -3, "open"),
    ("新兴金融中心", "钢材价格上涨，工程款资金需求增加。", "caizheng", 15, "resolved"),
]

# Every risk came up in the weeks after the Spring Festival, before the one now overdue was due.
RISKS_RAISED_DAYS_AGO = 20

# company, sector, origin, estimate (万元), stages (stage, days ago), next step (text, owner, in days)
LEADS: list[tuple[str, str, str, str, list[tuple[str, int, str]], tuple[str, str, int] | None]] = [
    (
        "湘南5G智能终端产业园",
        "5g",
        "深圳",
        "50000.00",
        [("contact", 40, ""), ("visit", 28, ""), ("negotiation", 12, "")],
        ("第二轮合同条款谈判", "招商科王科长", 3),
    ),
    (
        "星联5G通信模组",
        "5g",
        "上海",
        "12000.00",
        [("contact", 20, ""), ("visit", 6, "")],
        ("视频洽谈供地方案", "招商科李干事", 2),
    ),
    (
        "衡岳人工智能研究院",
        "ai",
        "北京",
        "30000.00",
        [("contact", 60, ""), ("visit", 45, ""), ("negotiation", 30, ""), ("signed", 9, "")],
        ("协助办理企业注册", "招商科王科长", 5),
    ),
    ("智擎AI视觉科技", "ai", "杭州", "8000.00", [("contact", 4, "")], ("寄送园区政策资料", "招商科李干事", 1)),
    (
        "雁城物联网传感器基地",
        "iot",
        "长沙",
        "26000.00",
        [("contact", 90, ""), ("visit", 80, ""), ("negotiation", 60, ""), ("signed", 40, ""), ("registered", 14, "")],
        ("规划许可证办理", "规划局对接人", 10),
    ),
    (
        "云湘物联科技",
        "iot",
        "广州",
        "15000.00",
        [("contact", 120, ""), ("signed", 95, ""), ("registered", 70, ""), ("started", 15, "")],
        None,
    ),
    (
        "智行交通科技(湖南)",
        "smart_transport",
        "武汉",
        "40000.00",
        [("contact", 50, ""), ("negotiation", 35, ""), ("visit", 18, "受疫情影响对方决策推迟，需重新实地考察")],
        ("安排视频考察园区", "招商科王科长", 4),
    ),
    ("衡州新材料", "new_materials", "株洲", "9000.00", [("contact", 10, "")], None),
]


def _users(zone: Any) -> dict[str, User]:
    """The dispatch's own demo users, signing in with the zone's password. Kept apart from
    zone.users, the accounts app's list of the story's people."""
    users: dict[str, User] = {}
    for username, full_name, role, organisation, department in USERS:
        if (organisation and organisation not in zone.organisations) or (
            department and department not in zone.departments
        ):
            continue
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "is_active": True,
                "organisation": zone.organisations[organisation] if organisation else None,
                "department": zone.departments[department] if department else None,
                "email": f"{username}@zoneguard.invalid",
            },
        )
        user.set_password(zone.password)
        user.save(update_fields=["password"])
        users[username] = user
    return users


def _month_back(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _projects(zone: Any, commander: User) -> None:
    today = zone.today
    organisations, departments = zone.organisations, zone.departments
    construction = zone.sectors.get("construction")
    by_name: dict[str, Project] = {}
    for name, site, kind, total, plan, started, months, workers in PROJECTS:
        project = services.project_create(
            actor=commander,
            data={
                "name": name,
                "owner": organisations[GROUP],
                "sector": construction,
                "kind": kind,
                "department": departments["jianshe"],
                "total_investment": Decimal(total),
                "plan_year": today.year,
                "year_planned_investment": Decimal(plan),
                "planned_start": today - timedelta(days=started + 30),
                "planned_completion": today + timedelta(days=365 + started // 2),
            },
            building_sites=[organisations[site]],
        )
        # Building, stopped for the Spring Festival and the epidemic, resumed once the site's
        # prevention plan was filed.
        for status, days_ago in (("under_construction", started), ("suspended", 38), ("resumed", 12)):
            services.project_change_status(
                actor=commander, project=project, status=status, on=today - timedelta(days=days_ago)
            )
        for back, invested in zip((2, 1, 0), months, strict=True):
            month = _month_back(today, back)
            services.progress_report(
                actor=commander,
                project=project,
                month=month,
                invested=Decimal(invested),
                workers_on_site=workers if back == 0 else (workers // 6 if back == 1 else workers),
                note="复工复产" if back == 0 else "",
            )
        by_name[name] = project
    for project_name, contractor, number, amount, payments in CONTRACTS:
        contract = services.contract_add(
            actor=commander,
            project=by_name[project_name],
            data={
                "contractor": contractor,
                "number": number,
                "title": "施工总承包",
                "amount": Decimal(amount),
                "signed_on": today - timedelta(days=400),
            },
        )
        for days_ago, paid, source in payments:
            services.disbursement_record(
                actor=commander,
                contract=contract,
                amount=Decimal(paid),
                paid_on=today - timedelta(days=days_ago),
                funding_source=source,
                note="拨付工程款",
            )
    for project_name, milestone, planned, reached in MILESTONES:
        services.milestone_add(
            actor=commander,
            project=by_name[project_name],
            data={
                "name": milestone,
                "planned_on": today + timedelta(days=planned),
                "achieved_on": today - timedelta(days=reached) if reached is not None else None,
            },
        )
    for project_name, description, department, due, state in RISKS:
        risk = services.risk_add(
            actor=commander,
            project=by_name[project_name],
            data={
                "description": description,
                "department": departments[department],
                "raised_on": today - timedelta(days=RISKS_RAISED_DAYS_AGO),
                "due_on": today + timedelta(days=due),
            },
        )
        if state != "open":
            services.risk_set_state(actor=commander, risk=risk, state=state, on=today - timedelta(days=2))


def _leads(zone: Any, officer: User) -> None:
    today = zone.today
    ict = zone.sectors.get("ict")
    for company, sector, origin, estimate, stages, next_step in LEADS:
        (first, first_days, _reason), *later = stages
        data: dict[str, Any] = {
            "company_name": company,
            "sector": sector,
            "origin": origin,
            "estimated_investment": Decimal(estimate),
        }
        if next_step is not None:
            text, owner, in_days = next_step
            data.update(next_step=text, next_step_owner=owner, next_step_on=today + timedelta(days=in_days))
        lead = services.lead_create(actor=officer, data=data, stage=first, on=today - timedelta(days=first_days))
        for stage, days_ago, reason in later:
            lead = services.lead_change_stage(
                actor=officer, lead=lead, stage=stage, on=today - timedelta(days=days_ago), reason=reason
            )
        if lead.stage in {"registered", "started"}:
            services.lead_register_organisation(actor=officer, lead=lead, sector=ict)
        if lead.stage == "started":
            services.lead_start_project(
                actor=officer,
                lead=lead,
                department=zone.departments["zhaoshang"],
                kind="industrial",
                plan_year=today.year,
                year_planned_investment=Decimal("6000.00"),
            )


def load(zone: Any) -> None:
    if "zhaoshang" in zone.departments:
        LeadDesk.objects.get_or_create(department=zone.departments["zhaoshang"])
    users = _users(zone)
    commander = zone.users.get("commander")
    needed = (GROUP, *(site for _n, site, *_rest in PROJECTS))
    if (
        commander is not None
        and not Project.objects.exists()  # loaded before: the story stands as it was
        and all(name in zone.organisations for name in needed)
        and {"jianshe", "zhengshou", "caizheng"} <= set(zone.departments)
    ):
        _projects(zone, commander)
    officer = users.get("zhaoshang")
    if officer is not None and not Lead.objects.exists():
        _leads(zone, officer)
