"""One demo user per role (see zoneguard/demo/builder.py); the commander's and officers'
authenticator with a fixed key, printed and in the README; an enterprise application waiting for
经发局 and an invitation still open."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.core.roles import Role
from zoneguard.registry.demo import make_credit_code

from .models import ApplicationStatus, Invitation, OrganisationApplication, User, hash_token
from .second_factor import requires_second_factor

# The demo's authenticator key for the commander and officers: type it into an authenticator app
# (base32 LJXW4ZKHOVQXEZCEMVWW6VCPKRIDEMBS), as the README says. A demo only: a real zone's users
# set up their own.
DEMO_TOTP_KEY = "5a6f6e65477561726444656d6f544f5450323032"
DEMO_TOTP_SECRET = "LJXW4ZKHOVQXEZCEMVWW6VCPKRIDEMBS"
# The open invitation's link token, fixed so that loading again finds the same invitation.
DEMO_INVITATION_TOKEN = "inv_demo-jinhua-east-gate"

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
    for username in ("commander", "officer", "taxofficer", "tracer"):
        user = zone.users[username]
        if requires_second_factor(user):
            TOTPDevice.objects.update_or_create(
                user=user, name="authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )
    zone.log.append(
        f"Two-factor sign-in of commander, officer, taxofficer, tracer: authenticator key {DEMO_TOTP_SECRET}"
    )

    OrganisationApplication.objects.get_or_create(
        credit_code=make_credit_code(901),
        status=ApplicationStatus.PENDING,
        defaults={
            "name": "湖南衡新电子科技有限公司",
            "kind": "enterprise",
            "sector": zone.sectors.get("ict"),
            "address": "衡阳高新区华新大道18号",
            "total_staff": 65,
            "contact_name": "刘衡新",
            "contact_phone": "13973400901",
            "contact_email": "liu@hengxin.invalid",
        },
    )
    invitation, created = Invitation.objects.get_or_create(
        token_hash=hash_token(DEMO_INVITATION_TOKEN),
        defaults={
            "role": Role.GATE_OFFICER,
            "organisation": zone.organisations["湖南金化科技集团有限公司"],
            "full_name": "金化科技东门门岗",
            "phone": "13973400902",
            "created_by": zone.users["jinhua"],
            "expires_at": timezone.now() + timedelta(hours=settings.INVITATION_HOURS),
        },
    )
    if not created and invitation.accepted_at is None and invitation.revoked_at is None:
        # Loaded again days later: the invitation is still open.
        invitation.expires_at = timezone.now() + timedelta(hours=settings.INVITATION_HOURS)
        invitation.save(update_fields=["expires_at"])
    zone.log.append(f"An open invitation (金化科技's east gate): /accounts/invitations/accept/{DEMO_INVITATION_TOKEN}/")
