"""A simulated city for the tracing benchmark and large demos (`manage.py simulate_zone`).

Organisations and their gates, people with valid ID numbers and their workplaces, and the entry
log of the last days as the gates would have written it: employees at their workplace gate on
working days (out and back in at lunch), everyone at shops, markets and malls, a few fevers
refused at the gate. The same seed makes the same city; a second run adds a second city beside the
first (other ID numbers, names and client IDs).

The entries are written in the order of their times, as gates write them, so that the log's
physical order, and what the tracing benchmark reads from it, is the one production has. They go
in by the database's bulk path through Django's cursor (COPY on PostgreSQL, one prepared INSERT run
many times elsewhere): millions of rows through the ORM would take hours."""

from __future__ import annotations

import bisect
import json
import math
import random
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from itertools import accumulate
from operator import itemgetter
from statistics import NormalDist

from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from zoneguard.core.masking import mask_id_number
from zoneguard.gates.models import CheckIn, Decision, Direction, OrganisationDayCount, SiteDayCount
from zoneguard.gates.services import rebuild_day_counts
from zoneguard.registry.demo import make_id_number, make_mobile, make_name
from zoneguard.registry.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Person,
    Site,
    SiteKind,
    default_dwell_minutes,
)

from .models import Presence
from .services import rebuild_presences

PEOPLE_RANGE = (10, 10_000_000)
SITES_RANGE = (1, 100_000)
DAYS_RANGE = (1, 30)

NAME_PREFIX = "模拟"  # every simulated organisation's name starts with it

# Site categories. The registry has no kind for malls: a mall is a large shop with a longer stay.
ENTERPRISE, BUILDING, SHOP, MARKET, MALL = range(5)
VISITED = (SHOP, MARKET, MALL)
SITE_SHARES = {SHOP: 0.20, MARKET: 0.06, MALL: 0.04}  # the rest are workplaces
BUILDING_SHARE = 0.25  # of the workplaces
MALL_DWELL_MINUTES = 120

ORGANISATION_NAMES = {
    ENTERPRISE: (
        "机械厂",
        "电子科技有限公司",
        "医疗器械有限公司",
        "食品有限公司",
        "物流有限公司",
        "建材有限公司",
        "纺织有限公司",
        "汽车配件有限公司",
        "软件有限公司",
        "精细化工有限公司",
    ),
    BUILDING: ("安置小区项目", "产业园项目", "道路工程", "学校建设项目", "医院扩建项目", "商业综合体项目"),
    SHOP: ("便利店", "大药房", "湘菜馆", "超市", "面馆", "水果店", "理发店"),
    MARKET: ("农贸市场", "菜市场"),
    MALL: ("购物广场", "商业中心"),
}
ORGANISATION_KINDS = {
    ENTERPRISE: OrganisationKind.ENTERPRISE,
    BUILDING: OrganisationKind.BUILDING_PROJECT,
    SHOP: OrganisationKind.SHOP,
    MARKET: OrganisationKind.MARKET,
    MALL: OrganisationKind.SHOP,
}
GATE_NAMES = {
    ENTERPRISE: ("大门", "东门", "南门"),
    BUILDING: ("工地入口", "东侧入口", "南侧入口"),
    SHOP: ("店门口",),
    MARKET: ("市场入口",),
    MALL: ("商场入口",),
}
SITE_KINDS = {
    ENTERPRISE: SiteKind.GATE,
    BUILDING: SiteKind.SITE_ENTRANCE,
    SHOP: SiteKind.SHOP_ENTRANCE,
    MARKET: SiteKind.MARKET_ENTRANCE,
    MALL: SiteKind.SHOP_ENTRANCE,
}

# Behaviour, tuned so that a city averages about seven passages a person a day: in 2020 every
# shop, market and mall had its check-in code, so a day out meant a handful of scans.
EMPLOYED = 0.8
ABSENT = 0.04  # of an employee's working days
MISSING_OUT = 0.03  # passages out that the gate never recorded
LUNCH_OUT_NEVER = 0.4  # of employees eat in; the others go out on most days
LUNCH_VISIT = 0.5  # of lunches out end up in a shop or restaurant
VISITS_PER_DAY = 2.6  # mean shop, market and mall visits a person makes a weekday
WEEKEND_VISITS = 1.4  # more on Saturdays and Sundays
VISIT_OUT = 0.92  # visits that record the way out too
FAVOURITE = 0.75  # visits to one of the person's own shops, market or mall
FEVERS_PER_PERSON_DAY = 0.001
FEVER_HOME_DAYS = 2  # after a fever the person stays home, then comes back

HOUR, MINUTE = 3600, 60
PEOPLE_CHUNK = 5_000
WRITE_ROWS = 100_000  # entries per transaction
DAY_EVENTS = 2_000_000  # entries of one day held in memory at most, to be sorted by time
UUID_VARIANT = 0x8000000000000000


class SimulationRefused(ValueError):
    """The sizes asked for are outside what the simulation makes."""


def check_sizes(*, people: int, sites: int, days: int) -> None:
    for name, value, (low, high) in (
        ("people", people, PEOPLE_RANGE),
        ("sites", sites, SITES_RANGE),
        ("days", days, DAYS_RANGE),
    ):
        if not low <= value <= high:
            raise SimulationRefused(f"--{name} must be between {low:,} and {high:,} (got {value:,}).")


@dataclass
class Phase:
    name: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class SimulationReport:
    seed: int
    days: int
    organisations: int = 0
    sites: int = 0
    people: int = 0
    memberships: int = 0
    checkins: int = 0
    denied: int = 0
    presences: int = 0
    phases: list[Phase] = field(default_factory=list)

    def lines(self) -> list[str]:
        total = sum(p.seconds for p in self.phases)
        out = [
            f"Simulated {self.people:,} people ({self.memberships:,} employed), {self.sites:,} sites of "
            f"{self.organisations:,} organisations, {self.days} days (seed {self.seed}): "
            f"{self.checkins:,} check-ins ({self.denied:,} refused for fever), {self.presences:,} presences "
            "in the whole log.",
            f"{'phase':<24}{'rows':>14}{'seconds':>10}{'rows/s':>12}",
        ]
        out += [f"{p.name:<24}{p.rows:>14,}{p.seconds:>10.1f}{p.rate:>12,.0f}" for p in self.phases]
        out.append(f"{'total':<24}{'':>14}{total:>10.1f}")
        return out


class ProgressLine:
    """One line rewritten in place (`\\r`): rows so far, share done, rows per second."""

    def __init__(self, label: str, write: Callable[[str], None] | None, interval: float = 0.5) -> None:
        self.label = label
        self.write = write
        self.interval = interval
        self.started = self.shown = time.monotonic()

    def update(self, rows: int, done: float | None = None, *, final: bool = False) -> None:
        now = time.monotonic()
        if self.write is None or (not final and now - self.shown < self.interval):
            return
        self.shown = now
        elapsed = now - self.started
        rate = rows / elapsed if elapsed > 0 else 0.0
        if done is None:
            bar = ""
        else:
            done = min(max(done, 0.0), 1.0)
            filled = int(done * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done * 100:5.1f}% "
        self.write(f"\r{self.label:<12} {bar}{rows:>12,} rows {rate:>10,.0f} rows/s {elapsed:7.1f} s")
        if final:
            self.write("\n")


@dataclass
class ZoneSites:
    """The simulated sites by index: their keys, their organisations', and their categories."""

    site_pks: list[int] = field(default_factory=list)
    organisation_pks: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)
    # Workplaces: each organisation's gates (site indices), its category, and cumulative weights
    # for drawing an employee's employer.
    workplace_gates: list[list[int]] = field(default_factory=list)
    workplace_organisations: list[Organisation] = field(default_factory=list)
    workplace_weights: list[float] = field(default_factory=list)
    # Visited sites by category, with cumulative popularity weights.
    visited: dict[int, list[int]] = field(default_factory=dict)
    visited_weights: dict[int, list[float]] = field(default_factory=dict)


@dataclass
class Population:
    """The simulated people by index (kept compact: a run may make millions)."""

    person_pks: array[int] = field(default_factory=lambda: array("q"))
    masked_id_numbers: list[str] = field(default_factory=list)
    workplace_sites: array[int] = field(default_factory=lambda: array("l"))  # -1 when not employed
    memberships: int = 0


def simulate_zone(
    *,
    people: int,
    sites: int,
    days: int,
    seed: int,
    until: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SimulationReport:
    """Add a simulated city to the database: `sites` sites, `people` people and their entries of
    the `days` days before `until` (now by default); then rebuild the tracing presences and the
    gates' day counts."""
    check_sizes(people=people, sites=sites, days=days)
    until = (until or timezone.now()).replace(microsecond=0)
    rng = random.Random(seed)  # noqa: S311 (not secret)
    # One stream per part: the ID numbers that clash with people already registered are drawn
    # again, and that must not change the rest of the city.
    parts = ("sites", "ids", "people", "checkins", "rows")
    streams = {name: random.Random(rng.getrandbits(64)) for name in parts}  # noqa: S311
    report = SimulationReport(seed=seed, days=days)
    with _bulk_session():
        started = time.monotonic()
        zone_sites, report.organisations = create_sites(rng=streams["sites"], count=sites)
        report.sites = len(zone_sites.site_pks)
        report.phases.append(Phase("organisations & sites", report.sites, time.monotonic() - started))

        started = time.monotonic()
        line = ProgressLine("people", progress)
        population = create_people(
            rng=streams["people"], id_rng=streams["ids"], count=people, sites=zone_sites, today=until.date(), line=line
        )
        report.people, report.memberships = len(population.person_pks), population.memberships
        report.phases.append(Phase("people & memberships", report.people, time.monotonic() - started))

        started = time.monotonic()
        admitted_before = CheckIn.objects.filter(decision=Decision.ALLOW, person__isnull=False).count()
        line = ProgressLine("check-ins", progress)
        writer = CheckinWriter(seed=seed, rng=streams["rows"], sites=zone_sites, population=population)
        simulate_checkins(
            rng=streams["checkins"],
            sites=zone_sites,
            population=population,
            start=until - timedelta(days=days),
            until=until,
            writer=writer,
            line=line,
        )
        report.checkins, report.denied = writer.written, writer.denied
        _analyze([CheckIn, Person, Membership, Organisation, Site])
        report.phases.append(Phase("check-ins", report.checkins, time.monotonic() - started))

        started = time.monotonic()
        line = ProgressLine("presences", progress)
        admitted = admitted_before + writer.written - writer.denied
        report.presences = rebuild_presences(progress=lambda read: line.update(read, read / max(admitted, 1)))
        line.update(admitted, 1.0, final=True)
        _analyze([Presence])
        report.phases.append(Phase("presences (rebuild)", report.presences, time.monotonic() - started))

        started = time.monotonic()
        line = ProgressLine("day counts", progress)
        span = max(days, 1)
        counted = rebuild_day_counts(progress=lambda done: line.update(done, min(done / span, 1.0)))
        line.update(counted, 1.0, final=True)
        _analyze([SiteDayCount, OrganisationDayCount])
        report.phases.append(Phase("day counts (rebuild)", counted, time.monotonic() - started))
    return report


SQLITE_CACHE_KIB = 1_000_000


@contextmanager
def _bulk_session() -> Iterator[None]:
    """On SQLite, a page cache that holds the indexes being filled, for this connection while the
    run lasts: each entry lands in its person's place in the person index, far from the last one,
    and with the server's small cache every such insert would write a page out."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={previous}")


def _analyze(models: Sequence[type[Model]]) -> None:
    """PostgreSQL plans the rebuild's and the benchmark's queries from table statistics that a
    bulk load leaves stale until autovacuum comes by."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


# --- Organisations and sites -------------------------------------------------------------------


def site_counts(count: int) -> dict[int, int]:
    """How many sites of each category: most are workplaces, at least one."""
    counts = {category: round(count * share) for category, share in SITE_SHARES.items()}
    while sum(counts.values()) >= count:
        largest = max(counts, key=lambda c: counts[c])
        counts[largest] -= 1
    counts[ENTERPRISE] = count - sum(counts.values())  # workplaces; split below into enterprises and projects
    return counts


def create_sites(*, rng: random.Random, count: int) -> tuple[ZoneSites, int]:
    """Organisations with their sites; returns the sites and how many organisations were made."""
    counts = site_counts(count)
    plan: list[tuple[int, int]] = []  # (category, gates)
    remaining = counts[ENTERPRISE]
    while remaining > 0:
        gates = min(remaining, 1 if (x := rng.random()) < 0.85 else 2 if x < 0.97 else 3)
        plan.append((BUILDING if rng.random() < BUILDING_SHARE else ENTERPRISE, gates))
        remaining -= gates
    for category in VISITED:
        plan += [(category, 1)] * counts[category]
    rng.shuffle(plan)

    names = _organisation_names(rng, [category for category, _gates in plan])
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=name,
                kind=ORGANISATION_KINDS[category],
                size=OrganisationSize.LARGE if category == MALL else "",
                address=f"衡阳市高新区模拟路{i + 1}号",
            )
            for i, ((category, _gates), name) in enumerate(zip(plan, names, strict=True))
        ],
        batch_size=1_000,
    )
    site_rows: list[tuple[int, Site]] = []
    for (category, gates), organisation in zip(plan, organisations, strict=True):
        dwell = MALL_DWELL_MINUTES if category == MALL else default_dwell_minutes(organisation.kind)
        for gate in range(gates):
            site = Site(
                organisation=organisation,
                name=GATE_NAMES[category][gate],
                kind=SITE_KINDS[category],
                default_dwell_minutes=dwell,
                address=organisation.address,
            )
            site_rows.append((category, site))
    created = Site.objects.bulk_create([site for _category, site in site_rows], batch_size=1_000)

    zone = ZoneSites()
    for (category, _site), site in zip(site_rows, created, strict=True):
        zone.site_pks.append(site.pk)
        zone.organisation_pks.append(site.organisation_id)
        zone.categories.append(category)
    index = 0
    weights: list[float] = []
    for (category, gates), organisation in zip(plan, organisations, strict=True):
        gate_indices = list(range(index, index + gates))
        index += gates
        if category in (ENTERPRISE, BUILDING):
            zone.workplace_gates.append(gate_indices)
            zone.workplace_organisations.append(organisation)
            # A few large employers, many small ones; more gates, more staff.
            weights.append(min(rng.paretovariate(1.2), 60.0) * gates)
        else:
            zone.visited.setdefault(category, []).append(gate_indices[0])
    zone.workplace_weights = list(accumulate(weights))
    for category, indices in zone.visited.items():
        zone.visited_weights[category] = list(accumulate(min(rng.paretovariate(1.5), 20.0) for _ in indices))
    return zone, len(organisations)


def _organisation_names(rng: random.Random, categories: Sequence[int]) -> list[str]:
    """ "模拟机械厂0001": numbered on from the simulated organisations already there, so that names
    stay unique when a second city is added."""
    taken = set(Organisation.objects.filter(name__startswith=NAME_PREFIX).values_list("name", flat=True))
    width = max(4, len(str(len(categories) + len(taken))))
    names: list[str] = []
    number = len(taken)
    for category in categories:
        kind = rng.choice(ORGANISATION_NAMES[category])
        while True:
            number += 1
            name = f"{NAME_PREFIX}{kind}{number:0{width}d}"
            if name not in taken:
                break
        names.append(name)
    return names


def _size(staff: int) -> str:
    if staff < 10:
        return OrganisationSize.MICRO
    if staff < 100:
        return OrganisationSize.SMALL
    if staff < 300:
        return OrganisationSize.MEDIUM
    return OrganisationSize.LARGE


# --- People -------------------------------------------------------------------------------------


def create_people(
    *,
    rng: random.Random,
    id_rng: random.Random,
    count: int,
    sites: ZoneSites,
    today: date,
    line: ProgressLine,
) -> Population:
    """People with valid, unique ID numbers; employees with a membership of their workplace and
    the gate they use."""
    population = Population()
    staff = [0] * len(sites.workplace_organisations)
    total_weight = sites.workplace_weights[-1] if sites.workplace_weights else 0.0
    for first in range(0, count, PEOPLE_CHUNK):
        size = min(PEOPLE_CHUNK, count - first)
        numbers = _unique_id_numbers(id_rng, size)
        people: list[Person] = []
        employers: list[int] = []
        for number in numbers:
            employer = -1
            if total_weight and rng.random() < EMPLOYED:
                employer = min(
                    bisect.bisect_left(sites.workplace_weights, rng.random() * total_weight),
                    len(staff) - 1,
                )
            gates = sites.workplace_gates[employer] if employer >= 0 else []
            # Most staff use the main gate; the others the gate nearest their workshop.
            population.workplace_sites.append(
                -1 if not gates else gates[0] if rng.random() < 0.7 else rng.choice(gates)
            )
            employers.append(employer)
            people.append(
                Person(
                    name=make_name(rng),
                    id_number=number,
                    phone=make_mobile(rng),
                    birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    registered_by=sites.workplace_organisations[employer] if employer >= 0 else None,
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=1_000)
            memberships = []
            for person, employer in zip(people, employers, strict=True):
                if employer >= 0:
                    staff[employer] += 1
                    memberships.append(
                        Membership(
                            person=person,
                            organisation=sites.workplace_organisations[employer],
                            name=person.name,
                            phone=person.phone,
                            position="员工",
                            started_on=today - timedelta(days=rng.randrange(30, 3_650)),
                        )
                    )
            Membership.objects.bulk_create(memberships, batch_size=1_000)
        population.memberships += len(memberships)
        masks: dict[str, str] = {}  # a few hundred thousand distinct masks however many people
        for person in people:
            population.person_pks.append(person.pk)
            masked = mask_id_number(person.id_number)[:18]
            population.masked_id_numbers.append(masks.setdefault(masked, masked))
        line.update(len(population.person_pks), len(population.person_pks) / count)
    line.update(len(population.person_pks), 1.0, final=True)
    for organisation, employed in zip(sites.workplace_organisations, staff, strict=True):
        organisation.total_staff = employed
        organisation.size = _size(employed)
    Organisation.objects.bulk_update(sites.workplace_organisations, ["total_staff", "size"], batch_size=1_000)
    return population


def _unique_id_numbers(rng: random.Random, size: int) -> list[str]:
    """`size` valid ID numbers that nobody registered has; those already taken are drawn again."""
    taken: set[str] = set()
    numbers = [make_id_number(rng, taken) for _ in range(size)]
    while clash := set(Person.objects.filter(id_number__in=numbers).values_list("id_number", flat=True)):
        numbers = [make_id_number(rng, taken) if number in clash else number for number in numbers]
    return numbers


# --- Check-ins ----------------------------------------------------------------------------------

# An entry planned for the log: (epoch seconds, person index, site index, what). `what` is IN or
# OUT, or for an entry refused for fever the temperature measured.
IN, OUT = 0, 1
Entry = tuple[int, int, int, int | str]
Row = tuple[str, int, int, int, str, str, str, str, str, str, str, str, str, None, None]
IN_TEXT, OUT_TEXT = Direction.IN.value, Direction.OUT.value
ALLOW_TEXT, DENY_TEXT = Decision.ALLOW.value, Decision.DENY.value

# Quantiles, drawn from by index: as good as a normal draw for a log, and faster.
NORMAL_TEMPERATURES = [
    f"{min(max(NormalDist(36.5, 0.25).inv_cdf((q + 0.5) / 200), 36.0), 37.2):.1f}" for q in range(200)
]
# Most fevers are slight: 37.3 °C plus an exponential of mean 0.6 °C, at most 40 °C.
FEVER_TEMPERATURES = [f"{min(37.3 + 0.6 * -math.log(1 - (q + 0.5) / 50), 40.0):.1f}" for q in range(50)]


class Behaviour:
    """Who goes where on a day: each person's habits, drawn once, and the rules of a day."""

    def __init__(self, *, rng: random.Random, sites: ZoneSites, population: Population, day_count: int) -> None:
        self.rng = rng
        self.sites = sites
        self.population = population
        count = len(population.person_pks)
        self.lunch_out = array(
            "f", (0.0 if rng.random() < LUNCH_OUT_NEVER else rng.uniform(0.5, 1.0) for _ in range(count))
        )
        self.visit_rate = array("f", (VISITS_PER_DAY * rng.gammavariate(2.0, 0.5) for _ in range(count)))
        # Each person's own shops (three), market and mall.
        self.favourites = {
            SHOP: [array("l", (self._popular(SHOP) for _ in range(count))) for _shop in range(3)],
            MARKET: [array("l", (self._popular(MARKET) for _ in range(count)))],
            MALL: [array("l", (self._popular(MALL) for _ in range(count)))],
        }
        self.home_until = array("l", [-1]) * count
        fevers = min(count, max(1, round(FEVERS_PER_PERSON_DAY * count * day_count)))
        # On whole days inside the window, so that even a small city shows one.
        fever_days = list(range(1, day_count - 1)) or list(range(day_count))
        self.fever_day = {person: rng.choice(fever_days) for person in rng.sample(range(count), fevers)}
        self.available = [c for c in VISITED if sites.visited.get(c)]

    def _popular(self, category: int) -> int:
        indices = self.sites.visited.get(category)
        if not indices:
            return -1
        weights = self.sites.visited_weights[category]
        return indices[min(bisect.bisect_left(weights, self.rng.random() * weights[-1]), len(indices) - 1)]

    def _visit_site(self, person: int, weekend: bool) -> tuple[int, int]:
        """(site index, category) of a visit."""
        x = self.rng.random()
        category = (
            (SHOP if x < 0.45 else MARKET if x < 0.7 else MALL)
            if weekend
            else (SHOP if x < 0.65 else MARKET if x < 0.9 else MALL)
        )
        if category not in self.available:
            category = self.available[0]
        if self.rng.random() < FAVOURITE:
            own = self.favourites[category]
            return own[self.rng.randrange(len(own))][person], category
        return self._popular(category), category

    def _count(self, mean: float) -> int:
        # Poisson (Knuth): a handful of visits at most, so a few draws.
        limit, k, p = math.exp(-mean), 0, self.rng.random()
        while p > limit and k < 8:
            k += 1
            p *= self.rng.random()
        return k

    def _jitter(self, spread: int) -> int:
        # Close to a normal of standard deviation `spread`, bounded at three.
        r = self.rng.random
        return int((r() + r() + r() - 1.5) * 2 * spread)

    def day(self, person: int, day: int, weekday: int, midnight: int, into: list[Entry]) -> None:
        """Append the person's entries of the day, in order."""
        if self.home_until[person] >= day:
            return
        r = self.rng.random
        plan: list[tuple[int, int, int]] = []  # (seconds after midnight, site index, IN/OUT)
        weekend = weekday >= 5
        free_from, free_until = 8 * HOUR + int(r() * HOUR), 21 * HOUR
        gate = self.population.workplace_sites[person]
        if gate >= 0:
            project = self.sites.categories[gate] == BUILDING
            # Building sites work on Saturdays too, and start and stop half an hour earlier.
            works = (weekday < 5 or (project and weekday == 5)) and r() >= ABSENT
            if works:
                shift = HOUR // 2 if project else 0
                plan.append((8 * HOUR - shift + self._jitter(10 * MINUTE), gate, IN))
                if r() < self.lunch_out[person]:
                    lunch = 12 * HOUR + self._jitter(5 * MINUTE)
                    back = lunch + 50 * MINUTE + int(r() * 10 * MINUTE)
                    plan.append((lunch, gate, OUT))
                    if self.available and r() < LUNCH_VISIT:
                        site, _category = self._visit_site(person, False)
                        start = lunch + 3 * MINUTE + int(r() * 5 * MINUTE)
                        plan.append((start, site, IN))
                        plan.append((start + 25 * MINUTE + int(r() * 12 * MINUTE), site, OUT))
                    plan.append((back, gate, IN))
                leave = 17 * HOUR + 30 * MINUTE - shift + self._jitter(15 * MINUTE)
                if r() >= MISSING_OUT:
                    plan.append((leave, gate, OUT))
                free_from, free_until = leave + 5 * MINUTE + int(r() * 15 * MINUTE), 21 * HOUR + 30 * MINUTE
        if self.available:
            self._visits(person, weekend, free_from, free_until, plan)
        fever = self.fever_day.get(person) == day
        if fever:
            first = next((i for i, step in enumerate(plan) if step[2] == IN), None)
            if first is None:  # they feel unwell and go to the pharmacy or a market
                site, _category = self._visit_site(person, weekend) if self.available else (gate, 0)
                if site < 0:
                    return
                plan, first = [(9 * HOUR + int(r() * 2 * HOUR), site, IN)], 0
            at, site, _in = plan[first]
            into.extend((midnight + s, person, g, what) for s, g, what in plan[:first])
            into.append((midnight + at, person, site, self.rng.choice(FEVER_TEMPERATURES)))
            self.home_until[person] = day + FEVER_HOME_DAYS
            return
        into.extend((midnight + s, person, g, what) for s, g, what in plan)

    def _visits(self, person: int, weekend: bool, start: int, end: int, plan: list[tuple[int, int, int]]) -> None:
        wanted = self._count(self.visit_rate[person] * (WEEKEND_VISITS if weekend else 1.0))
        wanted = min(wanted, (end - start) // (30 * MINUTE))
        if wanted <= 0:
            return
        slot = (end - start) // wanted
        r = self.rng.random
        for i in range(wanted):
            site, category = self._visit_site(person, weekend)
            longest = 150 * MINUTE if category == MALL else 90 * MINUTE
            shortest = 40 * MINUTE if category == MALL else 20 * MINUTE
            stay = min(shortest + int(r() * (longest - shortest)), slot - 5 * MINUTE)
            arrive = start + i * slot + int(r() * (slot - stay - 4 * MINUTE))
            plan.append((arrive, site, IN))
            if r() < VISIT_OUT:
                plan.append((arrive + stay, site, OUT))


def local_days(start: datetime, until: datetime) -> list[tuple[int, int]]:
    """(weekday, epoch seconds of local midnight) of every local day the window touches."""
    zone = timezone.get_default_timezone()
    first, last = timezone.localtime(start, zone).date(), timezone.localtime(until, zone).date()
    days = []
    while first <= last:
        days.append((first.weekday(), int(datetime.combine(first, clock.min, tzinfo=zone).timestamp())))
        first += timedelta(days=1)
    return days


def simulate_checkins(
    *,
    rng: random.Random,
    sites: ZoneSites,
    population: Population,
    start: datetime,
    until: datetime,
    writer: CheckinWriter,
    line: ProgressLine,
) -> None:
    """The entries of every day between start and until, written day by day in the order of time."""
    days = local_days(start, until)
    behaviour = Behaviour(rng=rng, sites=sites, population=population, day_count=len(days))
    low, high = int(start.timestamp()), int(until.timestamp())
    count = len(population.person_pks)
    group = max(1, DAY_EVENTS // 8)  # people whose day is sorted at once
    steps = len(days) * math.ceil(count / group)
    step = 0
    for day, (weekday, midnight) in enumerate(days):
        for first in range(0, count, group):
            entries: list[Entry] = []
            for person in range(first, min(first + group, count)):
                behaviour.day(person, day, weekday, midnight, entries)
            entries = [e for e in entries if low <= e[0] <= high]
            entries.sort(key=itemgetter(0))  # stable: a person's passages in the same second keep their order
            with writer.stream() as write:
                for chunk in range(0, len(entries), WRITE_ROWS):
                    write(entries[chunk : chunk + WRITE_ROWS])
                    line.update(writer.written, (step + min(chunk + WRITE_ROWS, len(entries)) / len(entries)) / steps)
            step += 1
    line.update(writer.written, 1.0, final=True)


# The entry log's columns in the order the writers give them: every one but the id.
WRITTEN_FIELDS = (
    "client_id",
    "site",
    "organisation",
    "person",
    "masked_id_number",
    "direction",
    "temperature",
    "decision",
    "status",
    "reasons",
    "face",
    "checked_at",
    "received_at",
    "token",
    "recorded_by",
)


class CheckinWriter:
    """Writes planned entries as the gate would have recorded them, in bulk."""

    def __init__(self, *, seed: int, rng: random.Random, sites: ZoneSites, population: Population) -> None:
        self.rng = rng
        self.sites = sites
        self.population = population
        self.written = self.denied = 0
        # Client IDs: version-4 UUIDs whose high half is drawn from the seed and the log's last id
        # (so that another run adds new ones) and whose low half counts, so that the unique index
        # is filled at one end.
        last = CheckIn.objects.aggregate(last=Max("pk"))["last"] or 0
        high = random.Random(f"{seed}:{last}").getrandbits(64)  # noqa: S311 (not secret)
        self.client_prefix = f"{(high & ~0xF000) | 0x4000:016x}"
        self.clock = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]
        self.dates: dict[int, str] = {}
        meta = CheckIn._meta
        columns = {f.name: f.column for f in meta.concrete_fields}
        self.columns = [columns[name] for name in WRITTEN_FIELDS]
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.column_list = ", ".join(quote(c) for c in self.columns)

    def _rows(self, entries: Sequence[Entry]) -> list[Row]:
        """The entries as rows of WRITTEN_FIELDS' values, times in UTC in the form Django stores
        on SQLite ("2026-12-03 00:00:00"), which PostgreSQL reads too."""
        normal, r = NORMAL_TEMPERATURES, self.rng.random
        persons, masks = self.population.person_pks, self.population.masked_id_numbers
        site_keys, organisation_keys = self.sites.site_pks, self.sites.organisation_pks
        prefix, clock, dates = self.client_prefix, self.clock, self.dates
        rows: list[Row] = []
        append = rows.append
        for n, (at, person, site, what) in enumerate(entries, start=self.written):
            day, second = divmod(at, 86_400)
            if (date_text := dates.get(day)) is None:
                date_text = dates[day] = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d")
            moment = date_text + clock[second]
            if what == IN:
                direction, temperature, decision, reasons = IN_TEXT, normal[int(r() * 200)], ALLOW_TEXT, "[]"
            elif what == OUT:
                direction, temperature, decision, reasons = OUT_TEXT, normal[int(r() * 200)], ALLOW_TEXT, "[]"
            else:
                direction, temperature, decision = IN_TEXT, str(what), DENY_TEXT
                reasons = json.dumps([{"code": "fever", "temperature": temperature}])
                self.denied += 1
            append(
                (
                    f"{prefix}{UUID_VARIANT | n:016x}",
                    site_keys[site],
                    organisation_keys[site],
                    persons[person],
                    masks[person],
                    direction,
                    temperature,
                    decision,
                    "green",
                    reasons,
                    "",
                    moment,
                    moment,
                    None,
                    None,
                )
            )
        return rows

    @contextmanager
    def stream(self) -> Iterator[Callable[[Sequence[Entry]], None]]:
        """A function writing entries, chunk after chunk. On PostgreSQL the chunks go into one COPY
        in one transaction, queued, so that the next chunk is made while the server stores the last
        one; elsewhere each chunk is a transaction of its own, to keep SQLite's log short."""
        if connection.vendor != "postgresql":
            yield self._insert
            return
        statement = f"COPY {self.table} ({self.column_list}) FROM STDIN"
        # Django's cursor hands copy() to psycopg's own cursor, which the queue writes through.
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy,
        ):
            yield lambda entries: copy.write(self._copy_text(entries))

    def _copy_text(self, entries: Sequence[Entry]) -> str:
        # COPY's text format: the values here hold no tab, newline or backslash to escape.
        lines = [
            f"{cid}\t{site}\t{org}\t{person}\t{masked}\t{direction}\t{temp}\t{decision}\t{status}\t{reasons}\t"
            f"{face}\t{at}+00\t{at}+00\t\\N\t\\N\n"
            for cid, site, org, person, masked, direction, temp, decision, status, reasons, face, at, *_ in self._rows(
                entries
            )
        ]
        self.written += len(lines)
        return "".join(lines)

    def _insert(self, entries: Sequence[Entry]) -> None:
        placeholders = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {self.table} ({self.column_list}) VALUES ({placeholders})"  # noqa: S608 (names from the model)
        rows = self._rows(entries)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        self.written += len(rows)
