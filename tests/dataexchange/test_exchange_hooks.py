"""dataexchange.hooks: after an accepted quarterly 2a/2d file, the listeners hear which linked employers are aktif."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from dataexchange import hooks
from dataexchange.models import Submission
from tests.dataexchange.exchange_year import company, upload_companies
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], str]]:
    calls: list[tuple[list[int], str]] = []

    def broken(*, employer_ids: Any, source: str) -> None:
        raise RuntimeError("listener fault")

    def record(*, employer_ids: Any, source: str) -> None:
        calls.append((list(employer_ids), source))

    monkeypatch.setitem(hooks._employers_active, "a-broken", broken)
    monkeypatch.setitem(hooks._employers_active, "b-record", record)
    return calls


def test_listeners_hear_the_linked_active_employers_and_a_broken_one_rejects_nothing(
    streams: Any, regions: Any, tmp_path: Path, heard: list[tuple[list[int], str]], caplog: Any
) -> None:
    active = EmployerFactory(name="PT Sumber Rejeki", npp="AA000001")
    EmployerFactory(name="PT Lama Tutup", npp="AA000003")
    rows = [company("AA000001", "Sumber Rejeki"), company("AA000003", "PT Lama Tutup", "Non Aktif"),
            company("", "CV Tidak Dikenal")]  # fmt: skip
    submission = upload_companies(tmp_path, "2d", "2025Q2", rows, datetime.date(2025, 4, 3))
    assert heard == [([active.pk], "Pertukaran data 2d triwulan II 2025")]
    assert Submission.objects.get(pk=submission).status == Submission.Status.ACCEPTED
    assert "listener a-broken failed" in caplog.text


def test_a_file_without_active_linked_employers_calls_nobody(
    streams: Any, regions: Any, tmp_path: Path, heard: list[tuple[list[int], str]]
) -> None:
    EmployerFactory(name="PT Lama Tutup", npp="AA000003")
    rows = [company("AA000003", "PT Lama Tutup", "Non Aktif"), company("", "CV Tidak Dikenal")]
    upload_companies(tmp_path, "2a", "2025Q2", rows, datetime.date(2025, 4, 3))
    assert heard == []
