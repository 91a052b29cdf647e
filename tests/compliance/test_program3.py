"""The other Program 3 activities (3a, 3b, 3d, 3e/3f): who may see and record them, the forms, the
API, and the record sheet attached as evidence to the matching activity's quarterly report."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role, User
from compliance.program3 import Inspection, JointProgramme, Program3Record, ReportAttachment, Training, WorkAccident
from compliance.program3_services import RecordRefused, program3_record_create, record_attach_to_report
from registry.models import Employer, Region
from tests.registry.factories import EmployerFactory
from tests.workplan.progress_fixtures import make_user, unit_of
from workplan.models import Agreement, EvidenceFile, ProgressReport

pytestmark = pytest.mark.django_db
People = dict[str, User]


@pytest.fixture
def people(seeded_mou: Agreement, settings: Any, tmp_path: Path) -> dict[str, User]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        "bpjs": make_user("petugas.bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI"),
        "pengawas": make_user("pengawas", Role.DINAS_STAFF, "Disnakertransgi"),
        "sekretariat": make_user("sekretariat", Role.SECRETARIAT, "Disnakertransgi"),
        "pimpinan": make_user("pimpinan", Role.LEADERSHIP, None),
        "dishub": make_user("staf.dishub", Role.DINAS_STAFF, "Dishub"),
        "dpmptsp": make_user("dpmptsp", Role.FOLLOWUP_AGENCY, "DPMPTSP"),
    }


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _inspection(by: User, employer: Employer | None = None, **values: Any) -> Program3Record:
    found: Employer = employer or EmployerFactory.create(name="PT Sinar Abadi", npp="NPP00001")
    fields = {
        "employer_npp": found.npp,
        "inspected_on": datetime.date(2025, 5, 6),
        "labour_inspectors": ["Budi Santoso"],
        "bpjs_examiners": ["Siti Rahma"],
        "findings": "12 pekerja belum didaftarkan.",
        "result": Inspection.Result.NON_COMPLIANT,
        "note_number": "NP-12/2025",
        "note_on": datetime.date(2025, 5, 8),
        **values,
    }
    return program3_record_create(kind="pemeriksaan", by=by, values=fields)


@pytest.mark.parametrize("who", ["dishub", "dpmptsp"])
def test_other_units_see_no_program3_record_anywhere(client: Client, people: People, who: str) -> None:
    record = _inspection(people["bpjs"])
    _login(client, people[who])
    for url in [
        reverse("compliance:p3"),
        reverse("compliance:p3-list", args=["pemeriksaan"]),
        reverse("compliance:p3-record", args=["pemeriksaan", record.pk]),
        reverse("compliance:p3-sheet", args=["pemeriksaan", record.pk]),
        reverse("compliance-api:p3-records", args=["pemeriksaan"]),
    ]:
        assert client.get(url).status_code == 404, url


def test_leadership_reads_but_may_not_record(client: Client, people: People) -> None:
    record = _inspection(people["bpjs"])
    _login(client, people["pimpinan"])
    page = client.get(reverse("compliance:p3-record", args=["pemeriksaan", record.pk]))
    assert page.status_code == 200 and "PT Sinar Abadi" in page.text and "Lampirkan" not in page.text
    assert client.get(reverse("compliance:p3-new", args=["pemeriksaan"])).status_code == 403
    assert client.post(reverse("compliance:p3-attach", args=["pemeriksaan", record.pk])).status_code == 403
    api = client.post(reverse("compliance-api:p3-records", args=["program-kerja"]), {}, content_type="application/json")
    assert api.status_code == 403


def test_bpjs_officer_records_an_inspection_with_the_joint_team(client: Client, people: People) -> None:
    employer = EmployerFactory(name="PT Sinar Abadi", npp="NPP00001")
    _login(client, people["bpjs"])
    response = client.post(
        reverse("compliance:p3-new", args=["pemeriksaan"]),
        {
            "employer_npp": "npp00001",
            "inspected_on": "2025-05-06",
            "labour_inspectors": "Budi Santoso\n\nAndi Wijaya\n",
            "bpjs_examiners": "Siti Rahma",
            "findings": "12 pekerja belum didaftarkan.",
            "result": "tidak_patuh",
            "note_number": "NP-12/2025",
            "note_on": "2025-05-08",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.employer == employer
    assert inspection.labour_inspectors == ["Budi Santoso", "Andi Wijaya"]
    page = client.get(response["Location"])
    assert "Budi Santoso dan Andi Wijaya" in page.text and "6 Mei 2025" in page.text


def test_a_noncompliant_inspection_needs_its_inspection_note(client: Client, people: People) -> None:
    EmployerFactory(npp="NPP00001")
    _login(client, people["pengawas"])
    response = client.post(
        reverse("compliance:p3-new", args=["pemeriksaan"]),
        {"employer_npp": "NPP00001", "inspected_on": "2025-05-06", "labour_inspectors": "Budi",
         "bpjs_examiners": "", "findings": "x", "result": "tidak_patuh"},
    )  # fmt: skip
    assert response.status_code == 400 and not Inspection.objects.exists()
    assert "nomor dan tanggal nota pemeriksaan" in response.text
    assert "Bidang ini harus diisi." in response.text  # the empty BPJS examiners: a joint team


def test_a_work_accident_at_an_unregistered_employer_adds_it_to_the_registry(client: Client, people: People) -> None:
    _login(client, people["pengawas"])
    region = Region.objects.get(kode_bps="3174")
    response = client.post(
        reverse("compliance:p3-new", args=["kecelakaan"]),
        {"employer_name": "CV Baja Terang", "employer_region": region.pk, "occurred_on": "2025-08-04",
         "reported_on": "2025-08-05", "location": "Gudang Kalideres", "description": "Tertimpa rak.",
         "workers_affected": "2", "severity": "berat", "coverage": "tidak_terdaftar", "urc_team": "Rudi\nTono",
         "status": "ditangani"},
    )  # fmt: skip
    assert response.status_code == 302
    accident = WorkAccident.objects.get()
    assert accident.employer.name == "CV Baja Terang" and accident.employer.region == region
    assert accident.urc_team == ["Rudi", "Tono"] and Employer.objects.count() == 1


def test_a_training_participant_line_in_the_wrong_form_is_named_by_its_line(client: Client, people: People) -> None:
    employer = EmployerFactory(name="PT Besar Sekali", npp="NPP77777")
    _login(client, people["bpjs"])
    data = {"kind": "f", "title": "Kader Norma angkatan I", "starts_on": "2025-09-01", "ends_on": "2025-09-03",
            "location": "Balai Latihan Kerja Jakarta Timur"}  # fmt: skip
    wrong = client.post(reverse("compliance:p3-new", args=["pelatihan"]), {**data, "participants": "Ani; HRD\n;;"})
    assert wrong.status_code == 400 and "Baris 2" in wrong.text and not Training.objects.exists()
    lines = "Ani Lestari; Manajer SDM; NPP77777\nJoko; Auditor internal; PT Lain Jaya\n"
    right = client.post(reverse("compliance:p3-new", args=["pelatihan"]), {**data, "participants": lines})
    training = Training.objects.get()
    assert right.status_code == 302 and training.activity_code == "3f"
    ani, joko = training.participants.all()
    assert ani.employer == employer and ani.organization == "PT Besar Sekali"
    assert joko.employer is None and joko.organization == "PT Lain Jaya"
    assert training.employers_text() == "PT Besar Sekali dan PT Lain Jaya"


def test_api_lists_and_creates_the_joint_programme(client: Client, people: People) -> None:
    _login(client, people["sekretariat"])
    url = reverse("compliance-api:p3-records", args=["program-kerja"])
    body = {
        "title": "Program kerja bersama 2025",
        "year": 2025,
        "agreed_on": "2025-03-10",
        "groups": ["petugas_pemeriksa", "pengawas", "mediator", "ppns"],
        "content": "Pemeriksaan 40 perusahaan.",
    }
    only_bpjs = client.post(url, {**body, "groups": ["petugas_pemeriksa"]}, content_type="application/json")
    assert only_bpjs.status_code == 400 and "groups" in only_bpjs.json()
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["groups"] == body["groups"]
    listed = client.get(url, {"year": "2025"}).json()
    assert listed["count"] == 1 and listed["results"][0]["title"] == "Program kerja bersama 2025"
    assert client.get(url, {"year": "2026"}).json()["count"] == 0
    assert JointProgramme.objects.get().recorded_by == people["sekretariat"]


def test_api_creates_a_training_with_participants_and_refuses_an_unknown_kind(client: Client, people: People) -> None:
    _login(client, people["bpjs"])
    body = {
        "kind": "e",
        "title": "Tata cara pemeriksaan",
        "starts_on": "2025-04-14",
        "ends_on": "2025-04-15",
        "location": "Kanwil",
        "participants": [{"name": "Rina"}, {"name": "Dedi", "position": "Pemeriksa"}],
    }
    url = reverse("compliance-api:p3-records", args=["pelatihan"])
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and [p["name"] for p in created.json()["participants"]] == ["Rina", "Dedi"]
    assert client.get(reverse("compliance-api:p3-records", args=["rapat"])).status_code == 404


def _pdf_text(evidence: EvidenceFile) -> str:
    with evidence.file.open("rb") as handle:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_attaching_puts_the_record_sheet_on_the_matching_quarterly_report_once(
    client: Client, people: People, seeded_mou: Agreement
) -> None:
    record = _inspection(people["bpjs"])
    _login(client, people["bpjs"])
    url = reverse("compliance:p3-attach", args=["pemeriksaan", record.pk])
    assert client.post(url).status_code == 302
    report = ProgressReport.objects.get()
    assert report.unit == unit_of(seeded_mou, "3a", "BPJS Kanwil DKI") and (report.year, report.quarter) == (2025, 2)
    evidence = report.evidence.get()
    text = _pdf_text(evidence)
    assert "PT Sinar Abadi" in text and "NP-12/2025" in text and "6 Mei 2025" in text
    assert ReportAttachment.objects.get().inspection == record
    again = client.post(url, follow=True)
    assert "sudah dilampirkan" in again.text and EvidenceFile.objects.count() == 1
    page = client.get(reverse("compliance:p3-record", args=["pemeriksaan", record.pk]))
    assert str(report) in page.text


def test_the_lead_units_staff_attach_to_their_own_report(people: People, seeded_mou: Agreement) -> None:
    training = program3_record_create(
        kind="pelatihan", by=people["pengawas"],
        values={"kind": "e", "title": "Pelatihan", "starts_on": datetime.date(2025, 11, 3),
                "ends_on": datetime.date(2025, 11, 3), "location": "Jakarta", "participants": [{"name": "Rina"}]},
    )  # fmt: skip
    evidence = record_attach_to_report(record=training, by=people["pengawas"])
    assert evidence.report.unit == unit_of(seeded_mou, "3e", "Disnakertransgi") and evidence.report.quarter == 4


def test_attaching_is_refused_to_who_does_not_report_and_to_a_locked_report(
    people: People, seeded_mou: Agreement
) -> None:
    record = _inspection(people["bpjs"])
    with pytest.raises(RecordRefused, match="tidak melapor untuk kegiatan 3a"):
        record_attach_to_report(record=record, by=people["sekretariat"])
    report = ProgressReport.objects.create(
        unit=unit_of(seeded_mou, "3a", "BPJS Kanwil DKI"), year=2025, quarter=2, created_by=people["bpjs"],
        state=ProgressReport.State.SUBMITTED,
    )  # fmt: skip
    with pytest.raises(RecordRefused, match="Terkunci"):
        record_attach_to_report(record=record, by=people["bpjs"])
    assert not report.evidence.exists() and not ReportAttachment.objects.exists()


def test_the_list_filters_by_year_and_costs_the_same_for_more_records(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    for day in (datetime.date(2025, 3, 3), datetime.date(2026, 3, 3)):
        _inspection(people["bpjs"], employer=EmployerFactory.create(name=f"PT Tahun {day.year}"), inspected_on=day,
                    note_on=day)  # fmt: skip
    _login(client, people["pengawas"])
    page = client.get(reverse("compliance:p3-list", args=["pemeriksaan"]), {"year": "2026"})
    assert "PT Tahun 2026" in page.text and "PT Tahun 2025" not in page.text
    for n in range(5):
        _inspection(people["bpjs"], employer=EmployerFactory.create(name=f"PT Lain {n}"))
    with django_assert_max_num_queries(12):
        client.get(reverse("compliance:p3-list", args=["pemeriksaan"]))
