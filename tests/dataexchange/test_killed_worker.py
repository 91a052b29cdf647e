"""A real Celery worker killed (SIGKILL) while it processes an upload leaves nothing stored; the retry completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from bench.dataexchange_data import write_list
from dataexchange import tasks
from dataexchange.models import PersonRecord, Submission
from dataexchange.progress import _key
from dataexchange.services import period_for_upload, schema_for, submission_receive
from workplan.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)
BASE_DIR = Path(__file__).resolve().parents[2]


def start_worker(tmp_path: Path) -> subprocess.Popen[bytes]:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "mou_tracker", "worker", "--pool=solo", "-l", "warning",
               "--without-heartbeat", "--without-gossip", "--without-mingle"]  # fmt: skip
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True,  # noqa: S603
                            stdout=(tmp_path / "worker.log").open("wb"), stderr=subprocess.STDOUT)  # fmt: skip


def wait_for(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def worker_backend_gone(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() AND state <> 'idle'",
            [name],
        )
        return cursor.fetchone()[0] == 0


def test_sigkill_mid_upload_stores_nothing_and_the_retry_completes(streams: Any, tmp_path: Path) -> None:
    path = write_list(tmp_path / "bpu.csv", 100_000)
    unit = Organization.objects.get(short_name="Dinsos")
    period = period_for_upload(stream=streams["2e"], unit=unit, year=2025, quarter=3)
    with path.open("rb") as file:
        submission, _new = submission_receive(file=file, filename=path.name, organization=unit, period=period,
                                              schema=schema_for(streams["2e"]))  # fmt: skip
    cache.delete(_key(submission.pk))
    worker = start_worker(tmp_path)
    try:
        tasks.process_submission.delay(submission.pk)
        wait_for(lambda: cache.get(_key(submission.pk)) is not None)  # validated, now storing
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    wait_for(lambda: worker_backend_gone(connection.settings_dict["NAME"]))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECEIVED
    assert PersonRecord.objects.count() == 0
    assert tasks.process_submission.apply(args=[submission.pk]).get() == Submission.Status.ACCEPTED
    assert PersonRecord.objects.filter(submission=submission).count() == 100_000
