"""The planner's statistics after an accepted list or extract (``pipeline.refresh_statistics``).

Autovacuum never analyzes a partitioned table, so without this every join on the tokens is estimated
at PostgreSQL's default selectivity and the change report is planned as nested loops over the
extracts, which grows with the square of the rows.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.dataexchange_data import write_list, write_membership
from core import sweeper
from dataexchange import tasks
from dataexchange.changes import PERSON_SQL
from dataexchange.models import Submission
from mou_tracker.celery import app

pytestmark = pytest.mark.django_db
PEOPLE = 3000


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    app.conf.task_always_eager, previous = True, app.conf.task_always_eager
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


def upload(*args: str) -> Submission:
    with contextlib.suppress(SystemExit):
        call_command("exchange_upload", "--stream", "2e", *args, stdout=io.StringIO())
    submission = Submission.objects.order_by("-pk").first()
    assert submission is not None and submission.status == "diterima"
    return submission


def change_page_plan(bpu: Submission, previous: Submission, current: Submission) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN SELECT * FROM ({PERSON_SQL}) x WHERE category <> 'unchanged' ORDER BY row LIMIT 100",  # noqa: S608
            {"list": bpu.pk, "previous": previous.pk, "current": current.pk},
        )
        return "\n".join(line for (line,) in cursor.fetchall())


def test_an_accepted_upload_gathers_the_statistics_the_change_report_is_planned_on(
    streams: Any, personas: Any, tmp_path: Path, eager_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    # Uploaded without the commit callbacks first: the planner as it was before refresh_statistics.
    first = upload("--unit", "BPJS Kanwil DKI", "--membership",
                   str(write_membership(tmp_path / "m1.csv", PEOPLE, offset=PEOPLE // 2)))  # fmt: skip
    second = upload("--unit", "BPJS Kanwil DKI", "--membership",
                    str(write_membership(tmp_path / "m2.csv", PEOPLE, offset=PEOPLE * 4 // 10, seed=8)))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bpu = upload("--period", "2025Q3", "--unit", "Dinsos", str(write_list(tmp_path / "bpu.csv", PEOPLE)))
        before = change_page_plan(bpu, first, second)
    assert len(callbacks) == 1  # the list's statistics, gathered once it is committed
    after = change_page_plan(bpu, first, second)
    assert "Nested Loop" in before, before
    assert "Nested Loop" not in after and "Hash Left Join" in after, after
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE inherited AND attname = 'nik_hash' AND tablename = ANY(%s)",
                       [["dataexchange_personrecord", "dataexchange_membershiprecord"]])  # fmt: skip
        assert cursor.fetchone()[0] == 2


def test_a_lost_statistics_task_is_found_by_the_sweeper_and_run_again(
    streams: Any, personas: Any, tmp_path: Path
) -> None:
    """The on-commit task went with the queue (here: the commit callbacks never run)."""
    extract = upload("--unit", "BPJS Kanwil DKI", "--membership", str(write_membership(tmp_path / "m.csv", 500)))
    bpu = upload("--period", "2025Q3", "--unit", "Dinsos", str(write_list(tmp_path / "bpu.csv", 500)))
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert tasks.statistics_outdated(later) == [bpu.pk]  # the newest: its refresh analyzes both parents
    assert tasks.statistics_outdated(bpu.finished_at) == [extract.pk]  # only what finished before the cutoff
    assert sweeper.sweeps()["dataexchange.token_statistics"].task is tasks.refresh_token_statistics
    tasks.refresh_token_statistics(bpu.pk)
    assert tasks.statistics_outdated(later) == []
