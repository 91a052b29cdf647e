"""The access matrix: every persona x another unit's (and its own) objects x every page, export and download.

404 when the persona may not see the object, 403 when it may see but not change it,
200/302 when it may. The rules are written out in docs/roles.md.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.workplan.progress_fixtures import YEAR, filled_report, pdf_upload, personas, unit_of
from workplan.progress import evidence_attach

__all__ = ["personas"]

OK = 200
MOVED = 302  # a successful POST redirects back to the report


@pytest.fixture
def objects(seeded_mou, personas):
    """A DPPKUKM report (draft, with evidence), a submitted one for review, and the BPJS unit's report."""
    unit = unit_of(seeded_mou, "1c", "DPPKUKM")
    draft = filled_report(unit, personas["owner"], quarter=1)
    evidence = evidence_attach(report=draft, upload=pdf_upload(), by=personas["owner"])
    submitted = filled_report(unit, personas["owner"], quarter=2)
    submitted.submit(by=personas["owner"])
    bpjs_report = filled_report(unit_of(seeded_mou, "1c", "BPJS Kanwil DKI"), personas["bpjs"], quarter=1)
    return {"unit": unit, "draft": draft, "evidence": evidence, "submitted": submitted, "bpjs_report": bpjs_report}


# (method, url name, object key, expected per persona)
PERSONAS = ("owner", "other", "bpjs", "secretariat", "followup", "leadership")
CASES = [
    (
        "get",
        "workplan:report",
        "draft",
        dict(owner=OK, other=404, bpjs=404, secretariat=OK, followup=404, leadership=OK),
    ),
    (
        "post",
        "workplan:report",
        "draft",
        dict(owner=MOVED, other=404, bpjs=404, secretariat=403, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan:report-submit",
        "draft",
        dict(owner=MOVED, other=404, bpjs=404, secretariat=403, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan:report-approve",
        "submitted",
        dict(owner=403, other=404, bpjs=404, secretariat=MOVED, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan:report-return",
        "submitted",
        dict(owner=403, other=404, bpjs=404, secretariat=MOVED, followup=404, leadership=403),
    ),
    (
        "post",
        "workplan:evidence-upload",
        "draft",
        dict(owner=MOVED, other=404, bpjs=404, secretariat=403, followup=404, leadership=403),
    ),
    (
        "get",
        "workplan:evidence",
        "evidence",
        dict(owner=OK, other=404, bpjs=404, secretariat=OK, followup=404, leadership=OK),
    ),
    (
        "post",
        "workplan:evidence-delete",
        "evidence",
        dict(owner=MOVED, other=404, bpjs=404, secretariat=403, followup=404, leadership=403),
    ),
    (
        "get",
        "workplan:report",
        "bpjs_report",
        dict(owner=404, other=404, bpjs=OK, secretariat=OK, followup=404, leadership=OK),
    ),
    (
        "post",
        "workplan:report-submit",
        "bpjs_report",
        dict(owner=404, other=404, bpjs=MOVED, secretariat=403, followup=404, leadership=403),
    ),
    (
        "get",
        "workplan:review-queue",
        None,
        dict(owner=403, other=403, bpjs=403, secretariat=OK, followup=403, leadership=403),
    ),
]


def _request(client, method, name, obj):
    url = reverse(name, args=[obj.pk]) if obj is not None else reverse(name)
    if method == "get":
        return client.get(url)
    data = {"file": pdf_upload("lain.pdf", b"%PDF-1.7 lain")} if name == "workplan:evidence-upload" else {}
    if name == "workplan:report":
        data = {"work_status": "berjalan", "realisation": "ubah", "achievement": "10"}
    if name == "workplan:report-return":
        data = {"reason": "Perbaiki"}
    return client.post(url, data)


@pytest.mark.parametrize(("method", "name", "key", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, personas, objects, method, name, key, expected, persona):
    client.force_login(personas[persona])
    response = _request(client, method, name, objects[key] if key else None)
    assert response.status_code == expected[persona]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", OK),
        ("other", 403),
        ("bpjs", 403),
        ("secretariat", 403),
        ("followup", 403),
        ("leadership", 403),
    ],
)
def test_new_report_and_yearly_status_only_for_the_own_unit(client, personas, objects, persona, expected):
    client.force_login(personas[persona])
    unit = objects["unit"]
    assert client.get(reverse("workplan:report-new", args=[unit.pk, YEAR, 3])).status_code == expected
    response = client.post(reverse("workplan:yearly-status", args=[unit.pk, YEAR]), {"status": "direncanakan"})
    assert response.status_code == (MOVED if expected == OK else 403)


def test_unknown_objects_are_404_for_everyone(client, personas, objects):
    client.force_login(personas["secretariat"])
    for name in ("workplan:report", "workplan:evidence", "workplan:activity"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.get(reverse("workplan:report-new", args=[999999, YEAR, 1])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("owner", {"DPPKUKM"}),
        ("other", set()),
        ("bpjs", {"BPJS Kanwil DKI"}),
        ("secretariat", {"DPPKUKM", "BPJS Kanwil DKI"}),
        ("followup", set()),
        ("leadership", {"DPPKUKM", "BPJS Kanwil DKI"}),
    ],
)
def test_lists_and_exports_are_scoped(client, personas, objects, persona, sees):
    client.force_login(personas[persona])
    text = client.get(reverse("workplan:reports-export")).content.decode()
    assert {name for name in ("DPPKUKM", "BPJS Kanwil DKI") if f",{name}," in text} == sees
    page = client.get(reverse("workplan:activity", args=[objects["unit"].responsibility.activity_id])).text
    draft_url = reverse("workplan:report", args=[objects["draft"].pk])
    assert (draft_url in page) == ("DPPKUKM" in sees)


def test_everyone_logged_in_sees_the_work_plan(client, personas, objects):
    for persona in PERSONAS:
        client.force_login(personas[persona])
        for name in ("workplan:plan", "workplan:matrix", "workplan:tasks"):
            assert client.get(reverse(name)).status_code == OK, (persona, name)
        assert (
            client.get(reverse("workplan:activity", args=[objects["unit"].responsibility.activity_id])).status_code
            == OK
        )


def test_anonymous_gets_the_login_page_for_objects(client, objects):
    for name, key in (("workplan:report", "draft"), ("workplan:evidence", "evidence")):
        response = client.get(reverse(name, args=[objects[key].pk]))
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_follow_up_agency_staff_read_their_own_agencys_reports_but_do_not_write(client, seeded_mou, personas):
    from accounts.models import Role
    from tests.workplan.progress_fixtures import make_user

    unit = unit_of(seeded_mou, "3c", "DPMPTSP")
    writer = make_user("staf.dpmptsp", Role.DINAS_STAFF, "DPMPTSP")
    report = filled_report(unit, writer)
    client.force_login(personas["followup"])  # instansi_tindak_lanjut at DPMPTSP
    assert client.get(reverse("workplan:report", args=[report.pk])).status_code == OK
    assert client.post(reverse("workplan:report-submit", args=[report.pk])).status_code == 403
    assert client.get(reverse("workplan:report-new", args=[unit.pk, YEAR, 2])).status_code == 403
    client.force_login(writer)
    assert client.post(reverse("workplan:report-submit", args=[report.pk])).status_code == MOVED


def test_a_quarter_outside_the_plan_is_404(client, personas, objects):
    client.force_login(personas["owner"])
    unit = objects["unit"]
    assert client.get(reverse("workplan:report-new", args=[unit.pk, YEAR, 5])).status_code == 404
    assert client.get(reverse("workplan:report-new", args=[unit.pk, 2031, 1])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_locked_reports_refuse_every_write(client, personas, objects, persona):
    objects["submitted"].approve(by=personas["secretariat"])
    client.force_login(personas[persona])
    pk = objects["submitted"].pk
    for name in ("workplan:report", "workplan:report-submit", "workplan:evidence-upload"):
        assert client.post(reverse(name, args=[pk])).status_code in (403, 404)
