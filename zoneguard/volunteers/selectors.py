"""Reads of the volunteer corps, always through the actor's scope (access.py). Objects out of scope
are not found, whether they exist or not.

Other modules use `volunteer_of(user)` (the approved volunteer record of a signed-in user) and
`community_volunteers(community_id=)` (the approved volunteers of a community who have an
account), e.g. to hand an errand to a volunteer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from zoneguard.audit.services import audit_personal_read
from zoneguard.core.collation import PinyinOrder, pinyin_key
from zoneguard.core.errors import NotFound
from zoneguard.core.masking import mask_name
from zoneguard.core.querysets import filter_given
from zoneguard.core.roles import Role, is_active_user
from zoneguard.registry.models import Organisation, OrganisationKind, Site

from . import access, canvassing, hours
from .models import (
    LeafletDrop,
    Shift,
    ShopVisit,
    SignUp,
    SignUpStatus,
    Task,
    TaskStatus,
    Todo,
    TodoStatus,
    Volunteer,
    VolunteerStatus,
)

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

ACTIVE = Q(status=SignUpStatus.SIGNED_UP)
# How far ahead a volunteer is offered open shifts.
OPEN_SHIFTS_AHEAD = timedelta(days=7)


# --- For other modules ----------------------------------------------------------------------


def volunteer_of(user: Any) -> Volunteer | None:
    """The approved volunteer record of a signed-in user, or None (no record, not yet approved,
    suspended, or not signed in)."""
    if not is_active_user(user):
        return None
    return (
        Volunteer.objects.filter(user=user, status=VolunteerStatus.APPROVED)
        .select_related("community", "person")
        .first()
    )


def community_volunteers(*, community_id: int) -> QuerySet[Volunteer]:
    """The approved volunteers of a community who have an account to be given work on."""
    return (
        Volunteer.objects.filter(
            community_id=community_id, status=VolunteerStatus.APPROVED, user__isnull=False, user__is_active=True
        )
        .select_related("user", "community")
        .order_by(PinyinOrder("name"), "id")
    )


# --- Communities ----------------------------------------------------------------------------


def communities_to_join() -> QuerySet[Organisation]:
    """Every active community: a volunteer applies to one, and the names of communities are no secret."""
    return Organisation.objects.filter(kind=OrganisationKind.COMMUNITY, is_active=True).order_by("name_key", "id")


def community(*, pk: int) -> Organisation | None:
    """An active community by id, for a service to check (none: refused as invalid input)."""
    return communities_to_join().filter(pk=pk).first()


def run_communities(*, actor: User) -> QuerySet[Organisation]:
    """The communities whose corps the actor runs (access.can_run_community)."""
    qs = communities_to_join()
    if access.is_volunteer(actor) or not is_active_user(actor):
        return qs.none()
    if actor.is_commander:
        return qs
    if actor.role == Role.COMMUNITY_WORKER and actor.organisation_id:
        return qs.filter(pk=actor.organisation_id)
    return qs.none()


def community_workers(*, community_id: int) -> QuerySet[Any]:
    from zoneguard.accounts.selectors import active_users

    return active_users().filter(role=Role.COMMUNITY_WORKER, organisation_id=community_id)


# --- Volunteers -----------------------------------------------------------------------------


def own_volunteer(actor: User) -> Volunteer | None:
    """The actor's own volunteer record, whatever its status."""
    if not is_active_user(actor):
        return None
    return Volunteer.objects.filter(user=actor).select_related("community", "person").first()


def _volunteers_q(actor: User) -> Q:
    if access.is_volunteer(actor):
        return Q(user=actor)
    return access.community_q(actor)


def volunteer_list(
    *,
    actor: User,
    status: str = "",
    community_id: int | None = None,
    search: str = "",
) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.filter(_volunteers_q(actor)).select_related("person", "community", "user")
    qs = filter_given(qs, status=status, community_id=community_id)
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by(PinyinOrder("name"), "id")


def volunteer_access(*, actor: User, pk: int) -> Volunteer:
    volunteer = (
        Volunteer.objects.filter(_volunteers_q(actor), pk=pk).select_related("person", "community", "user").first()
    )
    if volunteer is None:
        raise NotFound()
    return volunteer


def _is_own(actor: User, volunteer: Volunteer) -> bool:
    return volunteer.user_id is not None and volunteer.user_id == getattr(actor, "pk", None)


def can_read_personal_data(*, actor: User, volunteer: Volunteer) -> bool:
    # The volunteer reads their own record in full once a worker has approved the account as
    # theirs: an application links an account to an existing record by ID number alone, and
    # whoever knows someone's ID number must not read that person's phone by applying.
    if _is_own(actor, volunteer) and volunteer.status == VolunteerStatus.APPROVED:
        return True
    return Volunteer.objects.filter(access.personal_data_q(actor), pk=volunteer.pk).exists()


def volunteer_read(*, actor: User, pk: int, purpose: str) -> Volunteer:
    """A volunteer to be shown alone: where the actor may read the phone and ID number in full
    (the commander, the community's workers, the volunteer), the read is audited and the record
    marked `personal_data_read`."""
    volunteer = volunteer_access(actor=actor, pk=pk)
    if can_read_personal_data(actor=actor, volunteer=volunteer):
        audit_personal_read(
            actor=actor,
            obj=volunteer,
            fields=["id_number", "phone"],
            purpose=purpose,
            organisation_id=volunteer.community_id,
        )
        volunteer.personal_data_read = True
    elif _is_own(actor, volunteer):
        # An applicant not yet approved may have been linked to someone else's record by its ID
        # number: until a worker confirms, neither its name nor its history is theirs to read.
        volunteer.name = mask_name(volunteer.name)
        volunteer.awaiting_approval = True
    return volunteer


def community_roster(*, community_ids: Iterable[int]) -> QuerySet[Volunteer]:
    """The approved volunteers of the communities, to put on a shift or give a task."""
    return (
        Volunteer.objects.filter(community_id__in=list(community_ids), status=VolunteerStatus.APPROVED)
        .select_related("community")
        .order_by(PinyinOrder("name"), "id")
    )


def pending_count(*, actor: User) -> int:
    return volunteer_list(actor=actor, status=VolunteerStatus.PENDING).count()


# --- Shifts and sign-ups --------------------------------------------------------------------


def _shifts_q(actor: User) -> Q:
    if access.is_volunteer(actor):
        volunteer = volunteer_of(actor)
        return Q(community_id=volunteer.community_id) if volunteer is not None else access.NOTHING
    return access.community_q(actor)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A day in the zone's time (Asia/Shanghai), as aware moments."""
    start = timezone.make_aware(datetime.combine(day, time()))
    return start, start + timedelta(days=1)


def _with_taken(qs: QuerySet[Shift]) -> QuerySet[Shift]:
    """Annotated `taken` (declared on the model): the places taken."""
    return qs.annotate(**{"taken": Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED_UP))})


def shift_list(
    *,
    actor: User,
    day: date | None = None,
    site_id: int | None = None,
    community_id: int | None = None,
    unfilled: bool | None = None,
) -> QuerySet[Shift]:
    qs = _with_taken(Shift.objects.filter(_shifts_q(actor))).select_related("site__organisation", "community")
    qs = filter_given(qs, site_id=site_id, community_id=community_id)
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(starts_at__lt=end, ends_at__gt=start)
    if unfilled is not None:
        qs = qs.filter(Q(taken__lt=F("needed")) if unfilled else Q(taken__gte=F("needed")))
    return qs.order_by("starts_at", "id")


def community_sites(*, actor: User) -> QuerySet[Site]:
    """The active checkpoint sites of the communities the actor runs: the community's own and those
    of the organisations registered in it."""
    ids = list(run_communities(actor=actor).values_list("pk", flat=True))
    return (
        Site.objects.filter(Q(organisation_id__in=ids) | Q(organisation__community_id__in=ids), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name_key", "name_key", "id")
    )


def signup_names(*, shifts: list[Shift]) -> dict[int, list[str]]:
    """Who stands on each of the shifts, by name, in one query."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = SignUp.objects.filter(ACTIVE, shift__in=shifts).order_by("created_at", "id")
    for shift_id, name in rows.values_list("shift_id", "volunteer__name"):
        names[shift_id].append(name)
    return dict(names)


def shift_access(*, actor: User, pk: int) -> Shift:
    shift = (
        _with_taken(Shift.objects.filter(_shifts_q(actor), pk=pk))
        .select_related("site__organisation", "community")
        .first()
    )
    if shift is None:
        raise NotFound()
    return shift


def shift_signups(*, shift: Shift) -> QuerySet[SignUp]:
    """Who stands on a shift, for those who read the shift."""
    return shift.signups.filter(ACTIVE).select_related("volunteer").order_by("created_at", "id")


def _signups_q(actor: User) -> Q:
    if access.is_volunteer(actor):
        return Q(volunteer__user=actor)
    return access.community_q(actor, "shift__community")


def signup_list(
    *, actor: User, volunteer_id: int | None = None, shift_id: int | None = None, active: bool | None = True
) -> QuerySet[SignUp]:
    qs = SignUp.objects.filter(_signups_q(actor)).select_related("shift__site__organisation", "volunteer")
    qs = filter_given(qs, volunteer_id=volunteer_id, shift_id=shift_id)
    if active is not None:
        qs = qs.filter(ACTIVE) if active else qs.exclude(ACTIVE)
    return qs.order_by("shift__starts_at", "id")


def signup_access(*, actor: User, pk: int) -> SignUp:
    signup = (
        SignUp.objects.filter(_signups_q(actor), pk=pk)
        .select_related("shift__site__organisation", "shift__community", "volunteer")
        .first()
    )
    if signup is None:
        raise NotFound()
    return signup


def unfilled_today_count(*, actor: User) -> int:
    now = timezone.now()
    start, end = day_bounds(timezone.localdate(now))
    return (
        shift_list(actor=actor, unfilled=True).filter(starts_at__gte=start, starts_at__lt=end, ends_at__gt=now).count()
    )


# --- A volunteer's own day ("我的任务") -------------------------------------------------------


def my_signups(*, volunteer: Volunteer, now: datetime | None = None) -> QuerySet[SignUp]:
    """The volunteer's standing sign-ups of today and the days to come, and an earlier one still
    waiting for its check-out."""
    now = now or timezone.now()
    today_start, _end = day_bounds(timezone.localdate(now))
    waiting = Q(
        checked_in_at__isnull=False, checked_out_at__isnull=True, shift__ends_at__gt=now - hours.CHECK_OUT_CLOSES
    )
    return (
        SignUp.objects.filter(ACTIVE, volunteer=volunteer)
        .filter(Q(shift__ends_at__gt=today_start) | waiting)
        .select_related("shift__site__organisation")
        .order_by("shift__starts_at", "id")
    )


def open_shifts(*, volunteer: Volunteer, now: datetime | None = None) -> list[Shift]:
    """Shifts of the volunteer's community, not over yet and within the week, with a free place,
    that the volunteer could take: not signed up for already and overlapping none of theirs."""
    now = now or timezone.now()
    mine = list(
        SignUp.objects.filter(ACTIVE, volunteer=volunteer, shift__ends_at__gt=now).values_list(
            "shift__starts_at", "shift__ends_at"
        )
    )
    candidates = (
        _with_taken(
            Shift.objects.filter(
                community_id=volunteer.community_id, ends_at__gt=now, starts_at__lt=now + OPEN_SHIFTS_AHEAD
            )
        )
        .exclude(Exists(SignUp.objects.filter(ACTIVE, shift=OuterRef("pk"), volunteer=volunteer)))
        .select_related("site__organisation")
        .order_by("starts_at", "id")
    )
    return [
        shift
        for shift in candidates
        if shift.taken < shift.needed
        and not any(hours.overlaps(shift.starts_at, shift.ends_at, start, end) for start, end in mine)
    ]


# --- Tasks, visits, to-dos ------------------------------------------------------------------


def _tasks_q(actor: User) -> Q:
    if access.is_volunteer(actor):
        volunteer = volunteer_of(actor)
        return Q(volunteers=volunteer) if volunteer is not None else access.NOTHING
    return access.community_q(actor)


def task_list(*, actor: User, status: str = "", kind: str = "", community_id: int | None = None) -> QuerySet[Task]:
    qs = Task.objects.filter(_tasks_q(actor)).select_related("community")
    qs = filter_given(qs, status=status, kind=kind, community_id=community_id)
    return qs.annotate(visit_count=Count("visits", distinct=True), shop_count=Count("shops", distinct=True)).order_by(
        "-created_at", "-id"
    )


def task_access(*, actor: User, pk: int) -> Task:
    task = Task.objects.filter(_tasks_q(actor), pk=pk).select_related("community").first()
    if task is None:
        raise NotFound()
    return task


def my_tasks(*, volunteer: Volunteer) -> QuerySet[Task]:
    return (
        Task.objects.filter(volunteers=volunteer, status=TaskStatus.OPEN)
        .select_related("community")
        .annotate(visit_count=Count("visits", distinct=True), shop_count=Count("shops", distinct=True))
        .order_by("due_on", "id")
    )


def task_shops(*, task: Task) -> list[tuple[Organisation, ShopVisit | None]]:
    """The shops of a canvassing round, each with its visit so far."""
    visits = {v.shop_id: v for v in task.visits.select_related("visited_by")}
    return [(shop, visits.get(shop.pk)) for shop in task.shops.order_by("name_key", "id")]


def task_shop(*, task: Task, pk: int) -> Organisation | None:
    """A shop of the canvassing round, or None (the service refuses it as invalid input)."""
    return task.shops.filter(pk=pk).first()


def shop_choices(*, community_ids: Iterable[int]) -> QuerySet[Organisation]:
    """What a canvassing round may cover: the active shops and markets registered in the communities."""
    return Organisation.objects.filter(
        community_id__in=list(community_ids),
        is_active=True,
        kind__in=[OrganisationKind.SHOP, OrganisationKind.MARKET],
    ).order_by("name_key", "id")


def visit_access(*, actor: User, pk: int) -> ShopVisit:
    visit = (
        ShopVisit.objects.filter(task__in=Task.objects.filter(_tasks_q(actor)), pk=pk)
        .select_related("task", "shop")
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


def _facts(visit: Any) -> canvassing.VisitFacts:
    return canvassing.VisitFacts(
        shop_id=visit["shop_id"],
        visited_at=visit["visited_at"],
        is_open=visit["is_open"],
        masks_worn=visit["masks_worn"],
        staff_registered=visit["staff_registered"],
        disinfection_done=visit["disinfection_done"],
    )


FACT_FIELDS = ("shop_id", "visited_at", "is_open", "masks_worn", "staff_registered", "disinfection_done")


def task_rollup(*, task: Task) -> canvassing.Rollup:
    return canvassing.rollup(_facts(v) for v in task.visits.values(*FACT_FIELDS))


@dataclass
class LeafletTotals:
    drops: int = 0
    leaflets: int = 0
    buildings: int = 0


def task_leaflets(*, task: Task) -> LeafletTotals:
    totals = task.drops.aggregate(
        drops=Count("id"), leaflets=Sum("leaflets"), buildings=Count("building", distinct=True)
    )
    return LeafletTotals(drops=totals["drops"], leaflets=totals["leaflets"] or 0, buildings=totals["buildings"])


@dataclass
class CommunityResults:
    community: Organisation
    rollup: canvassing.Rollup
    leaflets: LeafletTotals = field(default_factory=LeafletTotals)
    open_todos: int = 0


def community_results(*, actor: User, since: date | None = None, until: date | None = None) -> list[CommunityResults]:
    """Canvassing and leaflets per community in the actor's scope, over the days given (all by
    default): each shop by its latest visit (canvassing.py)."""
    visits = ShopVisit.objects.filter(access.community_q(actor, "task__community"))
    drops = LeafletDrop.objects.filter(access.community_q(actor, "task__community"))
    if since is not None:
        visits = visits.filter(visited_at__gte=day_bounds(since)[0])
        drops = drops.filter(dropped_at__gte=day_bounds(since)[0])
    if until is not None:
        visits = visits.filter(visited_at__lt=day_bounds(until)[1])
        drops = drops.filter(dropped_at__lt=day_bounds(until)[1])
    facts: dict[int, list[canvassing.VisitFacts]] = defaultdict(list)
    for row in visits.values("task__community_id", *FACT_FIELDS):
        facts[row["task__community_id"]].append(_facts(row))
    leaflets = {
        row["task__community_id"]: LeafletTotals(row["drops"], row["leaflets"] or 0, row["buildings"])
        for row in drops.values("task__community_id")
        .order_by()
        .annotate(drops=Count("id"), leaflets=Sum("leaflets"), buildings=Count("building", distinct=True))
    }
    todos = dict(
        Todo.objects.filter(access.community_q(actor), status=TodoStatus.OPEN)
        .values("community_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )
    ids = set(facts) | set(leaflets) | set(todos)
    communities = Organisation.objects.filter(pk__in=ids).order_by("name_key", "id")
    return [
        CommunityResults(
            community=community,
            rollup=canvassing.rollup(facts.get(community.pk, [])),
            leaflets=leaflets.get(community.pk, LeafletTotals()),
            open_todos=todos.get(community.pk, 0),
        )
        for community in communities
    ]


def todo_list(*, actor: User, status: str = TodoStatus.OPEN, community_id: int | None = None) -> QuerySet[Todo]:
    qs = Todo.objects.filter(access.community_q(actor)).select_related(
        "organisation", "community", "visit", "closed_by"
    )
    qs = filter_given(qs, status=status, community_id=community_id)
    return qs.order_by("-created_at", "-id")


def todo_access(*, actor: User, pk: int) -> Todo:
    todo = Todo.objects.filter(access.community_q(actor), pk=pk).select_related("organisation", "community").first()
    if todo is None:
        raise NotFound()
    return todo


# --- Hours served ---------------------------------------------------------------------------


@dataclass
class VolunteerHours:
    volunteer: Volunteer
    minutes: int = 0
    shifts: int = 0  # shifts with time served
    missing_check_outs: int = 0
    first_day: date | None = None
    last_day: date | None = None

    @property
    def hours(self) -> Decimal:
        return hours.as_hours(self.minutes)


@dataclass
class CommunityHours:
    community: Organisation
    volunteers: int = 0
    minutes: int = 0
    shifts: int = 0

    @property
    def hours(self) -> Decimal:
        return hours.as_hours(self.minutes)


def _served(
    volunteers: list[Volunteer], *, since: date | None, until: date | None, now: datetime
) -> dict[int, VolunteerHours]:
    """One query for every sign-up of the volunteers with a check-in; the rule is hours.py's."""
    result = {v.pk: VolunteerHours(volunteer=v) for v in volunteers}
    rows = SignUp.objects.filter(ACTIVE, volunteer_id__in=list(result), checked_in_at__isnull=False)
    if since is not None:
        rows = rows.filter(shift__starts_at__gte=day_bounds(since)[0])
    if until is not None:
        rows = rows.filter(shift__starts_at__lt=day_bounds(until)[1])
    for volunteer_id, starts_at, ends_at, checked_in_at, checked_out_at in rows.values_list(
        "volunteer_id", "shift__starts_at", "shift__ends_at", "checked_in_at", "checked_out_at"
    ).order_by():
        minutes = hours.served_minutes(hours.Attendance(starts_at, ends_at, checked_in_at, checked_out_at), now=now)
        entry = result[volunteer_id]
        if checked_out_at is None and ends_at <= now:
            entry.missing_check_outs += 1
        if minutes:
            day = timezone.localdate(starts_at)
            entry.minutes += minutes
            entry.shifts += 1
            entry.first_day = min(entry.first_day or day, day)
            entry.last_day = max(entry.last_day or day, day)
    return result


def hours_by_volunteer(
    *,
    actor: User,
    community_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
) -> list[VolunteerHours]:
    """Hours served by each volunteer in the actor's scope (a volunteer: their own), most first."""
    volunteers = list(volunteer_list(actor=actor, community_id=community_id).exclude(status=VolunteerStatus.PENDING))
    served = _served(volunteers, since=since, until=until, now=now or timezone.now())
    return sorted(served.values(), key=lambda h: (-h.minutes, pinyin_key(h.volunteer.name), h.volunteer.pk))


def hours_by_community(
    *, actor: User, since: date | None = None, until: date | None = None, now: datetime | None = None
) -> list[CommunityHours]:
    per_volunteer = hours_by_volunteer(actor=actor, since=since, until=until, now=now)
    communities: dict[int, CommunityHours] = {}
    for entry in per_volunteer:
        community = entry.volunteer.community
        total = communities.setdefault(community.pk, CommunityHours(community=community))
        total.volunteers += 1
        total.minutes += entry.minutes
        total.shifts += entry.shifts
    return sorted(communities.values(), key=lambda c: (pinyin_key(c.community.name), c.community.pk))


def volunteer_hours(*, volunteer: Volunteer, now: datetime | None = None) -> VolunteerHours:
    return _served([volunteer], since=None, until=None, now=now or timezone.now())[volunteer.pk]


def served_signups(*, volunteer: Volunteer, now: datetime | None = None) -> list[tuple[SignUp, int]]:
    """The volunteer's sign-ups of shifts begun, latest first, each with the minutes it counts."""
    now = now or timezone.now()
    signups = (
        SignUp.objects.filter(ACTIVE, volunteer=volunteer, shift__starts_at__lte=now)
        .select_related("shift__site__organisation")
        .order_by("-shift__starts_at", "-id")
    )
    return [
        (
            s,
            hours.served_minutes(
                hours.Attendance(s.shift.starts_at, s.shift.ends_at, s.checked_in_at, s.checked_out_at), now=now
            ),
        )
        for s in signups
    ]
