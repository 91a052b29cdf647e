"""The 2e matching result as a download for the sender: masked XLSX/CSV by default, clear only with a logged reason."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dataexchange.models import AccessLog, Stream, Submission
from dataexchange.services import period_for_upload
from tests.dataexchange.conftest import VALID, csv_file, csv_text
from workplan.models import Organization

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def accepted(streams: dict[str, Stream], personas: Any) -> Submission:
    period = period_for_upload(stream=streams["2e"], unit=Organization.objects.get(short_name="Dinsos"), year=2025,
                               quarter=3)  # fmt: skip
    rows = [["Budi", VALID[0], "081234567890"], ["=1+1", VALID[1], ""]]
    upload = SimpleUploadedFile("bpu.csv", csv_file(rows))
    client_for(personas["dinsos"]).post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})
    return Submission.objects.get(status=Submission.Status.ACCEPTED)


def test_the_sender_downloads_the_result_masked_by_default(accepted: Submission, personas: Any) -> None:
    url = reverse("dataexchange:people-export", args=[accepted.pk])
    clerk = client_for(personas["dinsos"])
    rows = list(csv.reader(io.StringIO(csv_text(clerk.post(url, {"fmt": "csv"})))))
    assert rows == [  # no extract yet: not matched
        ["Baris", "Nama", "NIK", "Nomor HP", "Hasil pemadanan"],
        ["2", "Budi", "3171**********01", "0812****7890", "Belum dipadankan"],
        ["3", "'=1+1", "3172**********02", "", "Belum dipadankan"],
    ]
    sheet = load_workbook(io.BytesIO(clerk.post(url, {"fmt": "xlsx"}).content)).active
    assert sheet.max_row == 3 and sheet["C2"].value == "3171**********01" and sheet["B3"].value == "'=1+1"
    assert not AccessLog.objects.exists()
    assert client_for(personas["sekretariat"]).post(url, {"fmt": "csv"}).status_code == 200  # reads, masked


def test_clear_niks_need_the_right_role_and_a_reason_and_are_logged(accepted: Submission, personas: Any) -> None:
    url = reverse("dataexchange:people-export", args=[accepted.pk])
    wanted = {"fmt": "xlsx", "unmask": "on", "reason": "Menghubungi pekerja untuk pendaftaran BPU"}
    assert client_for(personas["sekretariat"]).post(url, wanted).status_code == 403
    assert client_for(personas["dishub"]).post(url, wanted).status_code == 404
    assert client_for(personas["bpjs"]).post(url, {**wanted, "reason": ""}).status_code == 302
    assert not AccessLog.objects.exists()
    sheet = load_workbook(io.BytesIO(client_for(personas["bpjs"]).post(url, wanted).content)).active
    assert sheet["C2"].value == VALID[0] and sheet["D2"].value == "'+6281234567890"  # neutralised: + starts a formula
    log = AccessLog.objects.get()
    assert (log.user, log.records, log.reason) == (personas["bpjs"], 2, wanted["reason"])
