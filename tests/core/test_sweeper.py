"""The sweeper enqueues again the jobs the database says are waiting, once, on the real Redis queue."""

from __future__ import annotations

import datetime
import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from core import sweeper
from dataexchange.models import Stream, Submission
from dataexchange.seed import streams_ensure
from dataexchange.services import period_for_upload, schema_for, submission_receive
from evaluation.models import EvaluationReport
from workplan.models import Agreement, Organization

pytestmark = pytest.mark.django_db(transaction=True)
LATER = datetime.timedelta(minutes=20)  # past both kinds' stale_after


@pytest.fixture
def queue() -> Iterator[redis.Redis]:
    """The Celery queue in the test Redis database, emptied before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    cache.clear()
    yield client
    client.delete("celery")


def queued(client: redis.Redis) -> list[tuple[str, str]]:
    messages = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
    return sorted((m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages)


def upload(agreement: Agreement, name: str) -> Submission:
    streams_ensure(agreement=agreement)
    unit = Organization.objects.get(short_name="Dinsos")
    stream = Stream.objects.get(code="2e")
    period = period_for_upload(stream=stream, unit=unit, year=2025, quarter=3)
    file = io.BytesIO(f"Nama,NIK,No. HP\n{name},3171014107850001,081234567890\n".encode())
    submission, _new = submission_receive(file=file, filename=f"{name}.csv", organization=unit, period=period,
                                          schema=schema_for(stream))  # fmt: skip
    return submission


def test_a_waiting_upload_is_enqueued_once_its_delay_passed_and_finished_or_fresh_ones_never(
    seeded_mou: Agreement, queue: redis.Redis
) -> None:
    waiting = upload(seeded_mou, "Menunggu")
    done = upload(seeded_mou, "Selesai")
    Submission.objects.filter(pk=done.pk).update(status=Submission.Status.ACCEPTED)

    assert sweeper.sweep(now=timezone.now())["dataexchange.submissions"] == 0  # younger than 10 minutes
    assert sweeper.sweep(now=timezone.now() + LATER)["dataexchange.submissions"] == 1
    assert sweeper.sweep(now=timezone.now() + LATER)["dataexchange.submissions"] == 0  # marked: not twice
    assert queued(queue) == [("dataexchange.tasks.process_submission", f"({waiting.pk},)")]


def test_a_redis_that_lost_its_data_gets_every_waiting_job_again(seeded_mou: Agreement, queue: redis.Redis) -> None:
    waiting = upload(seeded_mou, "Hilang")
    sweeper.sweep(now=timezone.now() + LATER)
    queue.flushdb()  # the restart without persistence: the queue and the markers are gone

    sweeper.sweep(now=timezone.now() + LATER)

    assert queued(queue) == [("dataexchange.tasks.process_submission", f"({waiting.pk},)")]


def test_two_sweeps_at_once_enqueue_each_job_once(seeded_mou: Agreement, queue: redis.Redis) -> None:
    jobs = [upload(seeded_mou, f"Serentak {n}") for n in range(5)]
    start = threading.Barrier(2)

    def beat() -> None:
        start.wait()
        try:
            sweeper.sweep(now=timezone.now() + LATER)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert queued(queue) == sorted(("dataexchange.tasks.process_submission", f"({job.pk},)") for job in jobs)


def test_an_upload_a_worker_is_storing_now_is_left_alone(seeded_mou: Agreement, queue: redis.Redis) -> None:
    busy = upload(seeded_mou, "Sibuk")
    locked, release = threading.Event(), threading.Event()

    def worker() -> None:  # what submission_process holds while it stores the rows
        try:
            with transaction.atomic():
                Submission.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    locked.wait(10)
    try:
        assert sweeper.sweep(now=timezone.now() + LATER)["dataexchange.submissions"] == 0
    finally:
        release.set()
        thread.join()
    assert sweeper.sweep(now=timezone.now() + LATER)["dataexchange.submissions"] == 1


def test_report_versions_queued_or_cut_off_mid_run_are_enqueued(seeded_mou: Agreement, queue: redis.Redis) -> None:
    make = EvaluationReport.objects.create
    queued_version = make(agreement=seeded_mou, year=2025, version=1, job=EvaluationReport.Job.QUEUED)
    running = make(agreement=seeded_mou, year=2025, version=2, job=EvaluationReport.Job.RUNNING)
    make(agreement=seeded_mou, year=2025, version=3, job=EvaluationReport.Job.FAILED)  # failed: a person retries
    make(agreement=seeded_mou, year=2025, version=4, job=EvaluationReport.Job.DONE)

    assert sweeper.sweep(now=timezone.now() + datetime.timedelta(minutes=5))["evaluation.reports"] == 0
    assert sweeper.sweep(now=timezone.now() + LATER)["evaluation.reports"] == 2
    assert queued(queue) == [
        ("evaluation.tasks.generate_report", f"({queued_version.pk},)"),
        ("evaluation.tasks.generate_report", f"({running.pk},)"),
    ]


def test_one_broken_kind_does_not_stop_the_others(seeded_mou: Agreement, queue: redis.Redis) -> None:
    def broken(cutoff: datetime.datetime) -> list[int]:
        raise RuntimeError("boom")

    upload(seeded_mou, "Tetap")
    sweeper.register("broken", pending=broken, task=None, stale_after=datetime.timedelta(0))
    try:
        result = sweeper.sweep(now=timezone.now() + LATER)
    finally:
        sweeper.unregister("broken")
    assert "broken" not in result
    assert result["dataexchange.submissions"] == 1


def test_beat_runs_the_sweeper_every_five_minutes() -> None:
    entry: Any = settings.CELERY_BEAT_SCHEDULE["core-sweep-pending"]
    assert entry["task"] == "core.tasks.sweep_pending"
    assert entry["schedule"].minute == set(range(0, 60, 5))
