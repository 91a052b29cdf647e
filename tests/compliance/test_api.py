"""The sanction API through HTTP: scoping, steps, refusals as 409, follow-ups, letters."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from compliance.states import Status
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def api():
    def as_(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_


def pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 bukti", content_type="application/pdf")


def test_the_list_is_scoped_and_filtered(api, people):
    recommended = CaseFactory(employer=EmployerFactory(name="PT Direkomendasikan"))
    drive(recommended, people, until=Status.RECOMMENDED)
    CaseFactory(employer=EmployerFactory(name="PT Lain"))
    body = api(people["bpjs"]).get("/api/compliance/cases/").json()
    assert body["count"] == 2
    body = api(people["bpjs"]).get("/api/compliance/cases/", {"status": "rekomendasi_terbit"}).json()
    assert [c["employer"]["name"] for c in body["results"]] == ["PT Direkomendasikan"]
    assert body["results"][0]["employer"]["region"] == "3171"
    body = api(people["dpmptsp"]).get("/api/compliance/cases/").json()
    assert [c["id"] for c in body["results"]] == [recommended.pk]
    assert api(people["citata"]).get("/api/compliance/cases/").json()["count"] == 0
    assert APIClient().get("/api/compliance/cases/").status_code in {401, 403}


def test_the_detail_shows_timeline_follow_ups_and_next_steps(api, people):
    case = CaseFactory()
    drive(case, people, until=Status.RECOMMENDED)
    body = api(people["bpjs"]).get(f"/api/compliance/cases/{case.pk}/").json()
    assert [e["to_status"] for e in body["events"]][-1] == "rekomendasi_terbit"
    assert body["events"][3]["evidence"][0]["sha256"]
    assert [f["unit"] for f in body["followups"]] == ["DPMPTSP"]
    assert body["next_steps"] == ["ajukan_pencabutan", "batal"]
    assert api(people["pimpinan"]).get(f"/api/compliance/cases/{case.pk}/").json()["next_steps"] == []
    assert api(people["citata"]).get(f"/api/compliance/cases/{case.pk}/").status_code == 404


def test_steps_through_the_api_and_refusals_as_409(api, people, case):
    client = api(people["bpjs"])
    with on(D(2025, 6, 2)):
        response = client.post(
            f"/api/compliance/cases/{case.pk}/steps/teguran_1/",
            {"note": "B/1", "evidence": pdf(), "evidence_kind": "surat_teguran"},
            format="multipart",
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "teguran_1" and response.json()["deadline"] == "2025-06-16"
    with on(D(2025, 6, 3)):
        refused = client.post(f"/api/compliance/cases/{case.pk}/steps/teguran_2/", {}, format="json")
    assert refused.status_code == 409
    assert "masih berjalan sampai 16 Juni 2025" in refused.json()["detail"]
    assert client.post(f"/api/compliance/cases/{case.pk}/steps/hapus/", {}).status_code == 404
    leader = api(people["pimpinan"]).post(f"/api/compliance/cases/{case.pk}/steps/batal/", {"note": "x"})
    assert leader.status_code == 403


def test_recommendation_follow_up_and_letter_through_the_api(api, people, units):
    case = CaseFactory()
    drive(case, people, until=Status.VERIFICATION)
    with on(D(2025, 7, 14)):
        body = (
            api(people["sekretariat"])
            .post(
                f"/api/compliance/cases/{case.pk}/steps/terbitkan_rekomendasi/",
                {"number": "e-5/PN.01.00", "services": ["pbg"]},
                format="json",
            )
            .json()
        )
    assert body["status"] == "rekomendasi_terbit" and body["letters"][0]["number"] == "e-5/PN.01.00"
    letter_url = body["letters"][0]["download"]
    citata = api(people["citata"])
    download = citata.get(letter_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert api(people["dpmptsp"]).get(letter_url).status_code == 404
    followup_id = body["followups"][0]["id"]
    with on(D(2025, 7, 15)):
        assert api(people["dpmptsp"]).post(f"/api/compliance/followups/{followup_id}/record/", {}).status_code == 404
        response = citata.post(f"/api/compliance/followups/{followup_id}/record/", {"reference_number": "PBG/1"})
        again = citata.post(f"/api/compliance/followups/{followup_id}/record/", {"reference_number": "PBG/1"})
    assert response.status_code == 200 and response.json()["status"] == "ditahan"
    assert again.status_code == 409


def test_revocation_request_with_the_three_proofs(api, people):
    case = CaseFactory()
    drive(case, people, until=Status.SERVICES_WITHHELD)
    client = api(people["bpjs"])
    url = f"/api/compliance/cases/{case.pk}/steps/ajukan_pencabutan/"
    with on(D(2025, 8, 4)):
        refused = client.post(url, {"payment": pdf()}, format="multipart")
        assert refused.status_code == 409 and "Bukti pendaftaran" in refused.json()["detail"]
        done = client.post(url, {"payment": pdf(), "registration": pdf(), "corrected_data": pdf()}, format="multipart")
    assert done.status_code == 200 and done.json()["status"] == "pencabutan_diajukan"


def test_the_schema_describes_the_compliance_endpoints(api, people):
    response = api(people["bpjs"]).get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/compliance/cases/{id}/steps/{action}/" in paths
    assert "/api/compliance/followups/{id}/record/" in paths


def test_evidence_files_are_limited_like_in_the_pages(api, people, case):
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with on(D(2025, 6, 2)):
        response = api(people["bpjs"]).post(
            f"/api/compliance/cases/{case.pk}/steps/teguran_1/", {"evidence": exe}, format="multipart"
        )
    assert response.status_code == 400 and "PDF, JPG atau PNG" in response.json()["evidence"][0]
    case.refresh_from_db()
    assert case.status == Status.IDENTIFIED
