"""District benchmark: the lists, pages and exports of the modules that exist, on a synthetic
district (`manage.py simulate_zone`: organisations, checkpoint sites, people and their check-ins),
served as in production (gunicorn, 2 sync workers, gunicorn.conf.py), as the commander and as an
organisation admin. Prints, per run and then as the median of the runs with their lowest and
highest:

- p95 (and p50) latency of each API list and page the district-scale issue names, over
  `--requests` sequential requests on one keep-alive connection after a warm-up;
- the people export and the one-day entry-log export (seconds, rows), the all-days entry-log
  export (queued as a background job: the seconds to answer), and the largest resident memory of
  a gunicorn worker above its idle size.

    .venv/bin/python bench/district.py --people 100000 --sites 2000 --days 2        # simulate, then measure
    .venv/bin/python bench/district.py --reuse /tmp/zg-district/district.sqlite3  # a simulated file, kept
    BENCH_DATABASE_URL=postgres://zg:zg@%2Fvar%2Frun%2Fpostgresql/zg_district \\
        .venv/bin/python bench/district.py --db postgres --people 100000 --sites 2000 --days 2

With --reuse the SQLite file is used as it is (the benchmark adds its two users, their tokens and
sessions, and the audit rows of what it reads); without it the district is simulated into a new
file (or the PostgreSQL database of BENCH_DATABASE_URL, dropped and created anew), which --keep
leaves in place for a later --reuse. Figures depend on the machine and its load; nothing here
asserts a timing."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import GUNICORN, PYTHON, ROOT, bench_environment, free_port, wait_for

WARMUP = 3
EXPORT_ROWS = 100_000


# --- In the Django process: the two users, their credentials, the filters' values ---------------


def setup_child() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.signals import user_logged_in
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from zoneguard.accounts.services import token_create
    from zoneguard.core.roles import Role
    from zoneguard.gates.models import CheckIn
    from zoneguard.registry.models import Organisation
    from zoneguard.testing import make_user, pass_second_factor_on_force_login

    busiest = CheckIn.objects.order_by().values("organisation_id").annotate(n=Count("id")).order_by("-n").first()
    assert busiest is not None, "no check-ins: simulate a district first"
    organisation = Organisation.objects.get(pk=busiest["organisation_id"])
    last = CheckIn.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
    assert last is not None
    day = timezone.localtime(last).date()
    stamp = str(int(time.time()))
    users = {
        "commander": make_user(f"bench-commander-{stamp}", Role.COMMANDER),
        "admin": make_user(f"bench-admin-{stamp}", Role.ORGANISATION_ADMIN, organisation=organisation),
    }
    out: dict[str, Any] = {"day": day.isoformat(), "organisation": organisation.name, "users": {}}
    # The commander's pages ask for the second factor: the session is that of a sign-in that gave it.
    user_logged_in.connect(pass_second_factor_on_force_login, dispatch_uid="bench-second-factor")
    for role, user in users.items():
        _token, raw = token_create(actor=user, user=user, name="bench")
        client = Client()
        client.force_login(user)
        out["users"][role] = {"token": raw, "session": client.cookies[settings.SESSION_COOKIE_NAME].value}
    out["checkins"] = CheckIn.objects.count()
    out["day_checkins"] = CheckIn.objects.filter(checked_at__date=day).count()
    out["export_filter"], out["export_rows"] = _export_filter(users["commander"], day, EXPORT_ROWS)
    from zoneguard.registry.models import Person, Site

    out["people"], out["organisations"], out["sites"] = (
        Person.objects.count(),
        Organisation.objects.count(),
        Site.objects.count(),
    )
    print(json.dumps(out))


def _export_filter(actor: Any, day: Any, rows: int) -> tuple[str, int]:
    """The entry log page's filters (a part of a site's name, and a direction or none) whose
    entries on `day`, as `actor` filters them, come nearest `rows`: the one-day export the issue
    names (100,000 rows) is the day's log narrowed as an officer narrows it, since a whole day of
    the district holds several times that. Returns the filters as a query and their row count."""
    from django.db.models import Count

    from zoneguard.gates.models import CheckIn
    from zoneguard.registry.models import Site
    from zoneguard.registry.selectors import sites_matching

    day_entries = CheckIn.objects.filter(checked_at__date=day).order_by()
    counts = {}
    for name in Site.objects.order_by().values_list("name", flat=True).distinct():
        by_direction = dict(
            day_entries.filter(site_id__in=sites_matching(actor=actor, text=name))
            .values_list("direction")
            .annotate(n=Count("id"))
        )
        site = urllib.parse.quote(name)
        counts[f"site={site}&direction="] = sum(by_direction.values())
        for direction, n in by_direction.items():
            counts[f"site={site}&direction={direction}"] = n
    return min(counts.items(), key=lambda item: abs(item[1] - rows))


def end_of_today() -> str:
    """Midnight at the end of today in the zone's time: the simulated days end there, so that the
    pages of today (the gates' counts, the daily reports, the resumption rates) are measured on a
    full day of entries, whatever the hour the benchmark runs at."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE
    return datetime.combine(datetime.now(zone).date() + timedelta(days=1), time(), zone).isoformat()


# --- Measuring ----------------------------------------------------------------------------------


def endpoints(day: str) -> list[tuple[str, str, str]]:
    """(label, role, path): what the issue names, for each role."""
    rows = []
    for role in ("commander", "admin"):
        rows += [
            ("GET /api/v1/checkins", role, "/api/v1/checkins"),
            ("GET /api/v1/checkins?day=", role, f"/api/v1/checkins?day={day}"),
            ("GET /api/v1/declarations", role, "/api/v1/declarations"),
            ("GET /api/v1/people", role, "/api/v1/people"),
            ("/gates/", role, "/gates/"),
            ("/reports/", role, "/reports/"),
            ("/resumption/rates/", role, "/resumption/rates/"),
            ("/registry/people/", role, "/registry/people/"),
            ("/registry/organisations/", role, "/registry/organisations/"),
            ("/gates/log/", role, "/gates/log/"),
        ]
    return rows


def get(conn: http.client.HTTPConnection, path: str, credentials: dict[str, str], api: bool) -> tuple[int, int]:
    headers = (
        {"Authorization": f"Bearer {credentials['token']}"}
        if api
        else {"Cookie": f"sessionid={credentials['session']}"}
    )
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
    return response.status, size


def timed(port: int, path: str, credentials: dict[str, str], count: int) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    api = path.startswith("/api/")
    for _ in range(WARMUP):
        get(conn, path, credentials, api)
    times = []
    status = size = 0
    statuses = set()
    for _ in range(count):
        started = time.perf_counter()
        status, size = get(conn, path, credentials, api)
        statuses.add(status)
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "status": status if len(statuses) == 1 else max(statuses),
        "kb": size / 1024,
    }


def worker_rss(master: int) -> list[int]:
    """Resident memory (kB) of the gunicorn workers of `master`."""
    sizes = []
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return sizes


def export(port: int, path: str, credentials: dict[str, str]) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    status, size = get(conn, path, credentials, api=False)
    conn.close()
    return {"s": time.perf_counter() - started, "status": status, "mb": size / (1 << 20)}


def one_run(env: dict[str, str], setup: dict[str, Any], work: Path, requests: int) -> dict[str, Any]:
    port = free_port()
    env = {**env, "GUNICORN_MAX_REQUESTS": "0"}  # memory is measured on the same workers throughout
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "--workers", "2", "--bind", f"127.0.0.1:{port}", "zoneguard.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "a"),  # noqa: SIM115
    )
    result: dict[str, Any] = {"lists": {}, "exports": {}}
    try:
        wait_for(port)
        users = setup["users"]
        for label, role, path in endpoints(setup["day"]):
            result["lists"][(label, role)] = timed(port, path, users[role], requests)
        idle = max(worker_rss(server.pid))
        commander = users["commander"]
        result["exports"]["people export (commander)"] = export(port, "/registry/people/?export=xlsx", commander)
        day_log = f"/gates/log/?day={setup['day']}&{setup['export_filter']}&decision=&export=xlsx"
        label = f"entry log of one day, {setup['export_rows']:,} rows (commander)"
        result["exports"][label] = export(port, day_log, commander)
        as_csv = day_log.replace("=xlsx", "=csv")
        result["exports"][label.replace("rows", "rows, CSV")] = export(port, as_csv, commander)
        all_days = "/gates/log/?day=&site=&direction=&decision=&export=xlsx"
        result["exports"]["entry log, all days (queued)"] = export(port, all_days, commander)
        result["memory_mb"] = (max(worker_rss(server.pid)) - idle) / 1024
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


def summarise(setup: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):,.1f} ({min(values):,.1f}–{max(values):,.1f})"

    print(
        f"\ndistrict: {setup['people']:,} people, {setup['organisations']:,} organisations, {setup['sites']:,} sites, "
        f"{setup['checkins']:,} check-ins ({setup['day_checkins']:,} on {setup['day']}); "
        f"admin of {setup['organisation']}; median of {len(runs)} runs (lowest–highest)\n"
    )
    print("| what | commander p95 ms | admin p95 ms | answer KB (commander / admin) | status |")
    print("|---|---|---|---|---|")
    for label, _role, _path in endpoints(setup["day"])[: len(endpoints(setup["day"])) // 2]:
        c = [r["lists"][(label, "commander")]["p95"] for r in runs]
        a = [r["lists"][(label, "admin")]["p95"] for r in runs]
        kb = f"{runs[0]['lists'][(label, 'commander')]['kb']:,.0f} / {runs[0]['lists'][(label, 'admin')]['kb']:,.0f}"
        statuses = {r["lists"][(label, role)]["status"] for r in runs for role in ("commander", "admin")}
        print(f"| `{label}` | {spread(c)} | {spread(a)} | {kb} | {', '.join(map(str, sorted(statuses)))} |")
    print("\n| export | seconds | status | MB |")
    print("|---|---|---|---|")
    for label in runs[0]["exports"]:
        seconds = [r["exports"][label]["s"] for r in runs]
        first = runs[0]["exports"][label]
        print(f"| {label} | {spread(seconds)} | {first['status']} | {first['mb']:.1f} |")
    print(f"\nworker memory above idle after the exports: {spread([r['memory_mb'] for r in runs])} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument(
        "--until", help="end of the simulated days (default: the end of today, so today's pages show a full day)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per list and role")
    parser.add_argument("--reuse", help="an SQLite file or a PostgreSQL URL already simulated (kept, written to)")
    parser.add_argument("--keep", action="store_true", help="leave the simulated database in place")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup_child()
        return
    work = Path(tempfile.mkdtemp(prefix="zg-district-"))
    if args.reuse and args.reuse.startswith("postgres"):
        database_url = args.reuse
    elif args.reuse:
        database_url = f"sqlite:///{Path(args.reuse).resolve()}"
    elif args.db == "sqlite":
        database_url = f"sqlite:///{work / 'district.sqlite3'}"
    else:
        database_url = os.environ["BENCH_DATABASE_URL"]
    env = bench_environment(database_url, work)
    (work / "var").mkdir(exist_ok=True)
    if not args.reuse:
        if args.db == "postgres":
            from run import recreate_postgres_database

            recreate_postgres_database(database_url)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        simulate = [
            "simulate_zone",
            f"--people={args.people}",
            f"--sites={args.sites}",
            f"--days={args.days}",
            f"--until={args.until or end_of_today()}",
        ]
        subprocess.run([PYTHON, "manage.py", *simulate], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    # What the minute's job does in production; the first run on a district simulated before the
    # day counts existed counts its days.
    subprocess.run([PYTHON, "manage.py", "refresh_day_counts"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "optimize_database"], cwd=ROOT, env=env, check=True)
    # The pages' static files, as production serves them (the manifest names each file's hash).
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    output = subprocess.run(
        [PYTHON, __file__, "--child"], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    setup = json.loads(output.strip().splitlines()[-1])
    runs = []
    for number in range(1, args.runs + 1):
        print(f"run {number}/{args.runs}", file=sys.stderr, flush=True)
        runs.append(one_run(env, setup, work, args.requests))
    summarise(setup, runs)
    if args.keep or args.reuse:
        print(f"\ndatabase kept: {database_url}", file=sys.stderr)


if __name__ == "__main__":
    main()
