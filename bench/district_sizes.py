"""The district benchmark's 10 M / 1.5 M ratio measured fairly: the same code times every list
and page of `bench/district.py` in-process (Django's test client, no server) on two simulated
districts in turn, several rounds alternated, so that the machine's swings fall on both sizes
alike. Prints the median ms per size (mean over the rounds) and their ratio.

    .venv/bin/python bench/district_sizes.py SMALL_URL LARGE_URL [--rounds 2] [--requests 12]

SMALL_URL and LARGE_URL are `sqlite:///…` or `postgres://…` URLs of districts that
`bench/district.py --keep` (or `--reuse`) has prepared: their bench users exist. Nothing here
asserts a timing."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from district import endpoints
from run import PYTHON, ROOT, bench_environment


def child(requests: int) -> None:
    import django

    django.setup()
    from django.contrib.auth.signals import user_logged_in
    from django.test import Client
    from django.utils import timezone

    from zoneguard.accounts.models import User
    from zoneguard.accounts.services import token_create
    from zoneguard.gates.models import CheckIn
    from zoneguard.testing import pass_second_factor_on_force_login

    user_logged_in.connect(pass_second_factor_on_force_login, dispatch_uid="bench-second-factor")
    last = CheckIn.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
    assert last is not None, "no check-ins: simulate a district first"
    clients: dict[str, tuple[Client, Client]] = {}
    for role in ("commander", "admin"):
        user = User.objects.filter(username__startswith=f"bench-{role}-").order_by("pk").first()
        assert user is not None, "no bench users: run bench/district.py on this district first"
        page = Client()
        page.force_login(user)
        _token, raw = token_create(actor=user, user=user, name="bench sizes")
        clients[role] = (page, Client(HTTP_AUTHORIZATION=f"Bearer {raw}"))
    out = {}
    for label, role, path in endpoints(timezone.localtime(last).date().isoformat()):
        page, api = clients[role]
        client = api if path.startswith("/api/") else page
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            status = client.get(path).status_code
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status)
        out[f"{label} ({role})"] = statistics.median(times[2:])  # the first two warm up
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small", nargs="?")
    parser.add_argument("large", nargs="?")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=12)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.requests)
        return
    figures: dict[str, dict[str, list[float]]] = {"small": {}, "large": {}}
    work = Path(ROOT) / "var" / "bench-sizes"
    (work / "var").mkdir(parents=True, exist_ok=True)
    for number in range(1, args.rounds + 1):
        for size in ("small", "large"):
            print(f"round {number}/{args.rounds}: {size}", file=sys.stderr, flush=True)
            env = bench_environment(getattr(args, size), work)
            if number == 1 and size == "small":  # the pages' static files, named as production names them
                collect = [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"]
                subprocess.run(collect, cwd=ROOT, env=env, check=True)
            command = [PYTHON, __file__, "--child", "--requests", str(args.requests)]
            output = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
            for label, ms in json.loads(output.strip().splitlines()[-1]).items():
                figures[size].setdefault(label, []).append(ms)
    print("| what | small ms | large ms | ratio |\n|---|---|---|---|")
    for label, small in figures["small"].items():
        a, b = statistics.mean(small), statistics.mean(figures["large"][label])
        print(f"| {label} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
