"""BPJS's membership extract through the browser and the API: the receiving BPJS office only, all or nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from dataexchange.models import MembershipRecord, PersonRecord, Stream, Submission
from dataexchange.services import period_for_upload
from tests.dataexchange.conftest import VALID, csv_file
from workplan.models import Organization

pytestmark = pytest.mark.django_db
HEADER = ("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")
GOOD = [[VALID[0], "Aktif", "2025-06"], [VALID[1], "Non Aktif", "2024-12"]]
BAD = [[VALID[0], "Aktif", "2025-06"], ["3.17E+15", "mungkin", "2025-06"], [VALID[2], "Aktif", "kemarin"]]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client_for(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def extract(rows: list[list[str]], name: str = "kepesertaan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_file(rows, header=HEADER), content_type="text/csv")


def test_bpjs_officer_uploads_a_bad_extract_reads_every_error_then_a_good_one_that_lists_are_matched_against(
    streams: dict[str, Stream], personas: Any
) -> None:
    bpjs = client_for(personas["bpjs"])
    url = reverse("dataexchange:membership", args=["2e"])
    assert "Unggah data kepesertaan" in bpjs.get(url).content.decode()
    rejected = bpjs.post(url, {"file": extract(BAD)})
    submission = Submission.objects.get()
    assert rejected.url == reverse("dataexchange:submission", args=[submission.pk])
    assert (submission.kind, submission.status, submission.error_count) == ("kepesertaan", "ditolak", 3)
    assert not MembershipRecord.objects.exists()
    report = bpjs.get(reverse("dataexchange:errors", args=[submission.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert sorted((r[0], r[1]) for r in rows[1:]) == [("3", "NIK"), ("3", "Status Kepesertaan"),
                                                      ("4", "Bulan Iuran Terakhir")]  # fmt: skip
    accepted = bpjs.post(url, {"file": extract(GOOD, "kepesertaan-2.csv")})
    good = Submission.objects.get(status=Submission.Status.ACCEPTED)
    assert accepted.url.endswith(f"/{good.pk}/") and MembershipRecord.objects.filter(submission=good).count() == 2
    assert bpjs.post(url, {"file": extract(GOOD, "lagi.csv")}).url.endswith(f"/{good.pk}/")
    assert Submission.objects.count() == 2
    page = bpjs.get(url).content.decode()
    assert "kepesertaan-2.csv" in page and "Diterima" in page and page.count("dipakai untuk pemadanan") == 1
    period = period_for_upload(stream=streams["2e"], unit=Organization.objects.get(short_name="Dinsos"), year=2025,
                               quarter=3)  # fmt: skip
    upload = SimpleUploadedFile("bpu.csv", csv_file([["Budi", VALID[0], ""]]))
    client_for(personas["dinsos"]).post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})
    assert PersonRecord.objects.get().match_status == "aktif"


def test_only_the_receiving_bpjs_office_uploads_readers_get_403_and_others_404(
    streams: dict[str, Stream], personas: Any
) -> None:
    url = reverse("dataexchange:membership", args=["2e"])
    for name in ("dinsos", "outsider"):
        assert client_for(personas[name]).get(url).status_code == 404
        assert client_for(personas[name]).post(url, {"file": extract(GOOD)}).status_code == 404
    reader = client_for(personas["sekretariat"])
    assert reader.get(url).status_code == 200 and "Unggah data kepesertaan" not in reader.get(url).content.decode()
    assert reader.post(url, {"file": extract(GOOD)}).status_code == 403
    assert client_for(personas["bpjs"]).get(reverse("dataexchange:membership", args=["2a"])).status_code == 404
    assert not Submission.objects.exists()


def test_bpjs_systems_send_the_extract_through_the_api_with_a_token(streams: dict[str, Stream], personas: Any) -> None:
    url = reverse("dataexchange:api-membership", args=["2e"])
    bpjs = api_client_for(personas["bpjs"])
    refused = bpjs.post(url, {"file": extract(BAD)})
    assert refused.status_code == 201
    data = refused.json()
    assert (data["rows"], data["accepted"], data["error_count"]) == (3, False, 3)
    assert {(e["row"], e["column"]) for e in data["errors"]} >= {(3, "NIK"), (4, "Bulan Iuran Terakhir")}
    ok = bpjs.post(url, {"file": extract(GOOD)}).json()
    assert (ok["accepted"], ok["rows"]) == (True, 2)
    assert Submission.objects.get(pk=ok["id"]).source == Submission.Source.API
    assert bpjs.get(reverse("dataexchange:api-submission", args=[ok["id"]])).json()["status"] == "diterima"
    assert api_client_for(personas["sekretariat"]).post(url, {"file": extract(GOOD)}).status_code == 403
    assert api_client_for(personas["dinsos"]).post(url, {"file": extract(GOOD)}).status_code == 404
    assert Client().post(url, {"file": extract(GOOD)}).status_code in {401, 403}
    assert bpjs.post(url, {}).status_code == 400


def test_a_large_extract_goes_to_the_worker_and_answers_202(
    streams: dict[str, Stream], personas: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EXCHANGE_ASYNC_MIN_BYTES = 10
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client_for(personas["bpjs"]).post(reverse("dataexchange:api-membership", args=["2e"]),
                                                         {"file": extract(GOOD)})  # fmt: skip
    assert response.status_code == 202 and response.json()["status"] == "diterima_berkas"
    assert len(callbacks) == 2  # the processing, then (once accepted) its statistics
    assert Submission.objects.get().status == Submission.Status.ACCEPTED


def test_the_openapi_schema_describes_the_multipart_upload_and_its_answers(personas: Any) -> None:
    schema = client_for(personas["bpjs"]).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/pertukaran-data/api/alur/{code}/kepesertaan/"]["post"]
    assert operation["operationId"] == "exchange_membership_upload"
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["$ref"].endswith("/ExchangeUploadInput")
    assert {"201", "202", "400", "403", "404"} <= set(operation["responses"])
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/SubmissionOutput")


def test_the_schema_lists_the_errors_the_answer_carries(personas: Any) -> None:
    schema = client_for(personas["bpjs"]).get("/api/schema/", {"format": "json"}).json()
    errors = schema["components"]["schemas"]["SubmissionOutput"]["properties"]["errors"]
    assert errors["type"] == "array" and errors["items"]["$ref"].endswith("/RowError")
    assert set(schema["components"]["schemas"]["RowError"]["properties"]) == {"row", "column", "value", "message"}
