"""Instructions per request on the Python side of the gate's hot paths (`/healthz` for the
framework, a single check-in, an offline upload of 1,000 check-ins), counted with callgrind.

Timings on a shared virtual machine swing by a third from one run to the next; the number of
instructions a request executes does not. This loads the benchmark data (bench/data.py) into a
fresh database, then, under `valgrind --tool=callgrind`, sends requests through ZoneGuard's WSGI
application in-process (no gunicorn, no network) and prints the instructions per request:

    .venv/bin/python bench/instructions.py --db sqlite
    .venv/bin/python bench/instructions.py --db postgres    # BENCH_DATABASE_URL, as bench/run.py

Only the requests are counted (callgrind's instrumentation is switched on around them); the
database server's own work is not, since it runs in another process. Repeat runs agree within
half a percent, so a change that saves 2% shows. valgrind is installed with apt-get when missing."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/run.py: the same environment, data and database handling)

REQUESTS = ("healthz", "checkin", "batch")
BATCH_ITEMS = 1_000  # per upload, as bench/run.py sends them


def child(what: str, work: Path, count: int) -> None:
    """Runs under callgrind: warms up, then sends the counted requests with instrumentation on."""
    sys.path.insert(0, str(run.ROOT))  # this checkout's code, whatever the virtualenv points to
    from zoneguard.wsgi import application

    token = (work / "token.txt").read_text().strip()
    site_id = int((work / "site.txt").read_text().split()[0])
    ids = (work / "ids.txt").read_text().split()

    def call(path: str, method: str = "GET", body: bytes = b"", auth: bool = False) -> str:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if auth:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        statuses: list[str] = []
        response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()  # type: ignore[attr-defined]
        return statuses[0]

    def checkin_body(i: int) -> bytes:
        # The same passage as bench/checkin.lua sends, with the person taken in turn.
        return json.dumps(item(i, datetime.now(UTC).isoformat())).encode()

    def batch_body(i: int) -> bytes:
        # An offline gate's upload of fresh items, as bench/run.py sends them.
        now = datetime.now(UTC).isoformat()
        return json.dumps({"items": [item(i * BATCH_ITEMS + k, now) for k in range(BATCH_ITEMS)]}).encode()

    def item(i: int, now: str) -> dict[str, Any]:
        return {
            "client_id": str(uuid.uuid4()),
            "site_id": site_id,
            "id_number": ids[i % len(ids)],
            "temperature": 36.5,
            "checked_at": now,
            "direction": "in",
        }

    path, body_of, expected = {
        "healthz": ("/healthz", lambda i: b"", "200"),
        "checkin": ("/api/v1/checkins", checkin_body, "201"),
        "batch": ("/api/v1/checkins/batch", batch_body, "200"),
    }[what]
    method, auth = ("GET", False) if what == "healthz" else ("POST", True)
    for i in range(warm_up(what)):
        status = call(path, method, body_of(count + i), auth)
        if not status.startswith(expected):
            raise SystemExit(f"{what}: {status}")
    # The bodies are written before counting starts: only the server's side is counted.
    bodies = [body_of(i) for i in range(counted(what, count))]
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, capture_output=True)
    for body in bodies:
        call(path, method, body, auth)
    subprocess.run(["callgrind_control", "--instr=off", str(os.getpid())], check=True, capture_output=True)


def warm_up(what: str) -> int:
    return 3 if what == "batch" else 100


def counted(what: str, count: int) -> int:
    """Requests counted: an upload is a thousand check-ins, so a fortieth as many of those."""
    return max(count // 40, 3) if what == "batch" else count


def count_instructions(database: str, database_url: str, count: int) -> dict[str, int]:
    valgrind = run.ensure_tool("valgrind")
    work = Path(tempfile.mkdtemp(prefix=f"zg-instructions-{database}-"))
    env = run.bench_environment(database_url, work)
    figures = {}
    try:
        print(f"== {database}: migrating and loading data", flush=True)
        run.load(database_url, work, env)
        for what in REQUESTS:
            print(f"== {database}: {count} × {what} under callgrind", flush=True)
            result = subprocess.run(
                [
                    valgrind,
                    "--tool=callgrind",
                    "--instr-atstart=no",
                    f"--callgrind-out-file={work / f'callgrind.{what}.out'}",
                    run.PYTHON,
                    __file__,
                    "--child",
                    what,
                    str(work),
                    "-n",
                    str(count),
                ],
                cwd=run.ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            collected = re.search(r"Collected : (\d+)", result.stderr)
            if result.returncode != 0 or collected is None:
                raise SystemExit(f"{what} under callgrind failed:\n{result.stderr[-3000:]}")
            figures[what] = int(collected.group(1)) // counted(what, count)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "-n", type=int, default=200, help="requests counted (after 100 not counted); a fortieth as many uploads"
    )
    parser.add_argument("--child", nargs=2, metavar=("REQUEST", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.n)
        return
    postgres_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    runs = []
    if args.db in {"sqlite", "both"}:
        sqlite_file = Path(tempfile.mkdtemp(prefix="zg-instructions-sqlite-")) / "bench.sqlite3"
        runs.append(("SQLite", f"sqlite:///{sqlite_file}"))
    if args.db in {"postgres", "both"}:
        if postgres_url.startswith("postgres"):
            run.recreate_postgres_database(postgres_url)
            runs.append(("PostgreSQL", postgres_url))
        else:
            print("PostgreSQL skipped: set BENCH_DATABASE_URL (or DATABASE_URL) to a database of its own.")
    for name, url in runs:
        try:
            figures = count_instructions(name, url, args.n)
        finally:
            if url.startswith("sqlite:///"):
                shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
        print(f"\n{name}: instructions per request, Python side, in-process")
        for what, value in figures.items():
            print(f"  {what:10} {value:>12,}")
        print()


if __name__ == "__main__":
    main()
