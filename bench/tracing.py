"""Contact-tracing benchmark: traces of random people in a simulated city (`manage.py
simulate_zone`), served the way production does (gunicorn, 2 sync workers, gunicorn.conf.py), on
SQLite and on PostgreSQL. Prints, per run and then as the median of the runs with their lowest and
highest:

- GET /api/v1/tracing/contacts?days=14&min_overlap_minutes=15&depth=1, then depth=2, a commander's
  token, a different person each request, 2 client threads: p50, p95 and max latency and traces
  per second. The answer is the API's default page (the 100 closest contacts; the contacts found
  in all, its `count`, are what the figures call contacts). A figure includes everything a trace
  costs: HTTP and gunicorn, the token's check, the fold of newly recorded entries (nothing new
  arrives here, so it finds none), the trace's queries, the audit row each trace writes, and the
  JSON;
- in the benchmark's own process, against the same database right after the HTTP phase, for the
  first people of the same sample, each statement run twice and the second (warm) run timed:
  the trace's answer computed from the raw entry log alone (`exact_sql`: every admitted passage
  with the person's next one beside it, a window function, each `in` ended as intervals.py ends
  it, and those stays self-joined on the site; it reads the whole log of the window, so it runs
  for the first 10 people of cities up to 3 million check-ins, `--exact`), checked contact by
  contact against the trace's; an indexed self-join over the raw entry log that does less (the
  person's admitted entries against everyone else's admitted entries at the same site within the
  site's usual stay, grouped by the other person: no exits, no threshold, an approximation); the
  presence self-join the trace runs (selectors._overlaps, summed per contact and site as the trace
  sums it); the trace's whole database part (selectors.contacts, depth 1) and the whole trace
  (services.trace, depth 1: with the fold and the audit row); the ratios of the exact answer and
  of the indexed self-join to the whole trace, per person (median and lowest).

    .venv/bin/python bench/tracing.py --db sqlite --people 10000 --sites 200      # ~1M check-ins
    .venv/bin/python bench/tracing.py --db sqlite --reuse /tmp/sim/db.sqlite3     # 10M, already simulated
    BENCH_DATABASE_URL=postgres://zg:zg@%2Fvar%2Frun%2Fpostgresql/zg_bench \\
        .venv/bin/python bench/tracing.py --db postgres --reuse zg_sim10m

The city is simulated (or, with --reuse, copied: an SQLite file with SQLite's backup, a
PostgreSQL database as a template) once per database into the benchmark's own database, which
the runs then share; each run starts its own gunicorn. A reused database is never written to:
the commander, its token and the audit rows go into the copy (--in-place uses it as it is, for a
database of your own). --save keeps the freshly simulated city, before the benchmark's own rows,
for later --reuse. The PostgreSQL database named by BENCH_DATABASE_URL is dropped and created anew.
Figures depend on the machine and its load; nothing here asserts a timing."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import GUNICORN, PYTHON, ROOT, analyse, bench_environment, free_port, wait_for

SAMPLE = 1000  # people drawn (fixed seed) among those seen in the window
WARMUP = 20  # depth-1 traces before the figures, of people outside the sample
TARGETS = {  # issue: depth 1 p95 by city size, depth 2 p95, raw self-join / trace ratio
    "depth1_small_ms": 50.0,  # about 1 million check-ins
    "depth1_ms": 250.0,  # about 10 million check-ins
    "depth2_ms": 2000.0,
    "ratio": 10.0,
}
SIMULATE_COMMAND = ROOT / "zoneguard" / "tracing" / "management" / "commands" / "simulate_zone.py"


# --- The benchmark's process ------------------------------------------------------------------


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite database (its write-ahead log included), read-only on the
    source."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=65536)
    finally:
        dst.close()
        src.close()


def pg_url_for(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def pg_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def pg_create(url: str, template: str | None = None) -> None:
    """The database of `url` dropped and created anew: empty, or a copy of `template`."""
    import psycopg
    from psycopg import sql

    maintenance = pg_url_for(url, "postgres")
    name = pg_name(url)
    if template == name:
        raise SystemExit(f"--reuse {template}: that is the benchmark's own database, which it drops; save it elsewhere")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if template is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )


def child(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, __file__, "--child", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return result.stdout if capture else ""


def simulate(env: dict[str, str], args: argparse.Namespace) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    sizes = [f"--people={args.people}", f"--sites={args.sites}", f"--days={args.days}", f"--seed={args.seed}"]
    started = time.monotonic()
    if SIMULATE_COMMAND.exists():
        subprocess.run([PYTHON, "manage.py", "simulate_zone", *sizes], cwd=ROOT, env=env, check=True)
    else:  # before the command existed: the simulation's function itself
        child(env, "simulate", *sizes)
    print(f"   simulated in {time.monotonic() - started:.0f} s", flush=True)


def prepare(database: str, args: argparse.Namespace, work: Path) -> tuple[str, str | None]:
    """The benchmark's own database with the city in it: (DATABASE_URL, what was reused)."""
    reuse = args.reuse.get(database)
    if database == "sqlite":
        target = work / "city.sqlite3"
        if reuse and args.in_place:
            return f"sqlite:///{Path(reuse).resolve()}", reuse
        if reuse:
            print(f"== SQLite: copying {reuse}", flush=True)
            sqlite_copy(Path(reuse), target)
            return f"sqlite:///{target}", reuse
        url = f"sqlite:///{target}"
        print(f"== SQLite: simulating {args.people:,} people, {args.sites:,} sites, {args.days} days", flush=True)
        simulate(bench_environment(url, work), args)
        if args.save.get("sqlite"):
            sqlite_copy(target, Path(args.save["sqlite"]))
            print(f"   saved as {args.save['sqlite']}", flush=True)
        return url, None
    url = args.postgres_url
    if reuse and args.in_place:
        return pg_url_for(url, reuse), reuse
    if reuse:
        print(f"== PostgreSQL: copying database {reuse} into {pg_name(url)}", flush=True)
        pg_create(url, template=reuse)
        return url, reuse
    pg_create(url)
    print(f"== PostgreSQL: simulating {args.people:,} people, {args.sites:,} sites, {args.days} days", flush=True)
    simulate(bench_environment(url, work), args)
    if args.save.get("postgres"):
        pg_create(pg_url_for(url, args.save["postgres"]), template=pg_name(url))
        print(f"   saved as database {args.save['postgres']}", flush=True)
    return url, None


def traces(
    port: int, token: str, people: list[int], count: int, depth: int, days: int, threads: int, max_errors: int
) -> dict[str, Any]:
    """`count` traces, of people[0], people[1] ... in turn, from `threads` clients back to back;
    stopped after `max_errors` failures (a trace longer than gunicorn's timeout fails). A failed
    trace counts in the latencies with the time it took to fail."""
    latencies: list[float] = []
    contacts: list[int] = []
    errors: list[str] = []
    failed: list[float] = []  # how long the failed requests took
    lock = threading.Lock()
    counter = iter(range(count))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        headers = {"Authorization": f"Bearer {token}"}
        while True:
            with lock:
                n = next(counter, None) if len(errors) < max_errors else None
            if n is None:
                return
            person = people[n % len(people)]
            path = f"/api/v1/tracing/contacts?person_id={person}&days={days}&min_overlap_minutes=15&depth={depth}"
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:  # e.g. gunicorn's worker timeout
                conn.close()
                with lock:
                    failed.append((time.perf_counter() - started) * 1000)
                    errors.append(f"{type(exc).__name__} after {failed[-1] / 1000:.1f} s")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                    contacts.append(json.loads(body)["count"])
                else:
                    failed.append(elapsed)
                    errors.append(f"{response.status} {body[:200]!r}")

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    if errors:
        print(f"   {len(errors)} errors, the first: {errors[0]}", flush=True)
    served = len(latencies)
    latencies = sorted(latencies + failed)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": served / elapsed if elapsed else 0.0,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "max": latencies[-1] if latencies else 0.0,
        "contacts": statistics.median(contacts) if contacts else 0,
        "contacts_max": max(contacts) if contacts else 0,
    }


def one_run(database: str, url: str, work: Path, setup: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    env = bench_environment(url, work)
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "--workers", "2", "--bind", f"127.0.0.1:{port}", "zoneguard.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "a"),  # noqa: SIM115
    )
    result: dict[str, Any] = {"database": database}
    try:
        wait_for(port)
        token, sample, warmup = setup["token"], setup["sample"], setup["warmup"]
        # Warm-up (connections, code, caches) with people outside the sample, at depth 1 only:
        # a depth-2 trace may take longer than gunicorn's timeout.
        traces(port, token, warmup, WARMUP, 1, args.days, args.threads, WARMUP)
        for depth, count in ((1, args.requests), (2, args.requests_depth2)):
            print(f"== {database}: {count} traces, depth {depth}, {args.threads} clients", flush=True)
            result[f"depth{depth}"] = traces(
                port, token, sample, count, depth, args.days, args.threads, args.max_errors
            )
    finally:
        server.terminate()
        server.wait(timeout=60)
    if args.compare:
        print(f"== {database}: raw self-join against the trace, in-process, {args.compare} people", flush=True)
        exact = args.exact if args.exact is not None else (10 if setup["city"]["checkins"] < 3_000_000 else 0)
        exact = min(exact, args.compare)
        out = child(env, "compare", str(work), str(args.compare), str(exact), str(args.days), capture=True)
        result["compare"] = json.loads(out.strip().splitlines()[-1])
    report(result, setup["city"])
    return result


def ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def depth1_target(city: dict[str, Any]) -> float:
    return TARGETS["depth1_small_ms"] if city["checkins"] < 3_000_000 else TARGETS["depth1_ms"]


def report(r: dict[str, Any], city: dict[str, Any]) -> None:
    print(f"\n{r['database']}: {city['checkins']:,} check-ins, {city['presences']:,} presences")
    for depth in (1, 2):
        m = r[f"depth{depth}"]
        print(
            f"  depth {depth}  {m['requests']:4d} traces   p50 {ms(m['p50']):>10}   p95 {ms(m['p95']):>10}"
            f"   max {ms(m['max']):>10}   {m['rps']:6.1f} traces/s   contacts: median {m['contacts']:.0f},"
            f" max {m['contacts_max']}   errors {m['errors']}"
        )
    c = r.get("compare")
    if c:
        print(f"  in-process, {c['people']} people, median per person (warm):")
        rows = [
            ("indexed self-join over gates_checkin", c["selfjoin"], f"{c['selfjoin_rows']:.0f} people"),
            ("presence self-join (selectors._overlaps)", c["shared"], f"{c['shared_rows']:.0f} rows"),
            ("selectors.contacts, depth 1", c["contacts"], f"{c['contacts_found']:.0f} contacts"),
        ]
        if c["exact_people"]:
            rows.append(("exact answer from gates_checkin", c["exact"], f"first {c['exact_people']} people"))
        for label, value, size in rows:
            print(f"    {label:<44} {ms(value):>10}   ({size})")
        print(f"    {'services.trace, depth 1 (+ fold, audit row)':<44} {ms(c['trace']):>10}")
        if c["exact_people"]:
            print(
                f"    exact answer from the log / services.trace: median {c['exact_ratio']:.1f}×,"
                f" lowest {c['exact_ratio_low']:.1f}×; the same contacts and times as the trace's for"
                f" {c['exact_same']} of {c['exact_people']} people"
            )
        print(
            f"    indexed self-join / services.trace: median {c['ratio']:.1f}×, lowest {c['ratio_low']:.1f}×"
            f"   (/ selectors.contacts: median {c['ratio_contacts']:.1f}×)"
        )
    print(flush=True)


def summarise(runs: list[dict[str, Any]], city: dict[str, Any]) -> None:
    """The median of the runs, with the lowest and highest: read a figure as its median."""
    if len(runs) < 2:
        return
    target1 = depth1_target(city)
    figures: dict[str, tuple[list[float], str, float | None, bool]] = {
        # label: (values, unit, target, whether the target is a floor)
        "depth 1 p50": ([r["depth1"]["p50"] for r in runs], "ms", None, False),
        "depth 1 p95": ([r["depth1"]["p95"] for r in runs], "ms", target1, False),
        "depth 1 max": ([r["depth1"]["max"] for r in runs], "ms", None, False),
        "depth 1 traces/s": ([r["depth1"]["rps"] for r in runs], "/s", None, False),
        "depth 2 p50": ([r["depth2"]["p50"] for r in runs], "ms", None, False),
        "depth 2 p95": ([r["depth2"]["p95"] for r in runs], "ms", TARGETS["depth2_ms"], False),
        "depth 2 max": ([r["depth2"]["max"] for r in runs], "ms", None, False),
        "depth 2 traces/s": ([r["depth2"]["rps"] for r in runs], "/s", None, False),
        "errors": ([r["depth1"]["errors"] + r["depth2"]["errors"] for r in runs], "", None, False),
    }
    compared = [r["compare"] for r in runs if r.get("compare")]
    if compared:
        figures |= {
            "indexed self-join": ([c["selfjoin"] for c in compared], "ms", None, False),
            "services.trace": ([c["trace"] for c in compared], "ms", None, False),
            "indexed / trace": ([c["ratio"] for c in compared], "×", None, True),
        }
        exact = [c for c in compared if c["exact_people"]]
        if exact:
            figures |= {
                "exact from the log": ([c["exact"] for c in exact], "ms", None, False),
                "exact / trace": ([c["exact_ratio"] for c in exact], "×", TARGETS["ratio"], True),
                "same answer": ([c["exact_same"] / c["exact_people"] * 100 for c in exact], "%", None, True),
            }
    print(f"{runs[0]['database']}, {city['checkins']:,} check-ins: median of {len(runs)} runs (lowest–highest)")
    for label, (values, unit, target, floor) in figures.items():
        low, mid, high = min(values), statistics.median(values), max(values)
        digits = 0 if unit == "" or (unit == "ms" and mid >= 100) else 1
        verdict = ""
        if target is not None:
            met = mid >= target if floor else mid <= target
            verdict = f"   target {'≥' if floor else '<'} {target:g}{unit}: {'met' if met else 'MISSED'}"
        print(f"  {label:<18} {mid:10.{digits}f} {unit:<3} ({low:.{digits}f}–{high:.{digits}f}){verdict}")
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_000)
    parser.add_argument("--days", type=int, default=14, help="days simulated, and days each trace covers")
    parser.add_argument("--seed", type=int, default=1, help="of the city and of the people traced")
    parser.add_argument(
        "--reuse",
        action="append",
        default=[],
        metavar="PATH_OR_DB",
        help="an SQLite file, or a PostgreSQL database's name, already simulated (may be given twice)",
    )
    parser.add_argument("--in-place", action="store_true", help="write into the reused database instead of a copy")
    parser.add_argument("--save", action="append", default=[], metavar="PATH_OR_DB", help="keep the simulated city")
    parser.add_argument("--requests", type=int, default=300, help="depth-1 traces per run")
    parser.add_argument("--requests-depth2", type=int, default=200, help="depth-2 traces per run")
    parser.add_argument("--threads", type=int, default=2, help="client threads")
    parser.add_argument("--max-errors", type=int, default=3, help="failed traces that end a figure early")
    parser.add_argument("--compare", type=int, default=30, help="people for the in-process comparison (0: none)")
    parser.add_argument(
        "--exact",
        type=int,
        default=None,
        help="of those, people whose exact answer is computed from the raw entry log"
        " (default: 10 up to 3 million check-ins, none above: it reads the whole log)",
    )
    args = parser.parse_args()
    if args.child is not None:
        child_main(args.child)
        return

    def by_database(values: list[str]) -> dict[str, str]:
        found = {}
        for value in values:
            is_pg = value.startswith("postgres") or ("/" not in value and not value.endswith((".sqlite3", ".db")))
            found["postgres" if is_pg else "sqlite"] = pg_name(value) if value.startswith("postgres") else value
        return found

    args.reuse, args.save = by_database(args.reuse), by_database(args.save)
    args.postgres_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    databases = [] if args.db == "postgres" else ["sqlite"]
    if args.db in {"postgres", "both"}:
        if args.postgres_url.startswith("postgres"):
            databases.append("postgres")
        else:
            print("PostgreSQL skipped: set BENCH_DATABASE_URL (or DATABASE_URL) to a database of its own.")
    for database in databases:
        label = "SQLite (WAL)" if database == "sqlite" else "PostgreSQL"
        work = Path(tempfile.mkdtemp(prefix=f"zg-bench-tracing-{database}-"))
        try:
            url, reused = prepare(database, args, work)
            env = bench_environment(url, work)
            if reused:  # a city simulated by older code gets this code's tables (a copy, unless --in-place)
                subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
            child(env, "setup", str(work), str(args.days), str(args.seed))
            analyse(url)
            setup = {
                "token": (work / "token.txt").read_text().strip(),
                "sample": [int(x) for x in (work / "sample.txt").read_text().split()],
                "warmup": [int(x) for x in (work / "warmup.txt").read_text().split()],
                "city": json.loads((work / "city.json").read_text()),
            }
            city = setup["city"]
            print(
                f"== {label}: {city['checkins']:,} check-ins ({city['first']} – {city['last']}),"
                f" {city['presences']:,} presences, {city['people_seen']:,} people seen, {city['sites']:,} sites"
                + (f"; a copy of {reused}" if reused and not args.in_place else "")
                + (f"; {reused} itself" if reused and args.in_place else ""),
                flush=True,
            )
            runs = [one_run(label, url, work, setup, args) for _ in range(args.runs)]
            summarise(runs, city)
        finally:
            shutil.rmtree(work, ignore_errors=True)


# --- Child processes, with Django set up on the benchmark's database ---------------------------


def django_setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneguard.settings")
    django.setup()


def child_main(argv: list[str]) -> None:
    django_setup()
    command, rest = argv[0], argv[1:]
    if command == "simulate":
        options = dict(a.lstrip("-").split("=") for a in rest)
        from zoneguard.tracing.simulation import simulate_zone

        found = simulate_zone(**{k: int(v) for k, v in options.items()}, progress=lambda s: print(s, end="\r"))
        print("\n".join(found.lines()))
    elif command == "setup":
        child_setup(Path(rest[0]), days=int(rest[1]), seed=int(rest[2]))
    elif command == "compare":
        child_compare(Path(rest[0]), count=int(rest[1]), exact=int(rest[2]), days=int(rest[3]))


def child_setup(work: Path, *, days: int, seed: int) -> None:
    """The commander and its token; the people to trace, drawn with a fixed seed among those with
    a presence in the window; the city's sizes."""
    from datetime import timedelta

    from django.db.models import Max, Min
    from django.utils import timezone

    from zoneguard.accounts.models import User
    from zoneguard.accounts.services import token_create
    from zoneguard.core.roles import Role
    from zoneguard.gates.models import CheckIn
    from zoneguard.registry.models import Site
    from zoneguard.tracing.intervals import epoch
    from zoneguard.tracing.models import Presence

    user = User.objects.filter(username="bench-tracer").first()
    if user is None:
        user = User.objects.create_user(username="bench-tracer", password=os.urandom(16).hex(), role=Role.COMMANDER)
    _token, raw = token_create(actor=user, user=user, name="bench")
    since = epoch(timezone.now() - timedelta(days=days))
    seen = sorted(
        Presence.objects.filter(start__gt=since).order_by().values_list("person_id", flat=True).distinct().iterator()
    )
    rng = random.Random(seed)
    drawn = rng.sample(seen, min(len(seen), SAMPLE + WARMUP))
    span = CheckIn.objects.aggregate(first=Min("checked_at"), last=Max("checked_at"))
    city = {
        "checkins": CheckIn.objects.count(),
        "presences": Presence.objects.count(),
        "people_seen": len(seen),
        "sites": Site.objects.count(),
        "first": f"{span['first']:%Y-%m-%d %H:%M}" if span["first"] else "-",
        "last": f"{span['last']:%Y-%m-%d %H:%M}" if span["last"] else "-",
    }
    (work / "token.txt").write_text(raw)
    (work / "sample.txt").write_text("\n".join(map(str, drawn[WARMUP:])) + "\n")
    (work / "warmup.txt").write_text("\n".join(map(str, drawn[:WARMUP])) + "\n")
    (work / "city.json").write_text(json.dumps(city))


def selfjoin_sql(vendor: str) -> str:
    """Everyone whose admitted entry at the same site came within the site's usual stay of one of
    the person's admitted entries in the window: the self-join over the raw entry log."""
    if vendor == "postgresql":
        low = "p.checked_at - make_interval(mins => s.default_dwell_minutes)"
        high = "p.checked_at + make_interval(mins => s.default_dwell_minutes)"
    else:
        low = "datetime(p.checked_at, '-' || s.default_dwell_minutes || ' minutes')"
        high = "datetime(p.checked_at, '+' || s.default_dwell_minutes || ' minutes')"
    return f"""
        SELECT o.person_id, COUNT(*), MIN(o.checked_at), MAX(o.checked_at)
        FROM gates_checkin p
        JOIN registry_site s ON s.id = p.site_id
        JOIN gates_checkin o ON o.site_id = p.site_id AND o.checked_at BETWEEN {low} AND {high}
        WHERE p.person_id = %s AND p.direction = 'in' AND p.decision = 'allow'
          AND p.checked_at >= %s AND p.checked_at <= %s
          AND o.direction = 'in' AND o.decision = 'allow'
          AND o.person_id IS NOT NULL AND o.person_id <> p.person_id
        GROUP BY o.person_id
    """  # noqa: S608 (no value in it)


def exact_sql(vendor: str) -> str:
    """The trace's co-located contacts computed from the raw entry log alone, as one would write
    them without the presence table: every admitted passage since the window's start (less
    intervals.MAX_STAY) with the person's next passage beside it (LEAD over their passages in
    order), each `in` ended as intervals.py ends it, and those stays self-joined on the site,
    overlaps of at least the threshold summed per contact. Parameters: the earliest passage's time,
    the window's start and end (epoch seconds), the person, the end and start again, the threshold
    (seconds). Its answer is the trace's (the comparison checks it, contact by contact)."""
    from zoneguard.tracing.intervals import MAX_STAY

    if vendor == "postgresql":
        at, greatest, least = "FLOOR(EXTRACT(EPOCH FROM c.checked_at))::bigint", "GREATEST", "LEAST"
    else:
        at, greatest, least = "CAST(strftime('%%s', c.checked_at) AS INTEGER)", "MAX", "MIN"
    return f"""
        WITH passages AS (
            SELECT c.person_id, c.site_id, c.direction, {at} AS at,
                   LEAD(c.site_id) OVER w AS next_site, LEAD(c.direction) OVER w AS next_direction,
                   LEAD({at}) OVER w AS next_at
            FROM gates_checkin c
            WHERE c.decision = 'allow' AND c.person_id IS NOT NULL AND c.checked_at >= %s
            WINDOW w AS (PARTITION BY c.person_id ORDER BY c.checked_at, c.id)
        ), stays AS (
            SELECT p.person_id, p.site_id, p.at AS start,
                CASE WHEN p.next_at IS NULL THEN p.at + s.default_dwell_minutes * 60
                     WHEN p.next_direction = 'out' AND p.next_site = p.site_id
                          AND p.next_at - p.at <= {MAX_STAY} THEN p.next_at
                     WHEN p.next_at < p.at + s.default_dwell_minutes * 60 THEN p.next_at
                     ELSE p.at + s.default_dwell_minutes * 60 END AS stop
            FROM passages p JOIN registry_site s ON s.id = p.site_id
            WHERE p.direction = 'in'
        ), shared AS (
            SELECT o.person_id AS contact,
                   {greatest}(o.start, a.start, %s) AS shared_from, {least}(o.stop, a.stop, %s) AS shared_until
            FROM stays a JOIN stays o ON o.site_id = a.site_id AND o.start < a.stop AND o.stop > a.start
                 AND o.person_id <> a.person_id
            WHERE a.person_id = %s AND a.start < %s AND a.stop > %s
        )
        SELECT contact, SUM(shared_until - shared_from) FROM shared
        WHERE shared_until - shared_from >= %s GROUP BY contact
    """  # noqa: S608 (no value in it)


def child_compare(work: Path, *, count: int, exact: int, days: int) -> None:
    """For the first `count` people of the sample, each part run twice and the second timed; for
    the first `exact` of them, the raw entry log's exact answer too, checked against the trace's."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from zoneguard.accounts.models import User
    from zoneguard.registry.models import Person
    from zoneguard.tracing import selectors, services
    from zoneguard.tracing.intervals import MAX_STAY, epoch

    actor = User.objects.get(username="bench-tracer")
    people = [int(x) for x in (work / "sample.txt").read_text().split()][:count]
    sql = selfjoin_sql(connection.vendor)
    exact_statement = exact_sql(connection.vendor)
    timed: dict[str, list[float]] = {"selfjoin": [], "shared": [], "contacts": [], "trace": [], "exact": []}
    sizes: dict[str, list[int]] = {"selfjoin_rows": [], "shared_rows": [], "contacts_found": []}
    exact_ratios: list[float] = []
    exact_same = 0

    def twice(call: Any) -> tuple[float, Any]:
        call()
        started = time.perf_counter()
        found = call()
        return (time.perf_counter() - started) * 1000, found

    for person_id in people:
        until = timezone.now()
        since = until - timedelta(days=days)
        person = Person.objects.get(pk=person_id)

        def selfjoin(person_id: int = person_id, since: Any = since, until: Any = until) -> list[Any]:
            if connection.vendor == "sqlite":  # compared as text, in the form Django stores
                since, until = f"{since:%Y-%m-%d %H:%M:%S}", f"{until:%Y-%m-%d %H:%M:%S}"
            with connection.cursor() as cursor:
                cursor.execute(sql, [person_id, since, until])
                return cursor.fetchall()

        def shared(person_id: int = person_id, since: Any = since, until: Any = until) -> list[Any]:
            window = selectors._Window(epoch(since), epoch(until), 900, None)
            overlaps, params = selectors._overlaps([person_id], window)
            return selectors._fetch(
                f"SELECT contact, site, SUM(shared_until - shared_from) FROM ({overlaps}) y GROUP BY contact, site",  # noqa: S608
                params,
            )

        def contacts(person: Any = person, until: Any = until) -> list[Any]:
            return selectors.contacts(
                person=person, days=days, min_overlap_minutes=15, depth=1, site_ids=None, at=until
            )

        def trace(person_id: int = person_id) -> Any:
            return services.trace(actor=actor, person_id=person_id, days=days, min_overlap_minutes=15, depth=1)

        t, rows = twice(selfjoin)
        timed["selfjoin"].append(t)
        sizes["selfjoin_rows"].append(len(rows))
        t, rows = twice(shared)
        timed["shared"].append(t)
        sizes["shared_rows"].append(len(rows))
        t, found = twice(contacts)
        timed["contacts"].append(t)
        sizes["contacts_found"].append(len(found))
        t, _found = twice(trace)
        timed["trace"].append(t)
        if len(timed["exact"]) < exact:

            def from_log(person_id: int = person_id, since: Any = since, until: Any = until) -> dict[int, int]:
                earliest = since - timedelta(seconds=MAX_STAY)
                if connection.vendor == "sqlite":
                    earliest = f"{earliest:%Y-%m-%d %H:%M:%S}"
                start, end = epoch(since), epoch(until)
                with connection.cursor() as cursor:
                    cursor.execute(exact_statement, [earliest, start, end, person_id, end, start, 15 * 60])
                    return dict(cursor.fetchall())

            t_exact, answer = twice(from_log)
            timed["exact"].append(t_exact)
            exact_ratios.append(t_exact / t)
            colocated = {c.person_id: c.overlap_seconds for c in found if c.kind == "colocated"}
            exact_same += answer == colocated
    ratios = [s / t for s, t in zip(timed["selfjoin"], timed["trace"], strict=True) if t > 0]
    ratios_contacts = [s / t for s, t in zip(timed["selfjoin"], timed["contacts"], strict=True) if t > 0]
    result: dict[str, Any] = {"people": len(people)}
    result |= {k: statistics.median(v) for k, v in timed.items() if v}
    result |= {k: statistics.median(v) for k, v in sizes.items() if v}
    result |= {
        "exact_people": len(timed["exact"]),
        "exact_same": exact_same,
        "exact_ratio": statistics.median(exact_ratios) if exact_ratios else 0.0,
        "exact_ratio_low": min(exact_ratios) if exact_ratios else 0.0,
        "ratio": statistics.median(ratios) if ratios else 0.0,
        "ratio_low": min(ratios) if ratios else 0.0,
        "ratio_contacts": statistics.median(ratios_contacts) if ratios_contacts else 0.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
