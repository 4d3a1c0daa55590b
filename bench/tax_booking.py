"""Benchmark: 200 concurrent taxpayers booking the same few tax hall slots through the API.

For SQLite and for PostgreSQL, the script builds a fresh database (migrations, a hall, slots of
capacity C on a few days, 200 enterprises each with an admin and a bearer token), starts gunicorn
with 2 sync workers (gunicorn.conf.py), and releases 200 client threads at once; each client books
one slot a day for its own enterprise. Then it checks that every slot took exactly its capacity,
that every other answer was a clean 409 `slot_full`, and that nothing answered 5xx, and prints the
throughput and latency percentiles.

    .venv/bin/python bench/tax_booking.py                      # both databases
    .venv/bin/python bench/tax_booking.py --databases sqlite
    BENCH_POSTGRES_URL=postgres://zg:zg@127.0.0.1:5432/zg_tax .venv/bin/python bench/tax_booking.py

The PostgreSQL database named in BENCH_POSTGRES_URL is dropped and created again."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
DEFAULT_POSTGRES = "postgres://zg:zg@127.0.0.1:5432/zg_tax"


# --- Inside Django (run as a subprocess with the database's DATABASE_URL) -------------------------


def prepare(clients: int, days: int, slots_per_day: int, capacity: int) -> dict:
    import django

    django.setup()
    from datetime import datetime, time, timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from zoneguard.accounts.models import ApiToken, User, generate_raw_token, hash_token
    from zoneguard.core.roles import Role
    from zoneguard.registry.models import Organisation
    from zoneguard.tax.models import Hall, Slot

    call_command("migrate", verbosity=0)
    hall = Hall.objects.create(name=f"基准测试办税厅 {secrets.token_hex(3)}")
    start_day = timezone.localdate() + timedelta(days=7)
    slots: list[list[int]] = []
    for d in range(days):
        day = start_day + timedelta(days=d)
        row = []
        for s in range(slots_per_day):
            starts_at = timezone.make_aware(datetime.combine(day, time(9))) + timedelta(minutes=30 * s)
            slot = Slot.objects.create(
                hall=hall, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=30), capacity=capacity
            )
            row.append(slot.pk)
        slots.append(row)
    tag = secrets.token_hex(3)
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"基准企业{tag}-{i:03d}", kind="enterprise") for i in range(clients)], batch_size=500
    )
    users = User.objects.bulk_create(
        [
            User(username=f"bench-{tag}-{i:03d}", role=Role.ORGANISATION_ADMIN, organisation=o, password="!")
            for i, o in enumerate(organisations)
        ],
        batch_size=500,
    )
    raws = [generate_raw_token() for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=u, name="bench", token_hash=hash_token(raw), hint=raw[:8])
            for u, raw in zip(users, raws, strict=True)
        ],
        batch_size=500,
    )
    return {
        "slots": slots,
        "clients": [{"organisation_id": o.pk, "token": raw} for o, raw in zip(organisations, raws, strict=True)],
    }


def verify(slot_ids: list[int]) -> dict:
    import django

    django.setup()
    from django.db.models import Count, Q

    from zoneguard.tax.models import Slot

    rows = Slot.objects.filter(pk__in=slot_ids).annotate(
        appointments_kept=Count("appointments", filter=~Q(appointments__status="cancelled"))
    )
    return {str(s.pk): {"capacity": s.capacity, "booked": s.booked, "appointments": s.appointments_kept} for s in rows}


# --- Outside: the server and the clients ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_django(command: str, env: dict[str, str], payload: dict) -> dict:
    result = subprocess.run(
        [PYTHON, __file__, command, json.dumps(payload)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{command} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def reset_postgres(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "zoneguard.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_WORKERS": "2"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def book(port: int, token: str, body: dict) -> tuple[int, str, float]:
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request(
            "POST",
            "/api/v1/tax/appointments",
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        status, text = response.status, response.read().decode("utf-8", "replace")
        connection.close()
    except OSError as error:
        status, text = 0, repr(error)
    return status, text, time.perf_counter() - started


def load(port: int, data: dict) -> tuple[list[tuple[int, str, float]], float]:
    clients = data["clients"]
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str, float]] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        me = clients[index]
        barrier.wait()
        for day_slots in data["slots"]:
            slot_id = day_slots[index % len(day_slots)]
            body = {"slot_id": slot_id, "organisation_id": me["organisation_id"], "purpose": "declaration"}
            outcome = book(port, me["token"], body)
            with lock:
                results.append((*outcome[:2], outcome[2]))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(name: str, url: str, args: argparse.Namespace, workdir: Path) -> bool:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ZONEGUARD_VAR_DIR": str(workdir / name),
        "ZONEGUARD_HTTPS": "0",
        "ZONEGUARD_DEBUG": "0",
        "ZONEGUARD_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "zoneguard.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    (workdir / name).mkdir(parents=True, exist_ok=True)
    if name == "postgresql":
        reset_postgres(url)
    data = run_django(
        "prepare",
        env,
        {"clients": args.clients, "days": args.days, "slots_per_day": args.slots, "capacity": args.capacity},
    )
    port = free_port()
    log = workdir / f"gunicorn-{name}.log"
    server = start_server(env, port, log)
    try:
        results, elapsed = load(port, data)
    finally:
        stop_server(server)
    slot_ids = [pk for day in data["slots"] for pk in day]
    checked = run_django("verify", env, {"slots": slot_ids})
    statuses = Counter(status for status, _text, _t in results)
    codes = Counter(json.loads(text).get("code", "?") for status, text, _t in results if status == 409)
    latencies = [t for _s, _text, t in results]
    server_log = log.read_text(errors="replace")
    locked = sum("database is locked" in text for _s, text, _t in results) + server_log.count("database is locked")
    expected_successes = len(slot_ids) * args.capacity
    exact = all(v["booked"] == v["capacity"] == v["appointments"] for v in checked.values())
    ok = (
        statuses.get(201, 0) == expected_successes
        and statuses.get(409, 0) == len(results) - expected_successes
        and codes == Counter({"slot_full": len(results) - expected_successes})
        and not any(s >= 500 or s == 0 for s in statuses)
        and exact
        and locked == 0
    )
    print(f"\n== {name}: {args.clients} concurrent clients, {len(slot_ids)} slots of capacity {args.capacity}")
    print(f"   requests           {len(results)} in {elapsed:.2f} s  →  {len(results) / elapsed:.0f} req/s")
    print(
        f"   latency            p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(f"   answers            {dict(sorted(statuses.items()))}; 409 codes {dict(codes)}")
    print(f"   bookings           {statuses.get(201, 0)} (expected {expected_successes}); slots exactly full: {exact}")
    print(f"   'database is locked' seen: {locked}; 5xx: {sum(v for s, v in statuses.items() if s >= 500)}")
    print(f"   result             {'OK' if ok else 'FAILED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--days", type=int, default=5, help="bookings per client: one slot a day")
    parser.add_argument("--slots", type=int, default=4, help="slots a day that every client competes for")
    parser.add_argument("--capacity", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="zg-bench-") as tmp:
        workdir = Path(tmp)
        urls = {
            "sqlite": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "postgresql": os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        }
        ok = [bench(name, urls[name], args, workdir) for name in args.databases.split(",")]
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in {"prepare", "verify"}:
        sys.path.insert(0, str(ROOT))
        payload = json.loads(sys.argv[2])
        if sys.argv[1] == "prepare":
            print(json.dumps(prepare(**payload)))
        else:
            print(json.dumps(verify(payload["slots"])))
    else:
        main()
