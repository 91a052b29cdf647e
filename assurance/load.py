# ruff: noqa: S603, S607 - fixed argument lists for our own gunicorn, wrk and Python children
"""Load test of issue 8: seed a database, serve it with gunicorn (production settings), drive it with wrk.

    python -m assurance.load seed --employers 50000 --cases 10000 --people 250000
    python -m assurance.load run --users 50 --seconds 20 [--models closed,think] [--writes 1]

``seed`` fills the database named by DATABASE_URL (use a database of its own): the MoU, one user
per role, employers and sanction cases through bulk inserts, a Dinsos 2e list and BPJS's extract
through the real upload command (``exchange_upload``), reports for every unit and quarter of 2025.
``run`` starts gunicorn on 127.0.0.1 with DEBUG off, HTTPS on behind a proxy header, logs in as the
secretariat, then for each page drives it from second processes in two models: the closed loop
(wrk, 50 connections, 2 threads, no think time: saturation) and the think-time model (locust,
headless, 50 users each waiting 1-5 s between requests: what 50 clerks at their desks do). It
prints p50/p95/p99 and requests per second of each, the trivial ``/healthz`` first as the stack's
ceiling, the load average at the start and the end, and the number of queries each page makes on
the seeded data. ``--writes N`` commits N times a second beside the load (each commit renders every
cached page again, see core/pagecache.py). Results go to var/assurance/load.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "var" / "assurance"
PASSWORD = "beban-uji-2025"  # noqa: S105 - a synthetic account in a throwaway database
# The redirect: /healthz *without* the proxy header, which SecurityMiddleware, the first middleware,
# answers with the HTTPS redirect (gunicorn and one middleware: the floor of any request).
REDIRECT = "trivial (/healthz, redirect)"
PAGES = [
    # The ceiling of the stack: /healthz as the proxy sends it, through every middleware (session,
    # user, locale, CSRF, CSP, history context) and one query, as the pages below are served.
    ("trivial (/healthz)", "/healthz"),
    (REDIRECT, "/healthz"),
    ("work plan", "/rencana-kerja/"),
    ("matrix", "/rencana-kerja/matriks/"),
    ("review queue", "/rencana-kerja/verifikasi/"),
    ("cases (list)", "/kepatuhan/"),
    ("compliance dashboard", "/kepatuhan/dasbor/"),
    ("exchange streams", "/pertukaran-data/"),
    ("inbox", "/pemberitahuan/"),
    ("API reports (list)", "/api/reports/"),
    ("API cases (list)", "/api/compliance/cases/"),
    ("API activities", "/api/activities/"),
]
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency.max))
end
"""


def django_setup() -> None:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")
    import django

    django.setup()


def seed(employers: int, cases: int, people: int) -> None:
    django_setup()
    import datetime
    import random

    from django.core.management import call_command

    from accounts.models import Role, User
    from compliance.models import SanctionCase
    from compliance.states import Category
    from dataexchange.seed import streams_ensure
    from registry.models import Employer, Region
    from registry.names import normalize_company_name
    from workplan.models import Agreement, Organization, ProgressReport, ResponsibleUnit
    from workplan.services import seed_mou_load

    call_command("migrate", verbosity=0)
    seed_mou_load()
    agreement = Agreement.objects.get(number="1 Tahun 2025")
    streams_ensure(agreement=agreement)
    for name, role, short_name in [
        ("sekretariat", Role.SECRETARIAT, "Disnakertransgi"),
        ("bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI"),
        ("dinsos", Role.DINAS_STAFF, "Dinsos"),
        ("pimpinan", Role.LEADERSHIP, None),
        ("dpmptsp", Role.FOLLOWUP_AGENCY, "DPMPTSP"),
    ]:
        if not User.objects.filter(username=name).exists():
            org = Organization.objects.get(short_name=short_name) if short_name else None
            User.objects.create_user(name, password=PASSWORD, role=role, organization=org)
    rng = random.Random(2025)  # noqa: S311 - synthetic data
    regions = list(Region.objects.filter(kode_bps__startswith="31"))
    have = Employer.objects.count()
    batch = []
    for n in range(have, employers):
        name = f"PT Beban {rng.choice(['Maju', 'Sentosa', 'Makmur', 'Jaya', 'Abadi'])} {n}"
        batch.append(
            Employer(
                name=name,
                name_normalized=normalize_company_name(name),
                npp=f"LD{n:07d}",
                address=f"Jalan Uji No. {n}",
                region=rng.choice(regions),
            )
        )
    Employer.objects.bulk_create(batch, batch_size=5000)
    ids = list(Employer.objects.values_list("pk", flat=True)[:cases])
    have = SanctionCase.objects.count()
    categories = list(Category.values)
    SanctionCase.objects.bulk_create(
        [
            SanctionCase(
                employer_id=pk,
                category=rng.choice(categories),
                opened_on=datetime.date(2025, 1, 2) + datetime.timedelta(days=rng.randrange(300)),
            )
            for pk in ids[have:]
        ],
        batch_size=5000,
    )
    author = User.objects.get(username="sekretariat")
    for unit, year in ((u, y) for u in ResponsibleUnit.objects.all() for y in agreement.plan_years):  # 5 years
        for quarter in (1, 2, 3, 4):
            ProgressReport.objects.get_or_create(
                unit=unit,
                year=year,
                quarter=quarter,
                defaults={
                    "created_by": author,
                    "realisation": "Sosialisasi",
                    "achievement": 60,
                    "work_status": "berjalan",
                },
            )
    from dataexchange.models import PersonRecord

    if people and not PersonRecord.objects.exists():  # seeded once: a second seed adds no second list
        from bench.dataexchange_data import write_list, write_membership

        OUT.mkdir(parents=True, exist_ok=True)
        listing = write_list(OUT / f"list-{people}.csv", people)
        extract = write_membership(OUT / f"extract-{people}.csv", people)
        call_command("exchange_upload", "--stream", "2e", "--unit", "BPJS Kanwil DKI", "--membership", str(extract))
        call_command("exchange_upload", "--stream", "2e", "--period", "2025Q3", "--unit", "Dinsos", str(listing))
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does soon after in production: without statistics the planner took 50,000
        # employers for 5,340 and 10,000 cases for 1,430 and chose plans for tables ten times smaller.
        cursor.execute("ANALYZE")
    print(json.dumps(sizes()))


def sizes() -> dict[str, int]:
    from compliance.models import SanctionCase
    from dataexchange.models import MembershipRecord, PersonRecord
    from registry.models import Employer
    from workplan.models import ProgressReport

    return {
        "employers": Employer.objects.count(),
        "cases": SanctionCase.objects.count(),
        "exchange_list_rows": PersonRecord.objects.count(),
        "exchange_extract_rows": MembershipRecord.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
    }


def production_env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "true",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "PYTHONPATH": str(BASE),
        "DJANGO_SETTINGS_MODULE": "mou_tracker.settings",
        "DJANGO_STATIC_ROOT": str(BASE / "var" / "staticfiles"),
    }


SESSION_CODE = """
import django; django.setup()
from django.conf import settings
from importlib import import_module
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
from accounts.models import User
user = User.objects.get(username="sekretariat")
session = SessionStore()
session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[-1],
                "_auth_user_hash": user.get_session_auth_hash()})
session.save()
# The CSRF cookie a browser holds after the login page (its forms' tokens are masked from it).
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
print(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}")
"""


WRITER_CODE = """
import os, sys, time, psycopg
pause = 1 / float(sys.argv[1])
with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
    while True:
        db.execute("SELECT pg_current_xact_id()")  # a transaction with an id, committed: a new snapshot
        time.sleep(pause)
"""


def writer(env: dict[str, str], per_second: float) -> subprocess.Popen[bytes] | None:
    """Commits ``per_second`` times a second while the pages are driven: each one changes the
    database's snapshot as any write does, so every cached page is rendered again after it."""
    if not per_second:
        return None
    return subprocess.Popen([sys.executable, "-c", WRITER_CODE, str(per_second)], cwd=BASE, env=env)


def login(env: dict[str, str]) -> str:
    """The secretariat's cookies: the session as ``login()`` makes one (the server's secret key) and
    the CSRF cookie a browser holds after the login page."""
    run = subprocess.run(
        [sys.executable, "-c", SESSION_CODE],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip().splitlines()[-1]


def wrk(url: str, cookie: str, users: int, seconds: int, *, proxied: bool = True) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    run = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{users}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            "-H",
            f"Cookie: {cookie}",
            *(["-H", "X-Forwarded-Proto: https"] if proxied else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    numbers = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", run.stdout)
    requests, duration, p50, p95, p99, errors, worst = (int(x) for x in numbers.groups())  # type: ignore[union-attr]
    return {
        "requests": requests,
        "rps": round(requests / (duration / 1e6), 1),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "errors": errors,
        "max_ms": worst / 1000,
    }


def think(url: str, path: str, cookie: str, users: int, seconds: int, *, proxied: bool = True) -> dict[str, Any]:
    """``users`` clerks on one page, each waiting 1-5 s between requests (assurance/locustfile.py).

    They arrive over 5 s (10 a second) and the statistics are reset once all are there, so the
    figures are ``seconds`` of the steady state, not the first burst. Locust rounds percentiles
    above 100 ms to two significant digits.
    """
    ramp = users / 10
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                *("-f", str(BASE / "assurance" / "locustfile.py"), "--headless", "--only-summary"),
                *("--host", url, "-u", str(users), "-r", "10", "-t", f"{seconds + ramp:.0f}s", "--reset-stats"),
                *("--csv", f"{out}/think", "--loglevel", "WARNING"),
            ],
            env={**os.environ, "LOAD_PATH": path, "LOAD_COOKIE": cookie, "LOAD_PROXIED": "1" if proxied else "0"},
            capture_output=True,
            text=True,
            check=False,  # locust exits 1 when a request failed; the failures are counted below
        )
        with open(f"{out}/think_stats.csv", newline="") as stats:
            row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "errors": int(row["Failure Count"]),
        "max_ms": round(float(row["Max Response Time"]), 1),
    }


def query_counts() -> dict[str, list[int]]:
    """Queries per page on the seeded data, through Django's test client (same code, counted): the
    first request of the page (rendered) and the second (served from the page cache)."""
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.crypto import get_random_string

    from accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="sekretariat"))
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)  # the CSRF cookie a browser holds
    counts: dict[str, list[int]] = {}
    for name, path in PAGES:
        counts[name] = []
        for _request in range(2):
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path, secure=True).status_code
            counts[name].append(len(queries) if status == 200 else -status)
    return counts


def collectstatic(env: dict[str, str]) -> None:
    """The manifest that production's static storage needs to render any page."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE, env=env, check=True)


def run(
    users: int, seconds: int, port: int, workers: int, models: tuple[str, ...], only: str = "", writes: float = 0
) -> None:
    env = production_env(port)
    collectstatic(env)
    started_load = os.getloadavg()  # the machine is shared: say how busy it was
    pages = [(name, path) for name, path in PAGES if not only or any(part in name for part in only.split(","))]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "mou_tracker.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--threads",
            "1",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=BASE,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    writing: subprocess.Popen[bytes] | None = None
    try:
        for _ in range(60):
            try:
                # As the TLS proxy would send it: without the header the answer is the HTTPS redirect,
                # which urllib follows to https:// on this plain port and fails for all 60 tries.
                probe = urllib.request.Request(base + "/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
                urllib.request.urlopen(probe, timeout=2)  # noqa: S310 - our own loopback server
                break
            except OSError:
                time.sleep(1)
        cookie = login(env)
        writing = writer(env, writes)
        results: dict[str, dict[str, Any]] = {"closed": {}, "think": {}}
        for name, path in pages:
            proxied = name != REDIRECT
            if "closed" in models:
                results["closed"][name] = wrk(base + path, cookie, users, seconds, proxied=proxied)
                print("closed", name, results["closed"][name], flush=True)
            if "think" in models:
                results["think"][name] = think(base, path, cookie, users, seconds, proxied=proxied)
                print("think", name, results["think"][name], flush=True)
    finally:
        if writing is not None:
            writing.kill()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    os.environ.update({k: v for k, v in env.items() if k.startswith("DJANGO_")})
    report = {
        "load_average": {"start": started_load, "end": os.getloadavg()},
        "users": users,
        "seconds": seconds,
        "workers": workers,
        "writes_per_second": writes,
        "pages": results,
        "queries": query_counts(),
        "sizes": sizes(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report["queries"]), json.dumps(report["sizes"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    seeding = sub.add_parser("seed")
    seeding.add_argument("--employers", type=int, default=50_000)
    seeding.add_argument("--cases", type=int, default=10_000)
    seeding.add_argument("--people", type=int, default=250_000)
    running = sub.add_parser("run")
    running.add_argument("--users", type=int, default=50)
    running.add_argument("--seconds", type=int, default=20)
    running.add_argument("--port", type=int, default=8431)
    running.add_argument("--workers", type=int, default=5)
    running.add_argument("--models", default="closed,think", help="closed (wrk), think (locust, 1-5 s) or both")
    running.add_argument("--pages", default="", help="only the pages whose name contains one of these, comma-separated")
    running.add_argument("--writes", type=float, default=0, help="commits per second beside the load (0: none)")
    args = parser.parse_args()
    if args.command == "seed":
        seed(args.employers, args.cases, args.people)
    else:
        run(args.users, args.seconds, args.port, args.workers, tuple(args.models.split(",")), args.pages, args.writes)


if __name__ == "__main__":
    main()
