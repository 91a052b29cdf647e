"""Pages and API through HTTP with personas: upload, error report, matching result, masking and the access log."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dataexchange.models import AccessLog, ExchangePeriod, Stream, Submission
from dataexchange.services import period_for_upload
from tests.dataexchange.conftest import VALID, csv_file
from workplan.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(streams: dict[str, Stream], personas: Any) -> ExchangePeriod:
    unit = Organization.objects.get(short_name="Dinsos")
    return period_for_upload(stream=streams["2e"], unit=unit, year=2025, quarter=3)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_file(client: Client, period: ExchangePeriod, content: bytes, name: str = "bpu.csv") -> Any:
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})


BAD = [["Budi", VALID[0], "081234567890"], ["Siti", "3.17E+15", ""], ["", VALID[1], "12"]]
GOOD = [["Budi", VALID[0], "081234567890"], ["Siti", VALID[2], ""], ["Agus", VALID[1], "0813-1111-2222"]]


def test_clerk_uploads_with_errors_reads_the_report_fixes_and_sees_the_matching(period: ExchangePeriod,
                                                                                personas: Any) -> None:  # fmt: skip
    clerk = client_for(personas["dinsos"])
    response = post_file(clerk, period, csv_file(BAD))
    submission = Submission.objects.get()
    assert response.url == reverse("dataexchange:submission", args=[submission.pk])
    page = clerk.get(response.url).content.decode()
    assert "Ditolak" in page and "notasi ilmiah" in page
    report = clerk.get(reverse("dataexchange:errors", args=[submission.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert [r[:2] for r in rows[1:]] == [["3", "NIK"], ["4", "Nama"], ["4", "No. HP"]]
    sheet = load_workbook(io.BytesIO(clerk.get(reverse("dataexchange:errors", args=[submission.pk, "xlsx"])).content))
    assert sheet.active.max_row == 4
    fixed = post_file(clerk, period, csv_file(GOOD), name="bpu-perbaikan.csv")
    accepted = Submission.objects.get(status=Submission.Status.ACCEPTED)
    assert fixed.url.endswith(f"/{accepted.pk}/")
    people = clerk.get(reverse("dataexchange:people", args=[accepted.pk])).content.decode()
    assert "3171**********01" in people and VALID[0] not in people and "Belum dipadankan" in people


def test_other_units_and_outsiders_get_404_and_readers_cannot_upload(period: ExchangePeriod, personas: Any) -> None:
    post_file(client_for(personas["dinsos"]), period, csv_file(GOOD))
    submission = Submission.objects.get()
    urls = [reverse("dataexchange:period", args=[period.pk]), reverse("dataexchange:submission", args=[submission.pk]),
            reverse("dataexchange:people", args=[submission.pk])]  # fmt: skip
    for name in ("dishub", "outsider"):
        assert {client_for(personas[name]).get(url).status_code for url in urls} == {404}
    for name in ("bpjs", "sekretariat"):
        assert {client_for(personas[name]).get(url).status_code for url in urls} == {200}
    assert post_file(client_for(personas["sekretariat"]), period, csv_file(BAD)).status_code == 403
    assert post_file(client_for(personas["bpjs"]), period, csv_file(BAD)).status_code == 403


def test_stream_list_is_scoped(period: ExchangePeriod, personas: Any) -> None:
    dinsos = client_for(personas["dinsos"]).get(reverse("dataexchange:streams")).context["streams"]
    assert [s.code for s in dinsos] == ["2e"]
    bpjs = client_for(personas["bpjs"]).get(reverse("dataexchange:streams")).context["streams"]
    assert [s.code for s in bpjs] == ["2a", "2b", "2c", "2d", "2e", "2f"]
    assert client_for(personas["outsider"]).get(reverse("dataexchange:streams")).context["streams"].count() == 0


def test_unmasked_export_needs_a_reason_and_is_logged(period: ExchangePeriod, personas: Any) -> None:
    post_file(client_for(personas["dinsos"]), period, csv_file(GOOD))
    submission = Submission.objects.get()
    url = reverse("dataexchange:export-unmasked", args=[submission.pk])
    bpjs = client_for(personas["bpjs"])
    assert bpjs.post(url, {"reason": ""}).status_code == 302 and not AccessLog.objects.exists()
    response = bpjs.post(url, {"reason": "Menghubungi pekerja untuk pendaftaran BPU"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert VALID[0] in body and "+6281234567890" in body
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.records) == (personas["bpjs"], "ekspor", 3)
    assert client_for(personas["sekretariat"]).post(url, {"reason": "Ingin melihat saja ya"}).status_code == 403


def test_api_upload_returns_the_summary(period: ExchangePeriod, personas: Any) -> None:
    client = client_for(personas["dinsos"])
    upload = SimpleUploadedFile("bpu.csv", csv_file(BAD), content_type="text/csv")
    response = client.post(reverse("dataexchange:api-upload", args=[period.pk]), {"file": upload})
    assert response.status_code == 201
    data = response.json()
    assert (data["rows"], data["accepted"], data["error_count"]) == (3, False, 3)
    assert {e["row"] for e in data["errors"]} == {3, 4}
    detail = client_for(personas["dishub"]).get(reverse("dataexchange:api-submission", args=[data["id"]]))
    assert detail.status_code == 404


def test_xlsx_template_has_text_identifier_columns_validation_and_round_trips(period: ExchangePeriod,
                                                                              personas: Any) -> None:  # fmt: skip
    clerk = client_for(personas["dinsos"])
    response = clerk.get(reverse("dataexchange:template", args=["2e"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Data"]
    assert [c.value for c in sheet[1]] == ["Nama", "NIK", "Nomor Handphone"]
    assert sheet["B2"].number_format == "@" and sheet["A2"].number_format != "@"
    assert [v.type for v in sheet.data_validations.dataValidation] == ["textLength"]
    sheet.append(["Budi", VALID[0], "081234567890"])  # a filled row after the formatted blank ones is still read
    sheet["A2"], sheet["B2"], sheet["C2"] = "Siti", VALID[1], ""
    filled = io.BytesIO()
    workbook.save(filled)
    post_file(clerk, period, filled.getvalue(), name="templat-2e.xlsx")
    assert Submission.objects.get().status == Submission.Status.ACCEPTED
    assert client_for(personas["dishub"]).get(reverse("dataexchange:template", args=["2a"])).status_code == 404
