"""What dispatch offers a home page: the owner of a project the months it has yet to report; the
departments the risks past their due date; the investment attraction department the leads whose
next step is due."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import Role, is_commander

from . import access, lifecycle, selectors
from .models import Lead, MonthlyProgress, ProjectStatus


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
        if is_commander(user):
            items.extend(_investment_figures(projects, today.year))
        overdue = selectors.overdue_risks(actor=user).count()
        if overdue:
            items.append(
                HomeItem(
                    _("Project risks past their due date"),
                    reverse("dispatch:projects") + "?risks_overdue=on",
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


def _investment_figures(projects: Any, year: int) -> list[HomeItem]:
    """The commander's tiles: this year's investment against the plan, and how many of the
    projects that had started are building again."""
    this_year = projects.filter(plan_year=year)
    totals = selectors.project_totals(this_year)
    items = []
    if totals.count:
        invested = selectors.money(
            MonthlyProgress.objects.filter(project__in=this_year.values("pk"), month__year=year).aggregate(
                total=Sum("invested")
            )["total"]
        )
        share = lifecycle.share_of_plan(invested, totals.year_planned_investment)
        items.append(
            HomeItem(
                _("Investment this year (10k yuan)"),
                reverse("dispatch:table"),
                value=f"{invested}",
                detail=_("%(share)s%% of the plan of %(plan)s")
                % {"share": share if share is not None else "—", "plan": totals.year_planned_investment},
                order=60,
            )
        )
    started = projects.filter(status__in=sorted(lifecycle.STARTED - {ProjectStatus.COMPLETED}))
    count = started.count()
    if count:
        building = started.filter(status__in=sorted(lifecycle.BUILDING)).count()
        items.append(
            HomeItem(
                _("Projects building"),
                reverse("dispatch:projects"),
                value=f"{building} / {count}",
                detail=_("under construction or resumed, of those started"),
                order=61,
            )
        )
    return items
