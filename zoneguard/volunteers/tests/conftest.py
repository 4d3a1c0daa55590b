"""The volunteer corps of the test zone: 祥光社区 (zone.community) with two approved volunteers, the
`volunteer` user being the first, and 青峰社区 with its own worker and volunteer (the outsiders).
Shifts are at 市场丁's entrance (市场丁 is registered in 祥光社区)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (a gate's token: reaches nothing here)
from zoneguard.registry.models import Organisation, OrganisationKind, Site, SiteKind
from zoneguard.testing import Zone, database_shared_by_threads, make_person, make_user, valid_id_number
from zoneguard.volunteers.models import Shift, SignUp, Volunteer, VolunteerStatus


@dataclass
class Corps:
    zone: Zone
    other_community: Organisation
    other_site: Site
    shop: Organisation
    first: Volunteer  # zone.volunteer's record
    second: Volunteer  # no account
    outsider: Volunteer  # of the other community, with the account "volunteer_b"
    users: dict[str, Any] = field(default_factory=dict)

    def shift(self, start: datetime, hours: float = 4, needed: int = 3, site: Site | None = None) -> Shift:
        site = site or self.zone.market_site
        community = self.other_community if site == self.other_site else self.zone.community
        return Shift.objects.create(
            community=community,
            site=site,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            needed=needed,
        )

    def signup(self, shift: Shift, volunteer: Volunteer | None = None, **times: Any) -> SignUp:
        return SignUp.objects.create(shift=shift, volunteer=volunteer or self.first, **times)


def volunteer(
    *, name: str, community: Organisation, user: Any = None, status: str = VolunteerStatus.APPROVED
) -> Volunteer:
    person = make_person(name=name, id_number=valid_id_number())
    return Volunteer.objects.create(
        person=person, community=community, user=user, name=name, phone="13912345678", status=status, skills=["driving"]
    )


@pytest.fixture
def corps(zone: Zone) -> Corps:
    other = Organisation.objects.create(name="青峰社区", kind=OrganisationKind.COMMUNITY)
    other_market = Organisation.objects.create(name="君昇市场", kind=OrganisationKind.MARKET, community=other)
    other_site = Site.objects.create(organisation=other_market, name="市场入口", kind=SiteKind.MARKET_ENTRANCE)
    shop = Organisation.objects.create(name="长湖街大药房", kind=OrganisationKind.SHOP, community=zone.community)
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, organisation=other)
    volunteer_b = make_user("volunteer_b", Role.VOLUNTEER)
    zone.users.update(worker_b=worker_b, volunteer_b=volunteer_b)
    return Corps(
        zone=zone,
        other_community=other,
        other_site=other_site,
        shop=shop,
        first=volunteer(name="张青葵", community=zone.community, user=zone.volunteer),
        second=volunteer(name="胡柏林", community=zone.community),
        outsider=volunteer(name="欧召应", community=other, user=volunteer_b),
    )


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A moment of the zone's day `day_offset` days from today."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hour, minutes=minute)


# --- Concurrency ----------------------------------------------------------------------------


@pytest.fixture
def concurrent_db(corps: Corps, tmp_path: Any) -> Any:
    with database_shared_by_threads(tmp_path):
        yield corps
