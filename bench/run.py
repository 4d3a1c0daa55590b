"""Gate benchmark: serves ZoneGuard the way production does (gunicorn, 2 sync workers, per
gunicorn.conf.py) on a fresh SQLite file and on PostgreSQL, loads data, and prints:

- GET /healthz and POST /api/v1/checkins: 64 concurrent clients for 30 s each (wrk), requests
  per second, p99 latency, errors, and the check-in/healthz ratio of the same run;
- POST /api/v1/checkins/batch: check-ins per second, in batches of 1,000;
- POST /api/v1/declarations: declarations per second (64 clients);
- PostgreSQL: the median and p99 time of a one-row commit on the idle server before the
  check-ins, since each check-in waits for its commit to reach the disk;
- after three runs per database (--runs), the median of each figure with its lowest and
  highest: this machine's speed swings by a third within the hour, so read the median.

    .venv/bin/python bench/run.py                       # SQLite, then PostgreSQL if DATABASE_URL is set
    .venv/bin/python bench/run.py --db sqlite --runs 1
    DATABASE_URL=postgres://zg:zg@%2Fvar%2Frun%2Fpostgresql/zg_bench .venv/bin/python bench/run.py --db postgres

The PostgreSQL database is dropped and created anew on every run: give it one of its own.
wrk is installed with apt-get when missing. Figures depend on the machine and its load; nothing
here asserts a timing."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def ensure_tool(command: str) -> str:
    """The path of a benchmark tool (wrk, valgrind), installed from Debian's package of the same
    name when missing."""
    found = shutil.which(command)
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", command], check=True, env=env)
    return shutil.which(command) or command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def parse_wrk(output: str) -> dict[str, float]:
    def number(pattern: str) -> float:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else 0.0

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return 0.0
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = sum(int(g) for g in socket_errors.groups()) if socket_errors else 0
    return {
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": number(r"(\d+) requests in"),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "non2xx": number(r"Non-2xx or 3xx responses: (\d+)"),
        "socket_errors": errors,
    }


def run_wrk(wrk: str, url: str, seconds: int, script: Path | None, env: dict[str, str]) -> dict[str, float]:
    command = [wrk, "-t2", "-c64", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run([*command, url], capture_output=True, text=True, env={**os.environ, **env}, check=True)
    return parse_wrk(result.stdout)


def batch_run(port: int, token: str, site_id: int, ids: list[str], seconds: int, threads: int = 2) -> dict[str, float]:
    """Each thread uploads batches of 1,000 fresh items back to back."""
    totals = {"items": 0, "requests": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    template = '{"client_id":"%s","site_id":%d,"id_number":"%s","temperature":36.5,"checked_at":"%s","direction":"in"}'
    recorded = re.compile(rb'"recorded": ?(\d+)')

    def worker(offset: int) -> None:
        # The client must cost little next to the server: bodies are formatted, not json.dumps'ed.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = offset
        while time.monotonic() < deadline:
            now = datetime.now(UTC).isoformat()
            randomness = os.urandom(16 * 1000).hex()
            items = []
            for i in range(1000):
                n += 1
                h = randomness[i * 32 : i * 32 + 32]
                client_id = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"
                items.append(template % (client_id, site_id, ids[n % len(ids)], now))
            body = '{"items":[' + ",".join(items) + "]}"
            conn.request(
                "POST",
                "/api/v1/checkins/batch",
                body=body.encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            )
            response = conn.getresponse()
            answer = response.read()
            found = recorded.search(answer[-200:])
            with lock:
                totals["requests"] += 1
                if response.status == 200 and found:
                    totals["items"] += int(found.group(1))
                else:
                    totals["errors"] += 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i * 7919,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    return {"items_per_s": totals["items"] / elapsed, **totals}


def bench_environment(database_url: str, work: Path) -> dict[str, str]:
    """The environment ZoneGuard runs in for a benchmark: production settings, its own files."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ZONEGUARD_VAR_DIR": str(work / "var"),
        "ZONEGUARD_HTTPS": "0",
        "ZONEGUARD_DEBUG": "0",
        "ZONEGUARD_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "DJANGO_SETTINGS_MODULE": "zoneguard.settings",
        "GUNICORN_WORKERS": "2",
        # wrk declares from one address at one site code, thousands a minute: the rate limits
        # still count each declaration (their statement is part of the figure) but never refuse.
        "ZONEGUARD_RATE_LIMIT_DECLARATIONS_PER_ADDRESS": "1000000000",
        "ZONEGUARD_RATE_LIMIT_DECLARATIONS_PER_SITE": "1000000000",
    }
    env.pop("GUNICORN_ACCESS_LOG", None)
    return env


def load(database_url: str, work: Path, env: dict[str, str]) -> None:
    """Migrates the (empty) database and loads bench/data.py's people, site and token into it."""
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, str(BENCH / "data.py"), str(work)], cwd=ROOT, env=env, check=True)
    analyse(database_url)


def bench(database: str, database_url: str, seconds: int, batch_seconds: int) -> dict[str, Any]:
    wrk = ensure_tool("wrk")
    work = Path(tempfile.mkdtemp(prefix=f"zg-bench-{database}-"))
    env = bench_environment(database_url, work)
    print(f"== {database}: migrating and loading data", flush=True)
    load(database_url, work, env)
    token = (work / "token.txt").read_text().strip()
    site_id, site_code = (work / "site.txt").read_text().split()
    ids = (work / "ids.txt").read_text().split()
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "--workers", "2", "--bind", f"127.0.0.1:{port}", "zoneguard.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115
    )
    try:
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        lua_env = {
            "BENCH_TOKEN": token,
            "BENCH_SITE": site_id,
            "BENCH_IDS": str(work / "ids.txt"),
            "BENCH_SITE_CODE": site_code,
            "BENCH_PEOPLE": str(work / "people.txt"),
        }
        run_wrk(wrk, f"{base}/healthz", 3, None, lua_env)  # warm-up
        run_wrk(wrk, base, 3, BENCH / "checkin.lua", lua_env)
        print(f"== {database}: /healthz, 64 clients, {seconds} s", flush=True)
        healthz = run_wrk(wrk, f"{base}/healthz", seconds, None, lua_env)
        commits = commit_times(database_url)
        print(f"== {database}: POST /api/v1/checkins, 64 clients, {seconds} s", flush=True)
        checkins = run_wrk(wrk, base, seconds, BENCH / "checkin.lua", lua_env)
        print(f"== {database}: POST /api/v1/checkins/batch, 1,000 items per request, {batch_seconds} s", flush=True)
        batch = batch_run(port, token, int(site_id), ids, batch_seconds)
        print(f"== {database}: POST /api/v1/declarations, 64 clients, {batch_seconds} s", flush=True)
        declarations = run_wrk(wrk, base, batch_seconds, BENCH / "declaration.lua", lua_env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "database": database,
        "healthz": healthz,
        "checkins": checkins,
        "batch": batch,
        "declarations": declarations,
        "commits": commits,
    }
    report(result)
    shutil.rmtree(work, ignore_errors=True)
    return result


def report(r: dict[str, Any]) -> None:
    h, c, b, d = r["healthz"], r["checkins"], r["batch"], r["declarations"]
    ratio = c["rps"] / h["rps"] if h["rps"] else 0.0

    def line(label: str, m: dict[str, float], extra: str = "") -> str:
        errors = m["non2xx"] + m["socket_errors"]
        return f"  {label:<20} {m['rps']:8.0f} req/s   p99 {m['p99']:7.1f} ms   errors {errors:.0f}{extra}"

    print(f"\n{r['database']}")
    print(line("/healthz", h))
    print(line("check-ins", c, f"   ratio to /healthz {ratio:.2f}"))
    batches = f"({b['requests']:.0f} batches, errors {b['errors']:.0f})"
    print(f"  {'batch check-ins':<20} {b['items_per_s']:8.0f} items/s {batches}")
    print(line("declarations", d))
    if r["commits"]:
        median, p99 = r["commits"]
        print(f"  {'one-row commits':<20} median {median:.2f} ms   p99 {p99:.2f} ms   (just before the check-ins)")
    print(flush=True)


def recreate_postgres_database(url: str) -> None:
    """A new, empty database for every run: left-over rows and their vacuuming would otherwise
    run during the measurement and make runs incomparable."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def commit_times(url: str, count: int = 500) -> tuple[float, float] | None:
    """PostgreSQL: the median and p99 time, in ms, of committing a one-row insert, measured on an
    idle server just before the check-in run. Every check-in waits for its commit to reach the
    disk, and this virtual machine's disk is faster at some times than at others: this shows
    which it was."""
    if not url.startswith("postgres"):
        return None
    import psycopg

    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_commit_probe (id bigserial PRIMARY KEY, at timestamptz)")
        try:
            for _ in range(count):
                started = time.perf_counter()
                conn.execute("INSERT INTO bench_commit_probe (at) VALUES (now())")
                times.append((time.perf_counter() - started) * 1000)
        finally:
            conn.execute("DROP TABLE bench_commit_probe")
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.99)]


def analyse(url: str) -> None:
    """The loaded tables vacuumed and analysed, as in a database that has been running: otherwise
    autovacuum takes up the 5,000 new people and their declarations during the first runs."""
    if url.startswith("postgres"):
        import psycopg
        from psycopg import sql

        with psycopg.connect(url, autocommit=True) as conn:
            # The benchmark's own tables: VACUUM without a list would also try the shared
            # catalogues, which only a superuser may vacuum, and warn about each.
            tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.SQL(", ").join(sql.Identifier(t) for (t,) in tables)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "30")))
    parser.add_argument("--batch-seconds", type=int, default=int(os.environ.get("BENCH_BATCH_SECONDS", "20")))
    parser.add_argument(
        "--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")), help="runs per database (median printed)"
    )
    args = parser.parse_args()
    postgres_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    databases = [] if args.db == "postgres" else ["sqlite"]
    if args.db in {"postgres", "both"}:
        if postgres_url.startswith("postgres"):
            databases.append("postgres")
        else:
            print("PostgreSQL skipped: set BENCH_DATABASE_URL (or DATABASE_URL) to a database of its own.")
    results: dict[str, list[dict[str, Any]]] = {db: [] for db in databases}
    # Rounds alternate the databases, so that a slow phase of the machine falls on both.
    for _round in range(args.runs):
        for db in databases:
            if db == "sqlite":
                sqlite_file = Path(tempfile.mkdtemp(prefix="zg-bench-sqlite-")) / "bench.sqlite3"
                results[db].append(bench("SQLite (WAL)", f"sqlite:///{sqlite_file}", args.seconds, args.batch_seconds))
                shutil.rmtree(sqlite_file.parent, ignore_errors=True)
            else:
                recreate_postgres_database(postgres_url)
                results[db].append(bench("PostgreSQL", postgres_url, args.seconds, args.batch_seconds))
    for runs in results.values():
        summarise(runs)


def summarise(runs: list[dict[str, Any]]) -> None:
    """The median of the runs, with the lowest and highest: read a figure as its median."""
    if len(runs) < 2:
        return
    figures = {
        "/healthz req/s": [r["healthz"]["rps"] for r in runs],
        "check-ins/s": [r["checkins"]["rps"] for r in runs],
        "check-in p99 ms": [r["checkins"]["p99"] for r in runs],
        "ratio to /healthz": [r["checkins"]["rps"] / r["healthz"]["rps"] for r in runs if r["healthz"]["rps"]],
        "batch items/s": [r["batch"]["items_per_s"] for r in runs],
        "declarations/s": [r["declarations"]["rps"] for r in runs],
        "errors": [
            r["checkins"]["non2xx"]
            + r["checkins"]["socket_errors"]
            + r["batch"]["errors"]
            + r["declarations"]["non2xx"]
            for r in runs
        ],
    }
    print(f"{runs[0]['database']}: median of {len(runs)} runs (lowest–highest)")
    for label, values in figures.items():
        digits = 2 if label.startswith("ratio") else 1 if "p99" in label else 0
        low, mid, high = min(values), statistics.median(values), max(values)
        print(f"  {label:<20} {mid:10.{digits}f}   ({low:.{digits}f}–{high:.{digits}f})")
    print(flush=True)


if __name__ == "__main__":
    main()
