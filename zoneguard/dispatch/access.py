"""Who sees and does what in economic dispatch.

Projects:
- the commander sees and edits every project;
- a department officer sees the projects their department is responsible for, those of owners
  their department is competent for (registry scoping), and those with a risk their department
  owns (it has to solve it); the responsible department's officers keep the project (milestones,
  risks, contracts, disbursements, status);
- an organisation admin sees their organisation's projects (and its subsidiaries', as the registry
  scopes them) and reports their monthly progress, nothing else;
- anyone else, a device token included: nothing.

Leads: the commander and the officers of an investment attraction department (LeadDesk).
Out of scope is "not found", never "forbidden"."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping

from .models import LeadDesk, Risk

NOTHING = scoping.NOTHING


def project_q(actor: User | None, path: str = "") -> Q:
    """The projects (a Q over Project, or over a model reaching it through `path`) the actor sees."""
    if not is_active_user(actor):
        return NOTHING
    if is_commander(actor):
        return Q()
    prefix = f"{path}__" if path else ""
    if actor.role == Role.DEPARTMENT_OFFICER and actor.department_id:
        owners = scoping.organisation_q(actor, f"{prefix}owner")
        risks = Risk.objects.filter(department_id=actor.department_id).values("project_id")
        return (
            Q(**{f"{prefix}department_id": actor.department_id})
            | Q(**{f"{prefix}id__in": risks})
            | (owners if owners != NOTHING else NOTHING)
        )
    if actor.role == Role.ORGANISATION_ADMIN and actor.organisation_id:
        return scoping.organisation_q(actor, f"{prefix}owner")
    return NOTHING


def sees_projects(actor: User | None) -> bool:
    return project_q(actor) != NOTHING


def keeps_project(actor: User | None, project: Any) -> bool:
    """Edits the project and its milestones, risks, contracts and disbursements."""
    return is_commander(actor) or (
        is_active_user(actor)
        and actor.role == Role.DEPARTMENT_OFFICER
        and actor.department_id is not None
        and actor.department_id == project.department_id
    )


def may_create_project(actor: User | None, department_id: int | None = None) -> bool:
    """The commander for any department; an officer for their own department."""
    if is_commander(actor):
        return True
    return (
        is_active_user(actor)
        and actor.role == Role.DEPARTMENT_OFFICER
        and actor.department_id is not None
        and (department_id is None or department_id == actor.department_id)
    )


def reports_progress(actor: User | None, project: Any) -> bool:
    """Those who keep the project, and the owner organisation's admins."""
    if keeps_project(actor, project):
        return True
    return (
        is_active_user(actor)
        and actor.role == Role.ORGANISATION_ADMIN
        and actor.organisation_id is not None
        and scoping.organisation_in_scope(actor, project.owner)
    )


def owns_leads(actor: User | None) -> bool:
    if is_commander(actor):
        return True
    if not is_active_user(actor) or actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return False
    cached = getattr(actor, "_zoneguard_lead_desk", None)
    if cached is None:
        cached = LeadDesk.objects.filter(department_id=actor.department_id).exists()
        actor._zoneguard_lead_desk = cached  # type: ignore[attr-defined]
    return bool(cached)


def lead_q(actor: User | None) -> Q:
    return Q() if owns_leads(actor) else NOTHING


def sees_dispatch(actor: User | None) -> bool:
    return sees_projects(actor) or owns_leads(actor)
