"""Who sees which organisations: the one scoping mechanism every selector and API handler uses.

- the commander (and a superuser) sees the whole zone;
- an organisation admin sees their organisation and the organisations it is parent of
  (the investment group and its building projects);
- a gate officer sees their own organisation;
- a community worker sees the community and the organisations registered in it;
- a department officer sees the organisations their department supervises (CompetenceRule: by
  kind and/or sector); those it only serves (the tax bureau's taxpayers) only where its module
  asks for them (`served=True`);
- a device (a gate's token, accounts/auth.py) sees nothing: it operates the gate of its one site
  (`gate_site_q`) and reads nothing else;
- anyone else sees nothing.

`organisation_q(actor, path)` returns a Q over any model that reaches an organisation through
`path` (e.g. "organisation" on Site, "" on Organisation itself), so lists filter in the database.
Objects outside the scope are answered as "not found", never as "forbidden", so their existence
is not disclosed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from zoneguard.core.roles import GATE_ROLES, Role, is_commander
from zoneguard.core.roles import is_active_user as _is_active_user

from .models import CompetenceRule, Membership, Organisation

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

NOTHING = Q(pk__in=[])


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def competence_rules(actor: User, *, served: bool = False) -> list[tuple[str, int | None]]:
    """(kind, sector id) pairs of the actor's department's supervising rules, or with `served`
    its serving rules too (CompetenceRule.supervises), read once per actor object."""
    if not actor.department_id:
        return []
    cached = getattr(actor, "_zoneguard_competence", None)
    if cached is None or getattr(actor, "_zoneguard_competence_generation", None) != _generation[0]:
        actor._zoneguard_competence_generation = _generation[0]  # type: ignore[attr-defined]
        cached = list(
            CompetenceRule.objects.filter(department_id=actor.department_id).values_list(
                "organisation_kind", "sector_id", "supervises"
            )
        )
        actor._zoneguard_competence = cached  # type: ignore[attr-defined]
    return [(kind, sector) for kind, sector, supervises in cached if served or supervises]


def _rule_q(prefix: str, kind: str, sector_id: int | None) -> Q:
    q = Q()
    if kind:
        q &= Q(**{f"{prefix}kind": kind})
    if sector_id:
        q &= Q(**{f"{prefix}sector_id": sector_id})
    return q


def _scope_filter(actor: User, served: bool = False) -> Q | None:
    """The actor's organisations as a Q over Organisation itself; None for the whole zone."""
    if not _is_active_user(actor):
        return NOTHING
    if is_commander(actor):
        return None
    role = actor.role
    if role == Role.DEPARTMENT_OFFICER:
        if not actor.department_id:
            return NOTHING
        rules = competence_rules(actor, served=served)
        if not rules:
            return NOTHING
        combined = NOTHING
        for kind, sector_id in rules:
            rule = _rule_q("", kind, sector_id)
            if not rule:  # a rule matching every organisation
                return Q()
            combined |= rule
        return combined
    org_id = actor.organisation_id
    if not org_id:
        return NOTHING
    if role == Role.ORGANISATION_ADMIN:
        return Q(id=org_id) | Q(parent_id=org_id)
    if role == Role.COMMUNITY_WORKER:
        return Q(id=org_id) | Q(community_id=org_id)
    if role == Role.GATE_OFFICER:
        return Q(id=org_id)
    return NOTHING


def competence_q(actor: User, path: str = "") -> Q:
    """What a department is competent for, as a Q over anything with an organisation's `kind` and
    `sector` (reached through `path`): an organisation not created yet, such as an enterprise's
    application. The commander everything; others nothing."""
    if not _is_active_user(actor):
        return NOTHING
    if is_commander(actor):
        return Q()
    if actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return NOTHING
    combined = NOTHING
    for kind, sector_id in competence_rules(actor):
        rule = _rule_q(_prefix(path), kind, sector_id)
        if not rule:  # a rule matching every organisation
            return Q()
        combined |= rule
    return combined


def organisation_ids(actor: User, *, served: bool = False) -> list[int] | None:
    """The ids of the organisations the actor sees, read once per actor object (a request's user);
    None for the whole zone. `served`: with those a department only serves (organisation_q).

    Lists filter on `organisation_id IN (ids)` rather than on the organisation's own columns
    (`organisation = X OR organisation.parent = X`, a department's kinds and sectors): a condition
    on a joined table cannot use the index on (organisation, time), a list of ids can."""
    attribute = "_zoneguard_served_ids" if served else "_zoneguard_scope_ids"
    cached = getattr(actor, attribute, None)
    if cached is not None and cached[0] == _generation[0]:
        return cached[1]
    scope = _scope_filter(actor, served)
    ids: list[int] | None
    if scope is None or scope == Q():  # the whole zone
        ids = None
    elif scope == NOTHING:
        ids = []
    else:
        ids = list(Organisation.objects.filter(scope).order_by("id").values_list("id", flat=True))
    if getattr(actor, "pk", None) is not None:
        setattr(actor, attribute, (_generation[0], ids))
    return ids


# Bumped whenever an organisation or a competence rule is written (registry/apps.py connects the
# signals), so that ids read earlier in the same request are read again after the change.
_generation = [0]


def scope_changed(**kwargs: Any) -> None:
    _generation[0] += 1


def organisation_q(actor: User, path: str = "", *, served: bool = False) -> Q:
    """The organisations the actor sees (reached through `path`). A department officer sees those
    their department supervises; with `served`, also those it only serves (the tax bureau's
    taxpayers, for the tax module)."""
    if not _is_active_user(actor):
        return NOTHING
    if is_commander(actor):
        return Q()
    ids = organisation_ids(actor, served=served)
    prefix = _prefix(path)
    if ids is None:  # a department competent for every organisation: those with one
        return Q(**{f"{prefix}isnull": False}) if prefix else Q()
    if not ids:
        return NOTHING
    # `organisation__id__in` is read by Django as the foreign key column itself, without a join.
    return Q(**{f"{prefix}id__in": ids})


def gate_site_q(actor: User) -> Q:
    """The sites (a Q over Site) whose gate the actor may operate: record check-ins, upload an
    offline batch. A device its own site (a device account without a site restriction: its
    organisation's sites); the commander, organisation admins and gate officers the sites of their
    scope."""
    if not _is_active_user(actor):
        return NOTHING
    if actor.role == Role.DEVICE:
        if not actor.organisation_id:
            return NOTHING
        q = Q(organisation_id=actor.organisation_id)
        return q & Q(pk=actor.device_site_id) if actor.device_site_id is not None else q
    if actor.is_superuser or actor.role in GATE_ROLES:
        return organisation_q(actor, "organisation")
    return NOTHING


def gate_site_allowed(actor: User, site: Any) -> bool:
    """`gate_site_q` evaluated on a site already loaded with its organisation, without a query (the
    check-in's hot path). Must agree with gate_site_q; a test compares them."""
    if not _is_active_user(actor):
        return False
    if actor.role == Role.DEVICE:
        return (
            bool(actor.organisation_id)
            and site.organisation_id == actor.organisation_id
            and (actor.device_site_id is None or site.pk == actor.device_site_id)
        )
    if actor.is_superuser or actor.role in GATE_ROLES:
        return organisation_in_scope(actor, site.organisation)
    return False


def visible_organisations(actor: User) -> Any:
    return Organisation.objects.filter(organisation_q(actor))


def can_see_organisation(actor: User, organisation: Organisation) -> bool:
    return visible_organisations(actor).filter(pk=organisation.pk).exists()


def can_manage_organisation(actor: User, organisation: Organisation) -> bool:
    """Change the organisation's registry data, its sites and staff."""
    if not _is_active_user(actor):
        return False
    if is_commander(actor):
        return True
    if actor.role == Role.ORGANISATION_ADMIN:
        return actor.organisation_id is not None and actor.organisation_id in {organisation.pk, organisation.parent_id}
    if actor.role == Role.DEPARTMENT_OFFICER:
        return is_competent_for(actor, kind=organisation.kind, sector_id=organisation.sector_id)
    return False


def can_manage_members(actor: User, organisation: Organisation) -> bool:
    """Register people into an organisation and keep its list: those who manage the organisation,
    and a community worker their own community's residents (people sent home to isolate, say)."""
    return can_manage_organisation(actor, organisation) or (
        _is_active_user(actor)
        and actor.role == Role.COMMUNITY_WORKER
        and organisation.kind == "community"
        and actor.organisation_id == organisation.pk
    )


def is_competent_for(actor: User, *, kind: str, sector_id: int | None, served: bool = False) -> bool:
    """Whether a department officer's supervising rules (with `served`, their serving rules too)
    cover an organisation of this kind and sector."""
    if not _is_active_user(actor) or actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return False
    return any(
        (not rule_kind or rule_kind == kind) and (not rule_sector or rule_sector == sector_id)
        for rule_kind, rule_sector in competence_rules(actor, served=served)
    )


def can_create_organisation(actor: User, *, kind: str, sector_id: int | None) -> bool:
    return is_commander(actor) or is_competent_for(actor, kind=kind, sector_id=sector_id)


def people_q(actor: User) -> Q:
    """People are seen through their memberships: staff and residents of visible organisations."""
    if is_commander(actor):
        return Q()
    org_q = organisation_q(actor, "organisation")
    if org_q == NOTHING:
        return NOTHING
    return Q(pk__in=Membership.objects.filter(org_q).values("person_id"))


def personal_data_organisation_q(actor: User, path: str = "organisation") -> Q:
    """Organisations (reached through `path`) whose own records of people, their memberships, the
    actor may read in full: an organisation admin the organisations they manage, a community
    worker their community. The commander reads the registry itself; officers and gate officers
    see masks."""
    if is_commander(actor):
        return Q()
    if not _is_active_user(actor) or not actor.organisation_id:
        return NOTHING
    prefix = _prefix(path)
    if actor.role == Role.ORGANISATION_ADMIN:
        return Q(**{f"{prefix}id": actor.organisation_id}) | Q(**{f"{prefix}parent_id": actor.organisation_id})
    if actor.role == Role.COMMUNITY_WORKER:
        return Q(**{f"{prefix}id": actor.organisation_id})
    return NOTHING


def personal_data_organisations(actor: User) -> Any:
    return Organisation.objects.filter(personal_data_organisation_q(actor, ""))


def personal_data_q(actor: User) -> Q:
    """People (a Q over Person) whose full ID number and phone the actor may read: for everyone
    but the commander, as their own organisations recorded them (Membership)."""
    if is_commander(actor):
        return Q()
    org_q = personal_data_organisation_q(actor)
    if org_q == NOTHING:
        return NOTHING
    return Q(pk__in=Membership.objects.filter(org_q).values("person_id"))


def organisation_in_scope(actor: User, organisation: Organisation) -> bool:
    """`organisation_q` evaluated on an organisation already loaded, without a query (hot paths
    such as the gate check-in). Must agree with organisation_q; a test compares them."""
    if not _is_active_user(actor):
        return False
    if is_commander(actor):
        return True
    role = actor.role
    if role == Role.DEPARTMENT_OFFICER:
        return is_competent_for(actor, kind=organisation.kind, sector_id=organisation.sector_id)
    org_id = actor.organisation_id
    if not org_id:
        return False
    if role == Role.ORGANISATION_ADMIN:
        return org_id in {organisation.pk, organisation.parent_id}
    if role == Role.COMMUNITY_WORKER:
        return org_id in {organisation.pk, organisation.community_id}
    if role == Role.GATE_OFFICER:
        return org_id == organisation.pk
    return False
