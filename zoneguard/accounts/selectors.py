"""Who to tell (the recipient groups other modules notify), and the accounts, invitations and
enterprise applications each manager sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.core.errors import NotFound
from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping
from zoneguard.registry.models import Department, Sector
from zoneguard.registry.selectors import SUGGESTIONS

from .models import ApiToken, ApplicationStatus, Invitation, InvitationState, OrganisationApplication, User


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def commanders() -> QuerySet[User]:
    return active_users().filter(role=Role.COMMANDER)


def duty_officers() -> QuerySet[User]:
    """The zone's duty officers; when nobody is marked on duty, the commanders stand in."""
    on_duty = active_users().filter(is_duty_officer=True)
    return on_duty if on_duty.exists() else commanders()


def organisation_admins(*, organisation_id: int) -> QuerySet[User]:
    return active_users().filter(role=Role.ORGANISATION_ADMIN, organisation_id=organisation_id)


def department_officers(*, department_id: int) -> QuerySet[User]:
    return active_users().filter(role=Role.DEPARTMENT_OFFICER, department_id=department_id)


def department_heads(*, department_id: int) -> list[User]:
    """Who answers for a department's late work: its head, or without an active one every officer."""
    head = User.objects.filter(pk=Department.objects.filter(pk=department_id).values("head_id")[:1]).first()
    if head is not None and head.is_active and head.department_id == department_id:
        return [head]
    return list(department_officers(department_id=department_id).order_by("id"))


def device_organisations_q(actor: User, path: str = "") -> Q:
    """The organisations (through `path`) whose gate devices the actor issues tokens for: every one
    for the commander; an organisation admin their own organisation and its units, whose gates they
    run. Departments supervise organisations, they do not install their gates."""
    prefix = f"{path}__" if path else ""
    if not is_active_user(actor):
        return scoping.NOTHING
    if is_commander(actor):
        return Q()
    if actor.role == Role.ORGANISATION_ADMIN and actor.organisation_id:
        return Q(**{f"{prefix}pk": actor.organisation_id}) | Q(**{f"{prefix}parent_id": actor.organisation_id})
    return scoping.NOTHING


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    """The commander's every token; anyone else their own, and an organisation admin the device
    tokens of their organisations' sites too."""
    qs = ApiToken.objects.select_related("user", "site__organisation").order_by("-created_at", "-id")
    if actor.is_commander:
        return qs
    devices = device_organisations_q(actor, "site__organisation")
    if devices == scoping.NOTHING:
        return qs.filter(user=actor)
    return qs.filter(Q(user=actor) | (Q(site__isnull=False) & devices))


# --- User management ---------------------------------------------------------------------------

# Who manages accounts at all: the zone, the departments, the organisations, the communities.
MANAGER_ROLES = frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.COMMUNITY_WORKER})


def is_manager(actor: Any) -> bool:
    return is_active_user(actor) and (is_commander(actor) or actor.role in MANAGER_ROLES)


def users_q(actor: Any) -> Q:
    """The accounts a manager sees: the commander every one; others the accounts of the
    organisations in their scope, a department officer their department's too, a community worker
    the volunteers their community invited."""
    if not is_manager(actor):
        return scoping.NOTHING
    if is_commander(actor):
        return Q()
    q = scoping.organisation_q(actor, "organisation") & Q(organisation__isnull=False)
    if actor.role == Role.DEPARTMENT_OFFICER and actor.department_id:
        q |= Q(department_id=actor.department_id)
    if actor.role == Role.COMMUNITY_WORKER and actor.organisation_id:
        q |= Q(role=Role.VOLUNTEER, invitation__created_by__organisation_id=actor.organisation_id)
    return q


def _with_second_factor(users: QuerySet[User]) -> QuerySet[User]:
    return users.annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)))


def user_list(*, actor: Any, role: str = "", state: str = "", q: str = "") -> QuerySet[User]:
    users = _with_second_factor(User.objects.filter(users_q(actor)).select_related("organisation", "department"))
    if role:
        users = users.filter(role=role)
    if state == "active":
        users = users.filter(is_active=True)
    elif state == "inactive":
        users = users.filter(is_active=False)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return users.order_by("username")


def user_suggestions(*, actor: Any, text: str) -> list[dict[str, Any]]:
    """A few active accounts in the manager's scope whose username or full name holds the text,
    for a user field's suggestions; each labelled by its username, which the field looks up."""
    text = text.strip()
    if not text:
        return []
    users = User.objects.filter(users_q(actor), Q(username__icontains=text) | Q(full_name__icontains=text))
    found = users.filter(is_active=True).order_by("username").values_list("pk", "username")[:SUGGESTIONS]
    return [{"id": pk, "label": username} for pk, username in found]


def user_access(*, actor: Any, pk: int) -> User:
    found = _with_second_factor(User.objects.filter(users_q(actor)).select_related("organisation", "department"))
    user = found.filter(pk=pk).first()
    if user is None:
        raise NotFound()
    return user


# --- Invitations -------------------------------------------------------------------------------


def invitations_q(actor: Any) -> Q:
    """Invitations a manager sees: the ones they sent, and those to places in their scope."""
    if not is_manager(actor):
        return scoping.NOTHING
    if is_commander(actor):
        return Q()
    q = Q(created_by_id=actor.pk) | (scoping.organisation_q(actor, "organisation") & Q(organisation__isnull=False))
    if actor.role == Role.DEPARTMENT_OFFICER and actor.department_id:
        q |= Q(department_id=actor.department_id)
    return q


def invitation_list(*, actor: Any, state: str = "") -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(invitations_q(actor)).select_related(
        "organisation", "department", "created_by", "user"
    )
    now = timezone.now()
    if state == InvitationState.OPEN:
        invitations = invitations.open()
    elif state == InvitationState.ACCEPTED:
        invitations = invitations.filter(accepted_at__isnull=False)
    elif state == InvitationState.REVOKED:
        invitations = invitations.filter(accepted_at__isnull=True, revoked_at__isnull=False)
    elif state == InvitationState.EXPIRED:
        invitations = invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now)
    return invitations


def invitation_access(*, actor: Any, pk: int) -> Invitation:
    invitation = invitation_list(actor=actor).filter(pk=pk).first()
    if invitation is None:
        raise NotFound()
    return invitation


# --- Enterprise applications -------------------------------------------------------------------


def applications_q(actor: Any) -> Q:
    """The commander sees every application; a department officer those of the kinds and sectors
    their department is competent for (the fields the registry's competence rules read)."""
    if not is_active_user(actor):
        return scoping.NOTHING
    if is_commander(actor):
        return Q()
    return scoping.competence_q(actor)


def application_list(*, actor: Any, status: str = "") -> QuerySet[OrganisationApplication]:
    applications = OrganisationApplication.objects.filter(applications_q(actor)).select_related(
        "sector", "decided_by", "organisation"
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def application_access(*, actor: Any, pk: int) -> OrganisationApplication:
    application = application_list(actor=actor).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


def pending_application_count(*, actor: Any) -> int:
    return application_list(actor=actor, status=ApplicationStatus.PENDING).count()


def department(*, pk: int) -> Department:
    """A department to invite an officer to (departments are no secret among managers)."""
    found = Department.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise NotFound()
    return found


def sector(*, pk: int) -> Sector:
    found = Sector.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
