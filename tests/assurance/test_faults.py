"""The fault experiments of issue 8, small: a real worker killed mid-upload, a real Redis restarted under a queue.

The full sizes (20 kills of a 200,000-row list, 1,000 jobs) run in ``make assure`` (docs/assurance.md).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)
BASE = Path(__file__).resolve().parents[2]


def run_faults(tmp_path: Path, *args: str) -> dict[str, Any]:
    """``python -m assurance.faults`` on the test database (the MoU is seeded by the script itself)."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    out = tmp_path / "result.json"
    command = [sys.executable, "-m", "assurance.faults", "--json", str(out), *args]
    subprocess.run(command, cwd=BASE, env=env, check=True, timeout=600, capture_output=True)  # noqa: S603
    return dict(json.loads(out.read_text()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_worker_killed_mid_upload_never_shows_partial_rows_and_the_retry_stores_what_a_clean_run_does(
    tmp_path: Path,
) -> None:
    result = run_faults(tmp_path, "crash", "--rows", "20000", "--kills", "2")

    assert result["kills_before_commit"] >= 1  # at least one kill really interrupted the upload
    assert result["polls"] > 50
    assert result["partial_states_seen"] == 0
    assert result["final_status"] == "diterima"
    assert result["identical_to_clean_run"] is True


def test_jobs_a_redis_restart_lost_are_all_finished_once_the_sweeper_ran(tmp_path: Path) -> None:
    result = run_faults(tmp_path, "redis", "--jobs", "30", "--reports", "1", "--first", "5", "--port", str(free_port()))

    assert result["waiting_after_restart_without_sweeper"] > 0  # the restart did lose queued jobs
    assert result["enqueued_by_sweeper"] == result["waiting_after_restart_without_sweeper"]
    assert result["never_finished"] == 0
