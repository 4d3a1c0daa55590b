"""The demo's key tasks and their supervision, as the zone's economic dispatch meeting set them:
each department (经发, 建设, 招商, 规划, 征收办, 财政) broke the key work of last month and this month
down to the day ("细化落实到每一天"); most items were reported, a few are overdue, today's wait for
their report. The commander held one dispatch meeting, whose decisions became items and whose
minutes went out to the departments.

Dates are relative to the day of loading: "last month" and "this month" play the story's February
and March. Reports are filed through the services and then dated back to the day the story has
them, since the services date a report at the moment it is made."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role
from zoneguard.dispatch.models import Project
from zoneguard.registry.models import Department

from . import deadlines, services
from .models import AssessmentScheme, KeyTask, ProgressReport, TaskItem

# Department code → officer username and name (the 经发局's is the demo's "officer").
OFFICERS = {
    "jingfa": ("officer", "经发局干部"),
    "jianshe": ("jianshe", "建设局干部"),
    "zhaoshang": ("zhaoshang", "招商局干部"),
    "guihua": ("guihua", "规划局干部"),
    "zhengshou": ("zhengshou", "征收办干部"),
    "caizheng": ("caizheng", "财政局干部"),
}

# Department code → (kind, task, target, items as (days from today, title, expected result, outcome)).
# Outcome: "done" on its day, "early" (two days before), "late" (two days after), "partly",
# "blocked", "open" (not reported).
PLANS: dict[str, tuple[str, str, str, list[tuple[int, str, str, str]]]] = {
    "jingfa": (
        "service",
        "规上工业企业复工复产",
        "规上工业企业复工率 100%",
        [
            (-26, "摸排未复工规上企业", "未复工企业清单", "done"),
            (-19, "协调泓坤医疗熔喷布原材料", "供货协议", "early"),
            (-12, "金化科技员工返岗对接", "到岗人数日报", "late"),
            (-5, "复工率统计周报", "复工率周报", "done"),
            (-2, "帮扶企业用工缺口", "用工对接清单", "open"),
            (0, "复工企业防疫检查", "检查记录", "open"),
            (0, "更新复工复产日报", "复工率日报", "open"),
        ],
    ),
    "jianshe": (
        "project",
        "在建项目全面复工",
        "在建项目复工率 100%",
        [
            (-25, "新兴金融中心复工验收", "复工验收表", "done"),
            (-18, "杉杉奥特莱斯实名制通道启用", "通道验收记录", "early"),
            (-11, "雁鸣溪学校工地防疫检查", "检查记录", "done"),
            (-4, "高新现代城施工人员返岗", "返岗人数周报", "late"),
            (-1, "虚拟大学城复工方案备案", "备案回执", "blocked"),
            (0, "在建项目复工率日报", "复工率日报", "open"),
        ],
    ),
    "zhaoshang": (
        "investment",
        "5G、人工智能、物联网、智慧交通产业招商",
        "一季度签约项目 3 个",
        [
            (-24, "梳理 5G 产业链目标企业", "目标企业清单", "done"),
            (-17, "视频洽谈人工智能企业", "洽谈纪要", "done"),
            (-10, "物联网项目线上签约", "签约文本", "partly"),
            (-3, "智慧交通项目尽调", "尽调报告", "open"),
            (0, "招商项目周调度", "调度表", "open"),
        ],
    ),
    "guihua": (
        "land",
        "项目规划审批提速",
        "规划许可办理时限压缩 50%",
        [
            (-23, "总部基地规划方案审查", "审查意见", "early"),
            (-16, "创新中心规划许可", "规划许可证", "done"),
            (-9, "网上审批平台启用", "办件清单", "done"),
            (-2, "重点项目规划条件核定", "规划条件", "open"),
            (0, "审批事项日清", "办件日报", "open"),
        ],
    ),
    "zhengshou": (
        "land",
        "项目用地征收清零",
        "征收任务完成 100%",
        [
            (-22, "雁鸣溪片区入户丈量", "丈量台账", "done"),
            (-15, "征收补偿方案公示", "公示照片", "late"),
            (-8, "签订征收协议", "协议台账", "partly"),
            (-1, "交地验收", "交地确认书", "open"),
            (0, "征收进度日报", "进度日报", "open"),
        ],
    ),
    "caizheng": (
        "funds",
        "工程款拨付与资金保障",
        "一季度拨付工程款按进度 100%",
        [
            (-21, "核定高投集团工程款计划", "拨付计划", "done"),
            (-14, "拨付新兴金融中心工程款", "拨付凭证", "early"),
            (-7, "防疫专项资金下达", "资金文件", "done"),
            (-3, "企业贷款贴息兑现", "贴息清单", "open"),
            (0, "资金拨付日报", "拨付日报", "open"),
        ],
    ),
}

MINUTES = (
    "会议听取了经发、建设、招商、规划、征收办、财政和高投集团一季度工作计划及二、三月份重点工作安排。\n"
    "会议要求：各项目要加快开工建设；各部门要把重点工作细化落实到每一天；"
    "加强调度督查，严格考核兑现。招商引资瞄准5G、人工智能、物联网、智慧交通等产业。"
)


def _photo(title: str) -> SimpleUploadedFile:
    """A drawn placeholder: the demo needs an image, not a real photograph."""
    image = Image.new("RGB", (320, 200), "white")
    ImageDraw.Draw(image).text((16, 16), "EVIDENCE", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("evidence.png", buffer.getvalue(), content_type="image/png")


def _officer(zone: Any, code: str) -> User | None:
    department = zone.departments.get(code)
    if department is None:
        return None
    username, full_name = OFFICERS[code]
    user = zone.users.get(username)
    if user is None:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": Role.DEPARTMENT_OFFICER,
                "department": department,
                "email": f"{username}@zoneguard.invalid",
            },
        )
        if created:
            user.set_password(zone.password)
            user.save(update_fields=["password"])
    if user.role != Role.DEPARTMENT_OFFICER or user.department_id != department.pk:
        return None
    return user


def _task(zone: Any, cache: dict[Any, KeyTask], code: str, day: date, commander: User) -> KeyTask:
    year, quarter = deadlines.quarter_of(day)
    key = (code, year, quarter)
    if key not in cache:
        kind, title, target, _items = PLANS[code]
        cache[key] = services.task_create(
            actor=commander,
            department=zone.departments[code],
            year=year,
            quarter=quarter,
            kind=kind,
            title=title,
            target=target,
        )
    return cache[key]


def _backdate(zone: Any, item: TaskItem, day: date) -> None:
    moment = zone.at(day, 17, 30)
    ProgressReport.objects.filter(item=item).update(reported_at=moment)
    TaskItem.objects.filter(pk=item.pk).update(reported_at=moment)
    if TaskItem.objects.filter(pk=item.pk, status="done").exists():
        TaskItem.objects.filter(pk=item.pk).update(done_at=moment, done_on=day)


def _report(zone: Any, item: TaskItem, officer: User, outcome: str) -> None:
    if outcome == "open":
        return
    offset = {"early": -2, "late": 2}.get(outcome, 0)
    day = min(item.due_on + timedelta(days=offset), zone.today - timedelta(days=1))
    if outcome in ("done", "early", "late"):
        services.item_report(actor=officer, item=item, status="done", note="已按要求完成", files=[_photo(item.title)])
    elif outcome == "partly":
        services.item_report(actor=officer, item=item, status="partly", percent=60, note="正在推进")
    else:
        services.item_report(actor=officer, item=item, status="blocked", reason="施工方人员未全部返岗", percent=40)
    _backdate(zone, item, day)


def load(zone: Any) -> None:
    if KeyTask.objects.exists():  # loaded before: the story stands as it was
        return
    commander = zone.users.get("commander")
    if commander is None:
        return
    AssessmentScheme.objects.get_or_create(
        is_active=True,
        defaults={
            "name": "高新区重点工作督查考核办法",
            "weights": {"project": "1.50", "investment": "1.20", "land": "1.20", "funds": "1.00", "service": "1.00"},
            "base": Decimal("100"),
            "per_overdue_day": Decimal("1"),
            "item_cap": Decimal("5"),
            "early_bonus": Decimal("0.5"),
            "monthly_bonus_cap": Decimal("3"),
            "floor": Decimal("60"),
            "updated_by": commander,
        },
    )
    tasks: dict[Any, KeyTask] = {}
    officers: dict[str, User] = {}
    for code, (_kind, _title, _target, items) in PLANS.items():
        officer = _officer(zone, code)
        if officer is None:
            continue
        officers[code] = officer
        Department.objects.filter(pk=zone.departments[code].pk, head__isnull=True).update(head=officer)
        for offset, title, expected, outcome in items:
            day = zone.today + timedelta(days=offset)
            item = services.item_create(
                actor=commander,
                task=_task(zone, tasks, code, day, commander),
                due_on=day,
                cadence="weekly" if "周" in title else "daily",
                title=title,
                expected_result=expected,
                responsible=officer,
            )
            _report(zone, item, officer, outcome)
    _meeting(zone, commander, officers, tasks)
    zone.log.append(
        f"Supervision: {TaskItem.objects.count()} key-task items of {len(officers)} departments, one dispatch meeting."
    )


def _meeting(zone: Any, commander: User, officers: dict[str, User], tasks: dict[Any, KeyTask]) -> None:
    if "jingfa" not in officers or "jianshe" not in officers or "zhaoshang" not in officers:
        return
    held = zone.today - timedelta(days=7)
    meeting = services.meeting_create(
        actor=commander,
        title="一季度经济运行调度会",
        held_at=zone.at(held, 9, 0),
        place="管委会三楼会议室",
        video_link="https://meeting.zoneguard.invalid/dispatch",
        departments=[zone.departments[code] for code in officers],
    )
    by_code = {code: task for (code, _y, _q), task in sorted(tasks.items(), key=lambda kv: kv[0][1:])}
    services.agenda_add(actor=commander, meeting=meeting, title="在建项目复工进展", task=by_code["jianshe"])
    services.agenda_add(actor=commander, meeting=meeting, title="招商引资项目调度", task=by_code["zhaoshang"])
    services.agenda_add(actor=commander, meeting=meeting, title="企业复工复产困难帮扶", task=by_code["jingfa"])
    project = Project.objects.order_by("pk").first()  # the investment group's, when the dispatch demo has them
    if project is not None:
        services.agenda_add(actor=commander, meeting=meeting, title=f"{project.name}建设调度", project=project)
    services.meeting_minutes_save(actor=commander, meeting=meeting, minutes=MINUTES)
    for code, text, days in [
        ("jianshe", "在建项目全部落实实名制通道", 3),
        ("zhaoshang", "5G、人工智能项目一周内完成线上洽谈", 5),
        ("jingfa", "企业用工缺口清单报送指挥部", 2),
    ]:
        decision = services.decision_add(
            actor=commander,
            meeting=meeting,
            text=text,
            department=zone.departments[code],
            owner=officers[code],
            due_on=zone.today + timedelta(days=days),
        )
        services.decision_to_item(actor=commander, decision=decision)
    services.minutes_send(actor=commander, meeting=meeting)
