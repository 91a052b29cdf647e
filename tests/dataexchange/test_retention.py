"""Raw lists are purged after the retention period; the results stay; the latest extract is kept."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from dataexchange import tasks
from dataexchange.models import MembershipRecord, PersonRecord, Submission
from tests.dataexchange.conftest import VALID, csv_file, write
from tests.dataexchange.test_upload_command import upload_list, upload_members

pytestmark = pytest.mark.django_db


def test_purge_after_retention_keeps_results_and_the_latest_extract(
    streams: Any, tmp_path: Path, settings: Any
) -> None:
    settings.EXCHANGE_RETENTION_DAYS = 30
    header = ("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")
    upload_members(write(tmp_path, "m1.csv", csv_file([[VALID[0], "Aktif", ""]], header=header)))
    upload_members(write(tmp_path, "m2.csv", csv_file([[VALID[1], "Aktif", ""]], header=header)))
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[1], "081234567890"]])))
    assert code == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert tasks.purge_expired() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert tasks.purge_expired() == 2  # the list and the superseded extract
        assert tasks.purge_expired() == 0
    listed = Submission.objects.get(pk=summary["submission"])
    assert listed.purged_at is not None and not listed.file and listed.matched_active == 1
    person = PersonRecord.objects.get()
    assert (person.name, person.phone_masked, person.nik_masked, person.match_status) == ("", "", "3172**********02",
                                                                                         "aktif")  # fmt: skip
    assert MembershipRecord.objects.count() == 1  # the latest extract stays for matching
