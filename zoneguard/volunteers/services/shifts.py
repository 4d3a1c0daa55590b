"""Shifts at checkpoints and the volunteers' places on them.

Sign-ups hold two rules under concurrency, on SQLite and PostgreSQL alike: no volunteer stands on
two overlapping shifts, and no shift takes more volunteers than it needs. Every sign-up locks the
volunteer's row, then the shift's, in that order, before it checks either rule: two sign-ups of one
volunteer, or two for one shift, wait for each other, and the one order makes a deadlock
impossible. (SQLite takes its one write lock at BEGIN IMMEDIATE, settings.py, which serialises the
same way.) A unique index keeps one standing place per volunteer and shift whatever happens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.dates import check_planned
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.core.services import validate_and_save
from zoneguard.registry.models import OrganisationKind, Site

from .. import access, hours, selectors
from ..models import (
    MAX_NEEDED,
    Shift,
    SignUp,
    SignUpStatus,
    Volunteer,
    VolunteerStatus,
)
from .common import lock_volunteer, require, require_runs

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

# A shift longer than this is a mistake in the times, not a turn of duty.
MAX_SHIFT = timedelta(hours=24)


def site_community_id(site: Site) -> int | None:
    """The community a checkpoint belongs to: its organisation's, or the organisation itself."""
    organisation = site.organisation
    if organisation.kind == OrganisationKind.COMMUNITY:
        return organisation.pk
    return organisation.community_id


@transaction.atomic
def shift_create(
    *, actor: User, site: Site, starts_at: datetime, ends_at: datetime, needed: int, note: str = ""
) -> Shift:
    community_id = site_community_id(site)
    if community_id is None:
        raise InvalidInput.for_field("site_id", _("This site belongs to no community."), code="no_community")
    require_runs(actor, community_id)
    if not site.is_active:
        raise InvalidInput.for_field("site_id", _("This site is closed."), code="site_inactive")
    if ends_at <= starts_at:
        raise InvalidInput.for_field("ends_at", _("The shift must end after it starts."), code="ends_before_start")
    check_planned(starts_at, "starts_at")
    if ends_at - starts_at > MAX_SHIFT:
        raise InvalidInput.for_field("ends_at", _("A shift lasts at most 24 hours."), code="too_long")
    if ends_at <= timezone.now():
        raise InvalidInput.for_field("ends_at", _("The shift is over already."), code="in_the_past")
    if not 1 <= needed <= MAX_NEEDED:
        raise InvalidInput.for_field(
            "needed", _("Ask for 1 to %(max)s volunteers.") % {"max": MAX_NEEDED}, code="needed_range"
        )
    shift = Shift(
        community_id=community_id,
        site=site,
        starts_at=starts_at,
        ends_at=ends_at,
        needed=needed,
        note=note.strip(),
        created_by=actor,
    )
    validate_and_save(shift)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=shift,
        organisation_id=community_id,
        detail={
            "site_id": site.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "needed": needed,
        },
    )
    return shift


def _acting_volunteer(actor: User, volunteer: Volunteer | None) -> Volunteer:
    """Whom a sign-up is for: a volunteer signs themself up; a worker of the community, anyone of it."""
    if access.is_volunteer(actor):
        own = selectors.volunteer_of(actor)
        if own is None:
            raise Forbidden(_("Only approved volunteers sign up for shifts."), code="not_approved")
        if volunteer is not None and volunteer.pk != own.pk:
            raise Forbidden()
        return own
    if volunteer is None:
        raise InvalidInput.for_field("volunteer_id", _("Choose a volunteer."))
    require_runs(actor, volunteer.community_id)
    return volunteer


def _when(shift: Shift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{start:%m-%d %H:%M}–{end:%H:%M}"


@transaction.atomic
def signup_create(*, actor: User, shift: Shift, volunteer: Volunteer | None = None) -> SignUp:
    """Take a place on a shift. Refused (409) when the shift is full or over, or when the volunteer
    stands on an overlapping shift (see the module's docstring for how this holds under load)."""
    volunteer = _acting_volunteer(actor, volunteer)
    volunteer = lock_volunteer(volunteer)
    shift = Shift.objects.select_for_update().select_related("site__organisation").get(pk=shift.pk)
    if volunteer.status != VolunteerStatus.APPROVED:
        raise Conflict(_("Only approved volunteers sign up for shifts."), code="not_approved")
    if shift.community_id != volunteer.community_id:
        raise NotFound()
    if shift.ends_at <= timezone.now():
        raise Conflict(_("This shift is over."), code="shift_over")
    active = SignUp.objects.filter(status=SignUpStatus.SIGNED_UP)
    if active.filter(shift=shift, volunteer=volunteer).exists():
        raise Conflict(_("You are signed up for this shift already."), code="already_signed_up")
    clash = (
        active.filter(volunteer=volunteer, shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
        .select_related("shift__site__organisation")
        .first()
    )
    if clash is not None:
        raise Conflict(
            _("%(name)s is signed up for an overlapping shift: %(site)s %(when)s.")
            % {"name": volunteer.name, "site": clash.shift.site, "when": _when(clash.shift)},
            code="shift_overlap",
        )
    if active.filter(shift=shift).count() >= shift.needed:
        raise Conflict(_("This shift is full."), code="shift_full")
    signup = SignUp(shift=shift, volunteer=volunteer)
    validate_and_save(signup)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=signup,
        organisation_id=shift.community_id,
        detail={"shift_id": shift.pk, "volunteer_id": volunteer.pk},
    )
    return signup


def _may_act_on(actor: User, signup: SignUp) -> None:
    """The volunteer on their own sign-up, a worker of the shift's community on anyone's."""
    if access.is_volunteer(actor):
        require(signup.volunteer.user_id == actor.pk)
    else:
        require_runs(actor, signup.shift.community_id)


def _locked_signup(signup: SignUp) -> SignUp:
    return SignUp.objects.select_for_update().select_related("shift", "volunteer").get(pk=signup.pk)


@transaction.atomic
def signup_cancel(*, actor: User, signup: SignUp) -> SignUp:
    """Give a place back, before the shift starts."""
    _may_act_on(actor, signup)
    signup = _locked_signup(signup)
    if signup.status != SignUpStatus.SIGNED_UP:
        raise Conflict(_("This sign-up was cancelled already."), code="cancelled")
    now = timezone.now()
    if signup.checked_in_at is not None or signup.shift.starts_at <= now:
        raise Conflict(_("A shift that has started cannot be cancelled."), code="shift_started")
    signup.status, signup.cancelled_at = SignUpStatus.CANCELLED, now
    signup.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=signup,
        organisation_id=signup.shift.community_id,
        detail={"changes": {"status": [SignUpStatus.SIGNED_UP, SignUpStatus.CANCELLED]}},
    )
    return signup


def _moment(actor: User, at: datetime | None, *, field: str) -> datetime:
    """Now; a community worker may record another time (a check-out forgotten at the post)."""
    now = timezone.now()
    if at is None:
        return now
    if access.is_volunteer(actor):
        raise Forbidden(_("Volunteers check in and out at the time they do it."), code="time_given")
    if at > now + timedelta(minutes=1):
        raise InvalidInput.for_field(field, _("The time lies in the future."), code="in_the_future")
    return at


@transaction.atomic
def signup_check_in(*, actor: User, signup: SignUp, at: datetime | None = None) -> SignUp:
    _may_act_on(actor, signup)
    moment = _moment(actor, at, field="at")
    signup = _locked_signup(signup)
    if signup.status != SignUpStatus.SIGNED_UP:
        raise Conflict(_("This sign-up was cancelled."), code="cancelled")
    if signup.checked_in_at is not None:
        raise Conflict(_("Checked in already."), code="already_checked_in")
    shift = signup.shift
    if not hours.check_in_open(starts_at=shift.starts_at, ends_at=shift.ends_at, at=moment):
        raise Conflict(
            _("Check-in opens %(minutes)s minutes before the shift and closes at its end.")
            % {"minutes": int(hours.CHECK_IN_OPENS.total_seconds() // 60)},
            code="check_in_closed",
        )
    signup.checked_in_at = moment
    signup.save(update_fields=["checked_in_at", "updated_at"])
    _audit_attendance(actor, signup, "checked_in_at", moment)
    return signup


@transaction.atomic
def signup_check_out(*, actor: User, signup: SignUp, at: datetime | None = None) -> SignUp:
    _may_act_on(actor, signup)
    moment = _moment(actor, at, field="at")
    signup = _locked_signup(signup)
    if signup.status != SignUpStatus.SIGNED_UP:
        raise Conflict(_("This sign-up was cancelled."), code="cancelled")
    if signup.checked_in_at is None:
        raise Conflict(_("Check in first."), code="not_checked_in")
    if signup.checked_out_at is not None:
        raise Conflict(_("Checked out already."), code="already_checked_out")
    if moment < signup.checked_in_at:
        raise InvalidInput.for_field("at", _("The check-out cannot come before the check-in."), code="before_check_in")
    if not hours.check_out_open(ends_at=signup.shift.ends_at, checked_in_at=signup.checked_in_at, at=moment):
        raise Conflict(
            _("This shift ended too long ago; a community worker records the check-out."), code="check_out_closed"
        )
    signup.checked_out_at = moment
    signup.save(update_fields=["checked_out_at", "updated_at"])
    _audit_attendance(actor, signup, "checked_out_at", moment)
    return signup


def _audit_attendance(actor: User, signup: SignUp, field: str, moment: datetime) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=signup,
        organisation_id=signup.shift.community_id,
        detail={"changes": {field: [None, moment.isoformat()]}},
    )
