"""2a companies matched to the employer registry; uncertain pairs reviewed once, remembered next quarter."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dataexchange.companies import companies_match, review_decide
from dataexchange.models import DataRow, ReviewItem
from tests.dataexchange.conftest import csv_file, write
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
HEADER = ("NPP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah", "PIC", "Email")


def upload_2a(path: Path, period: str) -> int:
    out = io.StringIO()
    call_command("exchange_upload", "--stream", "2a", "--period", period, "--unit", "BPJS Kanwil DKI", str(path),
                 stdout=out)  # fmt: skip
    return int(json.loads(out.getvalue())["submission"])


def company(npp: str, name: str) -> list[str]:
    return [npp, name, "Jl. Sudirman 1", "Jakarta Selatan", "Aktif", "5000000", "Budi", "hrd@contoh.id"]


def test_a_decision_is_never_asked_again_in_a_later_quarter(streams: Any, regions: Any, personas: Any,
                                                            tmp_path: Path) -> None:  # fmt: skip
    by_npp = EmployerFactory(name="PT Sumber Rejeki", npp="AA000001")
    similar = EmployerFactory(name="PT Maju Jaya Abadi Sentosa", npp="AA000002")
    rows = [company("AA000001", "Sumber Rejeki"), company("", "PT Maju Jaya Abadi Sentos"), company("", "CV Lain")]
    q3 = upload_2a(write(tmp_path, "q3.csv", csv_file(rows, header=HEADER)), "2025Q3")  # accepting it matches it
    assert DataRow.objects.get(submission_id=q3, row=2).employer == by_npp
    item = ReviewItem.objects.get()
    assert item.candidate == similar and item.score > 0.85
    review_decide(item=item, accept=True, by=personas["sekretariat"])
    assert DataRow.objects.get(submission_id=q3, row=3).employer == similar
    assert companies_match(submission_id=q3) == {"matched": 0, "remembered": 0, "review": 0, "unmatched": 1}

    q4 = upload_2a(write(tmp_path, "q4.csv", csv_file(rows, header=HEADER)), "2025Q4")
    linked = DataRow.objects.filter(submission_id=q4).order_by("row").values_list("row", "employer", "match_key")
    assert [(row, employer, key == "keputusan") for row, employer, key in linked] == [
        (2, by_npp.pk, False), (3, similar.pk, True), (4, None, False)
    ]  # fmt: skip
    assert companies_match(submission_id=q4) == {"matched": 0, "remembered": 0, "review": 0, "unmatched": 1}
    assert ReviewItem.objects.count() == 1  # nothing new to review


def test_a_rejection_is_remembered_too(streams: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    EmployerFactory(name="PT Maju Jaya Abadi Sentosa", npp="AA000002")
    rows = [company("", "PT Maju Jaya Abadi Sentos")]
    q3 = upload_2a(write(tmp_path, "q3.csv", csv_file(rows, header=HEADER)), "2025Q3")
    companies_match(submission_id=q3)
    review_decide(item=ReviewItem.objects.get(), accept=False, by=personas["sekretariat"])
    q4 = upload_2a(write(tmp_path, "q4.csv", csv_file(rows, header=HEADER)), "2025Q4")
    assert DataRow.objects.get(submission_id=q4).match_key == "keputusan"
    assert DataRow.objects.get(submission_id=q4).employer is None and ReviewItem.objects.count() == 1


def test_review_queue_page_decides_and_is_for_the_secretariat(streams: Any, regions: Any, personas: Any,
                                                             tmp_path: Path) -> None:  # fmt: skip
    from django.test import Client
    from django.urls import reverse

    EmployerFactory(name="PT Maju Jaya Abadi Sentosa", npp="AA000002")
    q3 = upload_2a(write(tmp_path, "q3.csv", csv_file([company("", "PT Maju Jaya Abadi Sentos")], header=HEADER)),
                   "2025Q3")  # fmt: skip
    companies_match(submission_id=q3)
    item = ReviewItem.objects.get()
    client = Client()
    client.force_login(personas["sekretariat"])
    assert "Maju Jaya Abadi Sentosa" in client.get(reverse("dataexchange:review-queue")).content.decode()
    client.post(reverse("dataexchange:review-decide", args=[item.pk]), {"keputusan": "sama"})
    assert DataRow.objects.get().employer is not None
    client.force_login(personas["bpjs"])
    assert client.get(reverse("dataexchange:review-queue")).status_code == 403
    client.force_login(personas["dinsos"])
    assert client.get(reverse("dataexchange:review-queue")).status_code == 404
