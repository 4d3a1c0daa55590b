"""One demo user per role (see zoneguard/demo/builder.py)."""

from __future__ import annotations

from typing import Any

from zoneguard.core.roles import Role

from .models import User

# username, full name, role, organisation name, department code, duty officer
DEMO_USERS = [
    ("commander", "高新区指挥长", Role.COMMANDER, "", "", True),
    ("officer", "经发局干部", Role.DEPARTMENT_OFFICER, "", "jingfa", True),
    ("taxofficer", "税务局办税员", Role.DEPARTMENT_OFFICER, "", "shuiwu", False),
    ("tracer", "社会事务局流调员", Role.DEPARTMENT_OFFICER, "", "shiwu", False),
    ("jinhua", "金化科技防疫联络员", Role.ORGANISATION_ADMIN, "湖南金化科技集团有限公司", "", False),
    ("hongkun", "泓坤医疗防疫联络员", Role.ORGANISATION_ADMIN, "湖南泓坤医疗器械有限公司", "", False),
    ("gate", "金化科技门岗", Role.GATE_OFFICER, "湖南金化科技集团有限公司", "", False),
    ("community", "祥光社区工作人员", Role.COMMUNITY_WORKER, "祥光社区", "", False),
    ("qingfeng", "青峰社区工作人员", Role.COMMUNITY_WORKER, "青峰社区", "", False),
    ("volunteer", "张青葵", Role.VOLUNTEER, "", "", False),
    ("courier", "欧召应", Role.VOLUNTEER, "", "", False),
]


def load(zone: Any) -> None:
    for username, full_name, role, organisation, department, duty in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "is_duty_officer": duty,
                "is_active": True,
                "organisation": zone.organisations[organisation] if organisation else None,
                "department": zone.departments[department] if department else None,
                "email": f"{username}@zoneguard.invalid",
            },
        )
        user.set_password(zone.password)
        user.save(update_fields=["password"])
        zone.users[username] = user
