"""Each accepted 2e list (extract) is its own PersonRecord (MembershipRecord) partition, built bare, then attached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dataexchange import pipeline
from dataexchange.models import PersonRecord, Submission
from dataexchange.services import submission_process
from tests.dataexchange.conftest import VALID, csv_file, write
from tests.dataexchange.test_upload_command import upload_list, upload_members

pytestmark = pytest.mark.django_db


def partition_of(submission: Submission, table: str = pipeline.PEOPLE) -> str | None:
    """The bound of the submission's partition of ``table`` (None: there is no table for it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c
               JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = %s::regclass WHERE c.relname = %s""",
            [table, f"{table}_{submission.pk}"],
        )
        row = cursor.fetchone()
        return row[0] if row else None


def indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return {definition.split(" USING ")[1] for (definition,) in cursor.fetchall()}


def test_an_accepted_list_is_one_attached_indexed_partition(streams: Any, tmp_path: Path) -> None:
    members = csv_file([[VALID[0], "Aktif", "2025-03"]], header=("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir"))
    code, extract = upload_members(write(tmp_path, "m.csv", members))
    assert code == 0
    extract_table = f"{pipeline.MEMBERS}_{extract['submission']}"
    assert partition_of(Submission.objects.get(pk=extract["submission"]), pipeline.MEMBERS) is not None
    assert indexes(extract_table) == {"btree (submission_id, id)", "btree (submission_id)"}
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[0], ""], ["Siti", VALID[1], ""]])))
    assert code == 0
    submission = Submission.objects.get(pk=summary["submission"])
    table = f"{pipeline.PEOPLE}_{submission.pk}"
    assert partition_of(submission) == f"FOR VALUES IN ('{submission.pk}')"
    assert indexes(table) == {"btree (submission_id, id)", 'btree (submission_id, "row")'}
    assert dict(PersonRecord.objects.values_list("row", "match_status")) == {2: "aktif", 3: "belum"}
    with connection.cursor() as cursor:  # the parent routes and prunes: the person is found through it
        cursor.execute(f"EXPLAIN SELECT * FROM {pipeline.PEOPLE} WHERE submission_id = %s", [submission.pk])  # noqa: S608
        plan = " ".join(line for (line,) in cursor.fetchall())
    assert table in plan


def test_a_rejected_list_leaves_no_partition(streams: Any, tmp_path: Path) -> None:
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[0], ""], ["Siti", "123", ""]])))
    assert code == 1
    assert partition_of(Submission.objects.get(pk=summary["submission"])) is None
    assert not PersonRecord.objects.exists()


def test_a_left_over_table_of_the_same_name_is_replaced(streams: Any, tmp_path: Path) -> None:
    """A database whose ids were reset (a test run) can hold an old bare table named for the submission."""
    _code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[0], ""]])))
    submission = Submission.objects.get(pk=summary["submission"])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {pipeline.PEOPLE}_{submission.pk}")
        cursor.execute(f"CREATE TABLE {pipeline.PEOPLE}_{submission.pk} (stale integer)")
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.RECEIVED, finished_at=None)
    submission_process(submission_id=submission.pk)
    assert list(PersonRecord.objects.values_list("row", flat=True)) == [2]
