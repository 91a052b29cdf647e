"""Profile single requests of the load pages on the load database (issue 8), production settings.

    python -m assurance.profile                       # every page of assurance.load.PAGES, timed
    python -m assurance.profile /api/reports/ --top 30   # one page, timed and cProfiled

Each page is requested once to warm the template cache, then ``--repeat`` times through Django's
test client (the whole middleware stack, logged in as the secretariat): the median wall time, the
median CPU time of this process (what a gunicorn worker spends; steadier than the wall time on a
shared machine), the number of queries and their time are printed. With one path the last request also runs under
cProfile and the functions with the most own time are printed, so a change can be measured
before and after on the same data (the database named by DATABASE_URL, seeded by
``python -m assurance.load seed``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from typing import Any

from assurance import load


def _client() -> Any:
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="sekretariat"))
    return client


def measure(client: Any, path: str, repeat: int) -> dict[str, Any]:
    """Median wall time of ``repeat`` requests, with the queries of the last one and their time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path, secure=True)  # warm: templates compiled, connection open
    walls, cpus = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(path, secure=True)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "median_ms": round(statistics.median(walls) * 1000, 1),
        "cpu_ms": round(statistics.median(cpus) * 1000, 1),  # this process only: Django, not PostgreSQL
        "queries": len(queries),
        "sql_ms": round(sql_ms, 1),
    }


def profile(client: Any, path: str, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path, secure=True)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    env = load.production_env(0)
    load.collectstatic(env)
    os.environ.update({k: v for k, v in env.items() if k.startswith("DJANGO_")})
    load.django_setup()
    client = _client()
    paths = [(args.path, args.path)] if args.path else load.PAGES
    for name, path in paths:
        print(name, measure(client, path, args.repeat), flush=True)
    if args.path and args.top:
        print(profile(client, args.path, args.top))


if __name__ == "__main__":
    main()
