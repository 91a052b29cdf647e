# ruff: noqa: S603 - fixed argument lists for our own Celery worker and redis-server children
"""Fault experiments of issue 8 with a real Celery worker, PostgreSQL and Redis.

    python -m assurance.faults crash --rows 200000 --kills 20
    python -m assurance.faults redis --jobs 1000 --port 6391

``crash``: one large 2e list is processed once without faults (the clean run, timed), then the
same file for another quarter is processed while the worker is SIGKILLed ``--kills`` times at
random points of that time; after each kill a new worker starts and the sweeper enqueues the
still-waiting upload again (the killed message stays unacknowledged until the visibility timeout).
A thread polls the database all along: a partial state is rows of the list visible while the upload
is not accepted, or a number of rows other than the file's. At the end the stored rows' digest must
equal the clean run's.

``redis``: starts its OWN redis-server (``--save "" --appendonly no``, so a restart loses
everything), queues ``--jobs`` uploads and ``--reports`` report versions, lets a worker start on
them, kills and restarts that Redis, waits for the worker to go idle (what was lost), runs the
sweeper, and counts the jobs that never finished (target 0).

Both use the database named by DATABASE_URL (migrated; a database of its own) and print JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
FINISHED = ("diterima", "ditolak")  # Submission.Status.ACCEPTED / REJECTED


def django_setup() -> None:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")
    import django

    django.setup()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- The worker ---


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    """A real worker (solo pool) on the database and Redis of this process, in a process group of its own."""
    from django.conf import settings
    from django.db import connection

    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "mou_tracker", "worker", "--pool=solo", "-l", "warning",
               "--without-heartbeat", "--without-gossip", "--without-mingle"]  # fmt: skip
    return subprocess.Popen(command, cwd=BASE, env=env, start_new_session=True,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)  # fmt: skip


def wait_ready(worker: subprocess.Popen[bytes], timeout: float = 60) -> None:
    from mou_tracker.celery import app

    def answers() -> bool:
        if worker.poll() is not None:
            raise RuntimeError("the worker exited at start")
        return bool(app.control.ping(timeout=0.5))

    wait_for(answers, timeout, "the worker to answer a ping")


def kill(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def others_idle() -> bool:
    """No other backend of this database is inside a statement (a killed worker's transaction has ended)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state NOT IN ('idle')",
        )
        return bool(cursor.fetchone()[0] == 0)


def sweep_now() -> dict[str, int]:
    """The sweeper run at once (every waiting job is stale): how many jobs of each kind it enqueued."""
    import datetime

    from django.utils import timezone

    from core.sweeper import sweep

    return sweep(now=timezone.now(), stale_after=datetime.timedelta(0))


# --- Crash consistency ---


def _fresh_seed() -> int:
    """Files never seen by this database before: a second run must not find its uploads already done."""
    return time.time_ns() % 10**12


def _upload(path: Path, quarter: int) -> Any:
    from dataexchange.models import Stream
    from dataexchange.services import period_for_upload, schema_for, submission_receive
    from workplan.models import Organization

    stream = Stream.objects.get(code="2e")
    unit = Organization.objects.get(short_name="Dinsos")
    period = period_for_upload(stream=stream, unit=unit, year=2025, quarter=quarter)
    with path.open("rb") as file:
        submission, _new = submission_receive(file=file, filename=path.name, organization=unit, period=period,
                                              schema=schema_for(stream))  # fmt: skip
    return submission


def state(submission_id: int) -> tuple[str, int, int]:
    """Status, stored people and stored errors of one upload, read in one statement (one snapshot)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.status,"
            " (SELECT count(*) FROM dataexchange_personrecord p WHERE p.submission_id = s.id),"
            " (SELECT count(*) FROM dataexchange_submissionerror e WHERE e.submission_id = s.id)"
            " FROM dataexchange_submission s WHERE s.id = %s",
            [submission_id],
        )
        status, people, errors = cursor.fetchone()
    return status, people, errors


def digest(submission_id: int) -> str:
    """MD5 of every stored row of the list but its ids: equal digests are equal data."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(coalesce(string_agg(concat_ws(',', row, name, encode(nik_hash, 'hex'), nik_masked,"
            " phone_masked, match_status), '|' ORDER BY row), '')) FROM dataexchange_personrecord"
            " WHERE submission_id = %s",
            [submission_id],
        )
        return str(cursor.fetchone()[0])


class Poller(threading.Thread):
    """Reads the upload's state every few milliseconds; counts the partial states it ever sees."""

    def __init__(self, submission_id: int, rows: int) -> None:
        super().__init__(daemon=True)
        self.submission_id, self.rows = submission_id, rows
        self.polls = self.partial = 0
        self.seen: set[str] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stop.is_set():
                status, people, errors = state(self.submission_id)
                self.polls += 1
                self.seen.add(status)
                accepted = status == "diterima"
                if (not accepted and (people or errors)) or (accepted and people != self.rows):
                    self.partial += 1
                time.sleep(0.02)
        finally:
            connection.close()


def _process_with_worker(submission_id: int, log: Path) -> float:
    from dataexchange import tasks

    worker = start_worker(log)
    try:
        wait_ready(worker)
        started = time.monotonic()
        tasks.process_submission.delay(submission_id)
        wait_for(lambda: state(submission_id)[0] in FINISHED, 900, "the clean run")
        return time.monotonic() - started
    finally:
        kill(worker)


def crash(*, rows: int, kills: int, seed: int, workdir: Path) -> dict[str, Any]:
    """The crash-consistency experiment; returns its figures."""
    from bench.dataexchange_data import write_list
    from dataexchange import tasks

    path = write_list(workdir / f"crash-{rows}.csv", rows, seed=_fresh_seed())
    log = workdir / "worker.log"
    clean = _upload(path, quarter=2)
    clean_seconds = _process_with_worker(clean.pk, log)
    faulted = _upload(path, quarter=3)
    poller = Poller(faulted.pk, rows)
    poller.start()
    rng = random.Random(seed)  # noqa: S311 - kill points, not secrets
    landed, points = 0, []
    try:
        for attempt in range(kills):
            worker = start_worker(log)
            try:
                wait_ready(worker)
                if attempt == 0:
                    tasks.process_submission.delay(faulted.pk)  # what the upload view enqueues
                else:
                    sweep_now()
                point = rng.uniform(0.02, 0.9) * clean_seconds
                time.sleep(point)
            finally:
                kill(worker)
            points.append(round(point, 2))
            wait_for(others_idle, 900, "the killed worker's transaction to end")
            landed += state(faulted.pk)[0] not in FINISHED
        worker = start_worker(log)
        try:
            wait_ready(worker)
            started = time.monotonic()
            sweep_now()
            wait_for(lambda: state(faulted.pk)[0] in FINISHED, 900, "the final run")
            final_seconds = time.monotonic() - started
        finally:
            kill(worker)
    finally:
        poller.stop.set()
        poller.join()
    status, people, _errors = state(faulted.pk)
    return {
        "rows": rows, "kills": kills, "kills_before_commit": landed, "kill_points_s": points,
        "clean_run_s": round(clean_seconds, 2), "final_run_s": round(final_seconds, 2),
        "polls": poller.polls, "partial_states_seen": poller.partial, "statuses_seen": sorted(poller.seen),
        "final_status": status, "final_rows": people,
        "identical_to_clean_run": digest(faulted.pk) == digest(clean.pk) and people == rows,
    }  # fmt: skip


# --- Redis restarted under a queue ---


class OwnRedis:
    """A redis-server of this experiment only, without persistence: a restart loses every key."""

    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log = port, log
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = self.start()

    def start(self) -> subprocess.Popen[bytes]:
        import redis

        server = shutil.which("redis-server") or shutil.which("valkey-server")
        if not server:
            raise RuntimeError("redis-server (or valkey-server) is not installed")
        command = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = subprocess.Popen(command, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port)

        def up() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited at start (port {self.port} in use?): see {self.log}")
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_for(up, 30, "redis-server")
        return process

    def queued(self) -> int:
        import redis

        return int(redis.Redis(port=self.port).llen("celery"))

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


def _queue_jobs(jobs: int, reports: int, workdir: Path) -> tuple[list[int], list[int]]:
    from bench.dataexchange_data import write_list
    from dataexchange import tasks
    from evaluation.services import report_request
    from workplan.models import Agreement

    uploads, base = [], _fresh_seed()
    for n in range(jobs):
        submission = _upload(write_list(workdir / f"job-{n}.csv", 5, seed=base + n), quarter=1)
        tasks.process_submission.delay(submission.pk)  # as the upload view does on commit
        uploads.append(submission.pk)
    agreement = Agreement.objects.get(number="1 Tahun 2025")
    versions = [report_request(agreement=agreement, year=2025, by=None).pk for _ in range(reports)]
    return uploads, versions


def _unfinished(uploads: list[int], versions: list[int]) -> int:
    from dataexchange.models import Submission
    from evaluation.models import EvaluationReport

    waiting_uploads = Submission.objects.filter(pk__in=uploads).exclude(status__in=FINISHED).count()
    running = [EvaluationReport.Job.QUEUED, EvaluationReport.Job.RUNNING]
    return waiting_uploads + EvaluationReport.objects.filter(pk__in=versions, job__in=running).count()


def _wait_idle(uploads: list[int], versions: list[int], quiet: float, timeout: float) -> int:
    """Wait until nothing has finished for ``quiet`` seconds (or all is done); the number still waiting."""
    deadline, last, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        left = _unfinished(uploads, versions)
        if left == 0:
            return 0
        if left != last:
            last, since = left, time.monotonic()
        elif time.monotonic() - since > quiet:
            return left
        time.sleep(0.2)
    return _unfinished(uploads, versions)


def redis_restart(*, server: OwnRedis, jobs: int, reports: int, workdir: Path, first: int) -> dict[str, Any]:
    """Queue the jobs, restart Redis once ``first`` of them finished, sweep; returns the figures."""
    uploads, versions = _queue_jobs(jobs, reports, workdir)
    total = jobs + reports
    worker = start_worker(workdir / "worker.log")
    try:
        wait_for(lambda: total - _unfinished(uploads, versions) >= first, 600, "the first jobs")
        queued_at_restart = server.queued()
        server.stop()
        done_at_restart = total - _unfinished(uploads, versions)
        server.process = server.start()
        queued_after_restart = server.queued()
        lost = _wait_idle(uploads, versions, quiet=10, timeout=600)
        started = time.monotonic()
        swept = sweep_now()
        # The uploads and report versions this experiment counts; the sweep also finds the newest
        # accepted list's statistics refresh, lost with the queue as well (reported beside them).
        enqueued = swept.get("dataexchange.submissions", 0) + swept.get("evaluation.reports", 0)
        never = _wait_idle(uploads, versions, quiet=30, timeout=1800)
        drain = time.monotonic() - started
    finally:
        kill(worker)
    return {
        "jobs": total, "uploads": jobs, "report_versions": reports, "finished_before_restart": done_at_restart,
        "queued_at_restart": queued_at_restart, "queued_after_restart": queued_after_restart,
        "waiting_after_restart_without_sweeper": lost, "enqueued_by_sweeper": enqueued, "swept_per_kind": swept,
        "never_finished": never, "drain_after_sweep_s": round(drain, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    crashing = commands.add_parser("crash", help="SIGKILL the worker during a large upload")
    crashing.add_argument("--rows", type=int, default=200_000)
    crashing.add_argument("--kills", type=int, default=20)
    crashing.add_argument("--seed", type=int, default=8)
    restarting = commands.add_parser("redis", help="restart Redis under a queue of jobs")
    restarting.add_argument("--jobs", type=int, default=1000)
    restarting.add_argument("--reports", type=int, default=2)
    restarting.add_argument("--first", type=int, default=50, help="restart once this many jobs finished")
    restarting.add_argument("--port", type=int, default=6391)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mou-faults-"))
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(workdir / "media"))
    server = OwnRedis(args.port, workdir / "redis.log") if args.command == "redis" else None
    if server:
        os.environ["REDIS_URL"] = server.url
    try:
        django_setup()
        from dataexchange.seed import streams_ensure
        from workplan.models import Agreement
        from workplan.services import seed_mou_load

        seed_mou_load()
        streams_ensure(agreement=Agreement.objects.get(number="1 Tahun 2025"))
        if server is None:
            result = crash(rows=args.rows, kills=args.kills, seed=args.seed, workdir=workdir)
        else:
            result = redis_restart(server=server, jobs=args.jobs, reports=args.reports, workdir=workdir,
                                   first=args.first)  # fmt: skip
    finally:
        if server:
            server.stop()
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    if not os.environ.get("ASSURE_KEEP"):
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
