"""Key tasks of department A (经发局) for the first quarter of 2020: officer_a answers for them,
officer_a2 is another officer of the same department, officer_b belongs to department B; and an
active assessment scheme. The clock is set by each test (the story's February)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (a gate's token: reaches no item)
from zoneguard.testing import make_user

from .. import services
from ..models import AssessmentScheme, KeyTask, TaskItem

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@dataclass
class Plan:
    task: KeyTask
    task_b: KeyTask
    item: TaskItem  # officer_a's, due 2020-02-20
    other_item: TaskItem  # officer_a2's, due 2020-02-20
    item_b: TaskItem  # department B's
    scheme: AssessmentScheme


def evidence(name: str = "photo.jpg", content: bytes = b"\xff\xd8\xff evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def plan(zone: Any, settings: Any, tmp_path: Any) -> Plan:
    settings.MEDIA_ROOT = tmp_path
    zone.users["officer_a2"] = make_user("officer_a2", Role.DEPARTMENT_OFFICER, department=zone.department_a)
    task = services.task_create(
        actor=zone.commander,
        department=zone.department_a,
        year=2020,
        quarter=1,
        kind="project",
        title="重点项目开工",
        target="一季度开工项目 5 个",
        target_quantity=Decimal("5"),
        unit="个",
    )
    task_b = services.task_create(
        actor=zone.officer_b,
        department=zone.department_b,
        year=2020,
        quarter=1,
        kind="project",
        title="在建项目复工",
        target="复工率 100%",
    )
    make = services.item_create
    return Plan(
        task=task,
        task_b=task_b,
        item=make(
            actor=zone.officer_a,
            task=task,
            due_on=date(2020, 2, 20),
            title="对接金化科技二期开工",
            expected_result="开工报告",
            responsible=zone.officer_a,
        ),
        other_item=make(
            actor=zone.officer_a,
            task=task,
            due_on=date(2020, 2, 20),
            title="核实用地手续",
            expected_result="手续清单",
            responsible=zone.officer_a2,
        ),
        item_b=make(
            actor=zone.officer_b,
            task=task_b,
            due_on=date(2020, 2, 20),
            title="工地防疫检查",
            expected_result="检查记录",
            responsible=zone.officer_b,
        ),
        scheme=AssessmentScheme.objects.create(
            name="2020年一季度督查考核办法",
            weights={"project": "1.50", "investment": "1.20"},
            per_overdue_day=Decimal("1"),
            item_cap=Decimal("5"),
            early_bonus=Decimal("0.5"),
            monthly_bonus_cap=Decimal("5"),
            floor=Decimal("60"),
        ),
    )


@pytest.fixture
def concurrent_db(plan: Plan, tmp_path: Any) -> Any:
    from zoneguard.testing import database_shared_by_threads

    with database_shared_by_threads(tmp_path):
        yield plan
