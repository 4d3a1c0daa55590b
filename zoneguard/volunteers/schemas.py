from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, DateTimeIn, InSchema
from zoneguard.core.masking import mask_id_number, mask_phone

from .models import (
    MAX_LEAFLETS,
    MAX_NEEDED,
    MAX_STAFF,
    Shift,
    ShopVisit,
    Skill,
    Task,
    TaskStatus,
    TodoStatus,
    Volunteer,
    VolunteerStatus,
    VolunteerTaskKind,
)

Id = Field(..., ge=1, le=MAX_ID)
OptionalId = Field(None, ge=1, le=MAX_ID)


# --- Volunteers -----------------------------------------------------------------------------


class VolunteerFilters(InSchema):
    status: VolunteerStatus | None = None
    community_id: int | None = OptionalId
    search: str = Field("", max_length=50, description="Part of the name.")


class VolunteerIn(InSchema):
    """A community worker registers a volunteer of their community (approved at once); a signed-in
    user of the volunteer role applies to a community (approved later by its workers)."""

    community_id: int = Id
    name: str = Field(..., min_length=1, max_length=50)
    id_number: str = Field(..., min_length=1, max_length=40, description="18-character resident ID number (GB 11643).")
    phone: str = Field("", max_length=20, description="Mainland mobile number.")
    skills: list[Skill] = Field(default_factory=list, max_length=len(Skill.values))
    availability: str = Field("", max_length=200, description="When the volunteer can serve, in words.")


class VolunteerOut(Schema):
    id: int
    community_id: int
    community_name: str = Field(..., alias="community.name")
    name: str
    id_number: str = Field(..., description="Masked (430406********1234) unless `masked` is false.")
    phone: str = Field(..., description="Masked unless `masked` is false.")
    masked: bool = Field(..., description="False when one volunteer is read by who may see it in full (audited).")
    skills: list[str]
    availability: str
    status: str
    has_account: bool
    approved_at: datetime | None

    @staticmethod
    def resolve_id_number(volunteer: Volunteer) -> str:
        number = volunteer.person.id_number
        return number if volunteer.personal_data_read else mask_id_number(number)

    @staticmethod
    def resolve_phone(volunteer: Volunteer) -> str:
        return volunteer.phone if volunteer.personal_data_read else mask_phone(volunteer.phone)

    @staticmethod
    def resolve_masked(volunteer: Volunteer) -> bool:
        return not volunteer.personal_data_read

    @staticmethod
    def resolve_has_account(volunteer: Volunteer) -> bool:
        return volunteer.user_id is not None


# --- Shifts and sign-ups --------------------------------------------------------------------


class ShiftFilters(InSchema):
    day: DateIn | None = Field(None, description="Shifts running on this day (Beijing time).")
    site_id: int | None = OptionalId
    community_id: int | None = OptionalId
    unfilled: bool | None = Field(None, description="true: shifts with free places; false: full ones.")


class ShiftIn(InSchema):
    site_id: int = Id
    starts_at: DateTimeIn
    ends_at: DateTimeIn
    needed: int = Field(..., ge=1, le=MAX_NEEDED, description="How many volunteers the shift needs.")
    note: str = Field("", max_length=200)


class ShiftOut(Schema):
    id: int
    community_id: int
    site_id: int
    site_name: str = Field(..., description="The organisation and the site.")
    starts_at: datetime
    ends_at: datetime
    needed: int
    taken: int = Field(..., description="Places taken.")
    note: str

    @staticmethod
    def resolve_site_name(shift: Shift) -> str:
        return str(shift.site)


class SignUpIn(InSchema):
    volunteer_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Whom to sign up (community workers); a volunteer signs up themself."
    )


class AttendanceIn(InSchema):
    at: DateTimeIn | None = Field(
        None, description="When it happened, for a community worker recording it afterwards; now by default."
    )


class SignUpOut(Schema):
    id: int
    shift_id: int
    volunteer_id: int
    volunteer_name: str = Field(..., alias="volunteer.name")
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    cancelled_at: datetime | None


# --- Tasks ----------------------------------------------------------------------------------


class TaskFilters(InSchema):
    status: TaskStatus | None = None
    kind: VolunteerTaskKind | None = None
    community_id: int | None = OptionalId


class TaskIn(InSchema):
    community_id: int = Id
    kind: VolunteerTaskKind
    title: str = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=2000)
    due_on: DateIn | None = None
    volunteer_ids: list[int] = Field(default_factory=list, max_length=200)
    shop_ids: list[int] | None = Field(
        None, max_length=1000, description="Shops a canvassing round covers; every shop of the community by default."
    )


class TaskOut(Schema):
    id: int
    community_id: int
    kind: str
    title: str
    note: str
    due_on: date | None
    status: str
    volunteer_ids: list[int]
    shop_ids: list[int]

    @staticmethod
    def resolve_volunteer_ids(task: Task) -> list[int]:
        return sorted(v.pk for v in task.volunteers.all())

    @staticmethod
    def resolve_shop_ids(task: Task) -> list[int]:
        return sorted(s.pk for s in task.shops.all())


class VisitIn(InSchema):
    shop_id: int = Id
    is_open: bool
    staff_count: int | None = Field(None, ge=0, le=MAX_STAFF)
    masks_worn: bool | None = None
    staff_registered: bool | None = None
    disinfection_done: bool | None = None
    note: str = Field("", max_length=500)
    visited_at: DateTimeIn | None = Field(None, description="Now by default.")


class VisitOut(Schema):
    id: int
    task_id: int
    shop_id: int
    shop_name: str = Field(..., alias="shop.name")
    visited_by_id: int | None
    visited_at: datetime
    is_open: bool
    staff_count: int | None
    masks_worn: bool | None
    staff_registered: bool | None
    disinfection_done: bool | None
    note: str
    has_photo: bool

    @staticmethod
    def resolve_has_photo(visit: ShopVisit) -> bool:
        return bool(visit.photo)


class LeafletsIn(InSchema):
    building: str = Field(..., min_length=1, max_length=100)
    leaflets: int = Field(..., ge=1, le=MAX_LEAFLETS)
    note: str = Field("", max_length=200)
    dropped_at: DateTimeIn | None = Field(None, description="Now by default.")


class LeafletsOut(Schema):
    id: int
    task_id: int
    building: str
    leaflets: int
    dropped_by_id: int | None
    dropped_at: datetime
    note: str


class RollupOut(Schema):
    shops_visited: int
    open: int
    closed: int
    without_registration: int = Field(..., description="Open shops whose staff were not registered.")
    without_masks: int
    without_disinfection: int


class LeafletTotalsOut(Schema):
    drops: int
    leaflets: int
    buildings: int


class TaskResultsOut(Schema):
    task: TaskOut
    rollup: RollupOut
    leaflets: LeafletTotalsOut
    visits: list[VisitOut]
    drops: list[LeafletsOut]


class ResultsFilters(InSchema):
    since: DateIn | None = None
    until: DateIn | None = None


class CommunityResultsOut(Schema):
    community_id: int = Field(..., alias="community.pk")
    community_name: str = Field(..., alias="community.name")
    rollup: RollupOut
    leaflets: LeafletTotalsOut
    open_todos: int


class TodoFilters(InSchema):
    status: TodoStatus | None = TodoStatus.OPEN
    community_id: int | None = OptionalId


class TodoCloseIn(InSchema):
    note: str = Field("", max_length=200, description="What was done.")


class TodoOut(Schema):
    id: int
    community_id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    reason: str
    status: str
    visit_id: int | None
    created_at: datetime
    closed_at: datetime | None
    closing_note: str


# --- Hours ----------------------------------------------------------------------------------


class HoursFilters(InSchema):
    community_id: int | None = OptionalId
    since: DateIn | None = Field(None, description="Shifts starting on or after this day.")
    until: DateIn | None = Field(None, description="Shifts starting on or before this day.")


class HoursOut(Schema):
    volunteer_id: int = Field(..., alias="volunteer.pk")
    name: str = Field(..., alias="volunteer.name")
    community_id: int = Field(..., alias="volunteer.community_id")
    minutes: int
    hours: Decimal = Field(..., description="To a tenth, halves up.")
    shifts: int = Field(..., description="Shifts with time served.")
    missing_check_outs: int = Field(..., description="Shifts over without a check-out, counted to their end.")


class CommunityHoursOut(Schema):
    community_id: int = Field(..., alias="community.pk")
    community_name: str = Field(..., alias="community.name")
    volunteers: int
    minutes: int
    hours: Decimal
    shifts: int
