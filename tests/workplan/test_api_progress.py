"""The REST API: token and session auth, scoped lists, the workflow endpoints, the access matrix, the schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.workplan.progress_fixtures import YEAR, filled_report, pdf_upload, personas, unit_of
from workplan.models import ProgressReport
from workplan.progress import evidence_attach

__all__ = ["personas"]


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def objects(seeded_mou, personas):
    unit = unit_of(seeded_mou, "1c", "DPPKUKM")
    draft = filled_report(unit, personas["owner"], quarter=1)
    submitted = filled_report(unit, personas["owner"], quarter=2)
    submitted.submit(by=personas["owner"])
    evidence = evidence_attach(report=draft, upload=pdf_upload(), by=personas["owner"])
    bpjs_report = filled_report(unit_of(seeded_mou, "1c", "BPJS Kanwil DKI"), personas["bpjs"])
    return {"unit": unit, "draft": draft, "submitted": submitted, "evidence": evidence, "bpjs_report": bpjs_report}


def test_anonymous_is_refused(objects):
    client = api_as(None)
    for name in ("workplan-api:reports", "workplan-api:activities", "api-schema"):
        assert client.get(reverse(name)).status_code in (401, 403)


def test_reference_endpoints_for_everyone_logged_in(seeded_mou, personas):
    client = api_as(personas["followup"])
    agreements = client.get(reverse("workplan-api:agreements")).json()
    assert [a["number"] for a in agreements] == ["1 Tahun 2025"]
    assert len(client.get(reverse("workplan-api:units")).json()) == 15
    activities = client.get(reverse("workplan-api:activities"), {"year": YEAR}).json()
    assert len(activities) == 18
    c1 = next(a for a in activities if a["code"] == "1c")
    detail = client.get(reverse("workplan-api:activity", args=[c1["id"]])).json()
    assert detail["rollup"][0]["status"] == "direncanakan"
    assert len(detail["rollup"][0]["holding_up"]) == 8


def test_the_workflow_through_the_api(seeded_mou, personas, settings):
    unit = unit_of(seeded_mou, "1c", "DPPKUKM")
    owner, secretariat = api_as(personas["owner"]), api_as(personas["secretariat"])
    response = owner.post(
        reverse("workplan-api:reports"),
        {"unit": unit.pk, "year": YEAR, "quarter": 3, "realisation": "Seminar BPU", "achievement": "55.5"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert (
        owner.post(
            reverse("workplan-api:reports"), {"unit": unit.pk, "year": YEAR, "quarter": 3}, format="json"
        ).status_code
        == 409
    )
    upload = owner.post(reverse("workplan-api:report-evidence", args=[pk]), {"file": pdf_upload()}, format="multipart")
    assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
    bad = owner.post(
        reverse("workplan-api:report-evidence", args=[pk]), {"file": pdf_upload("x.pdf", b"GIF89a")}, format="multipart"
    )
    assert bad.status_code == 400 and "tidak diizinkan" in bad.json()["file"][0]
    assert owner.post(reverse("workplan-api:report-submit", args=[pk])).json()["state"] == "diajukan"
    response = secretariat.post(reverse("workplan-api:report-return", args=[pk]), {"reason": ""}, format="json")
    assert response.status_code == 400
    response = secretariat.post(
        reverse("workplan-api:report-return", args=[pk]), {"reason": "Tambah foto"}, format="json"
    )
    assert response.json()["state"] == "dikembalikan"
    assert (
        owner.patch(reverse("workplan-api:report", args=[pk]), {"achievement": "70"}, format="json").status_code == 200
    )
    owner.post(reverse("workplan-api:report-submit", args=[pk]))
    approved = secretariat.post(reverse("workplan-api:report-approve", args=[pk])).json()
    assert approved["state"] == "disetujui" and "disetujui oleh" in approved["lock_reason"]
    assert (
        owner.patch(reverse("workplan-api:report", args=[pk]), {"achievement": "1"}, format="json").status_code == 403
    )
    again = secretariat.post(reverse("workplan-api:report-approve", args=[pk]))
    assert again.status_code == 409 and "Disetujui" in again.json()["detail"]
    status_url = reverse("workplan-api:yearly-status", args=[unit.pk, YEAR])
    assert owner.put(status_url, {"status": "selesai"}, format="json").status_code == 409  # the report said "berjalan"
    assert owner.put(status_url, {"status": "berjalan"}, format="json").json()["status"] == "berjalan"


def test_session_auth_works_too(client, personas, objects):
    client.force_login(personas["owner"])
    assert client.get(reverse("workplan-api:report", args=[objects["draft"].pk])).status_code == 200


PERSONAS = ("owner", "other", "bpjs", "secretariat", "followup", "leadership")
CASES = [
    (
        "get",
        "workplan-api:report",
        "draft",
        dict(owner=200, other=404, bpjs=404, secretariat=200, followup=404, leadership=200),
    ),
    (
        "patch",
        "workplan-api:report",
        "draft",
        dict(owner=200, other=404, bpjs=404, secretariat=403, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan-api:report-submit",
        "draft",
        dict(owner=200, other=404, bpjs=404, secretariat=403, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan-api:report-approve",
        "submitted",
        dict(owner=403, other=404, bpjs=404, secretariat=200, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan-api:report-return",
        "submitted",
        dict(owner=403, other=404, bpjs=404, secretariat=200, followup=404, leadership=403),
    ),
    (
        "get",
        "workplan-api:report-evidence",
        "draft",
        dict(owner=200, other=404, bpjs=404, secretariat=200, followup=404, leadership=200),
    ),
    (
        "get",
        "workplan-api:evidence-download",
        "evidence",
        dict(owner=200, other=404, bpjs=404, secretariat=200, followup=404, leadership=200),
    ),
    (
        "get",
        "workplan-api:report",
        "bpjs_report",
        dict(owner=404, other=404, bpjs=200, secretariat=200, followup=404, leadership=200),
    ),
    (
        "patch",
        "workplan-api:report",
        "bpjs_report",
        dict(owner=404, other=404, bpjs=200, secretariat=403, followup=404, leadership=403),
    ),
]


@pytest.mark.parametrize(("method", "name", "key", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_access_matrix(personas, objects, method, name, key, expected, persona):
    client = api_as(personas[persona])
    url = reverse(name, args=[objects[key].pk])
    data = {"reason": "Perbaiki"} if name.endswith("return") else {"realisation": "ubah"} if method == "patch" else {}
    response = getattr(client, method)(url, data, format="json")
    assert response.status_code == expected[persona]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 201),
        ("other", 403),
        ("bpjs", 403),
        ("secretariat", 403),
        ("followup", 403),
        ("leadership", 403),
    ],
)
def test_api_create_and_yearly_status_only_for_the_own_unit(personas, objects, persona, expected):
    client = api_as(personas[persona])
    unit = objects["unit"]
    response = client.post(
        reverse("workplan-api:reports"), {"unit": unit.pk, "year": YEAR, "quarter": 4}, format="json"
    )
    assert response.status_code == expected
    status = client.put(
        reverse("workplan-api:yearly-status", args=[unit.pk, YEAR]), {"status": "direncanakan"}, format="json"
    )
    assert status.status_code == (200 if expected == 201 else 403)


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("owner", 2),
        ("other", 0),
        ("bpjs", 1),
        ("secretariat", 3),
        ("followup", 0),
        ("leadership", 3),
    ],
)
def test_report_list_is_scoped(personas, objects, persona, count):
    page = api_as(personas[persona]).get(reverse("workplan-api:reports")).json()
    assert page["count"] == count == len(page["results"])
    visible = {r["id"] for r in page["results"]}
    assert visible <= set(ProgressReport.objects.values_list("pk", flat=True))


def test_report_list_filters_and_pages(personas, objects):
    client = api_as(personas["secretariat"])
    page = client.get(reverse("workplan-api:reports"), {"state": "diajukan"}).json()
    assert [r["id"] for r in page["results"]] == [objects["submitted"].pk]
    page = client.get(reverse("workplan-api:reports"), {"limit": 1}).json()
    assert page["count"] == 3 and len(page["results"]) == 1 and "offset=1" in page["next"]
    assert client.get(reverse("workplan-api:reports"), {"quarter": "9"}).status_code == 400
    assert client.get(reverse("workplan-api:reports"), {"year": "dua"}).status_code == 400


def test_schema_and_swagger_ui_are_served_locally(client, personas):
    client.force_login(personas["leadership"])
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/reports/{id}/approve/" in schema.content
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    assert b"cdn.jsdelivr" not in page.content and b"/static/drf_spectacular_sidecar/" in page.content
    assert b"<script>" not in page.content  # start-up script served as a file (CSP)


def test_a_token_is_obtained_with_username_and_password(personas):
    from tests.workplan.progress_fixtures import PASSWORD

    response = APIClient().post(reverse("workplan-api:token"), {"username": "staf.dppkukm", "password": PASSWORD})
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(reverse("workplan-api:reports")).status_code == 200
    wrong = APIClient().post(reverse("workplan-api:token"), {"username": "staf.dppkukm", "password": "salah"})
    assert wrong.status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 201), ("other", 404), ("bpjs", 404), ("secretariat", 403), ("followup", 404), ("leadership", 403)],
)
def test_api_evidence_upload_access(personas, objects, persona, expected):
    url = reverse("workplan-api:report-evidence", args=[objects["draft"].pk])
    response = api_as(personas[persona]).post(
        url, {"file": pdf_upload("baru.pdf", b"%PDF-1.7 baru\n%%EOF\n")}, format="multipart"
    )
    assert response.status_code == expected
