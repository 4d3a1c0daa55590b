"""What dispatch offers a home page: the owner of a project the months it has yet to report; the
departments the risks past their due date; the investment attraction department the leads whose
next step is due."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import Role

from . import access, selectors
from .models import Lead, MonthlyProgress, ProjectStatus, Risk, RiskState


def home_items(user: Any) -> list[HomeItem]:
    items: list[HomeItem] = []
    today = timezone.localdate()
    if access.sees_projects(user):
        projects = selectors.project_list(actor=user)
        if user.role == Role.ORGANISATION_ADMIN:
            month = today.replace(day=1)
            building = projects.filter(status__in=[ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.RESUMED])
            reported = MonthlyProgress.objects.filter(project__in=building.values("pk"), month=month)
            missing = building.count() - reported.count()
            if missing > 0:
                items.append(
                    HomeItem(
                        _("Projects to report this month's progress"),
                        reverse("dispatch:projects"),
                        value=str(missing),
                        tone=Tone.WARN,
                        order=35,
                    )
                )
            return items
        risks = Risk.objects.filter(project__in=projects.values("pk"), due_on__lt=today).exclude(
            state=RiskState.RESOLVED
        )
        if user.department_id:
            risks = risks.filter(department_id=user.department_id)
        overdue = risks.count()
        if overdue:
            items.append(
                HomeItem(
                    _("Project risks past their due date"),
                    reverse("dispatch:projects"),
                    value=str(overdue),
                    tone=Tone.BAD,
                    order=36,
                )
            )
    if access.owns_leads(user):
        due = Lead.objects.filter(access.lead_q(user), next_step_on__lte=today).count()
        if due:
            items.append(
                HomeItem(
                    _("Investment leads whose next step is due"),
                    reverse("dispatch:leads"),
                    value=str(due),
                    tone=Tone.WARN,
                    order=37,
                )
            )
    return items
