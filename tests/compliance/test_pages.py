"""The sanction pages through HTTP, with the personas of conftest.py."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import CaseLetter
from compliance.states import Category, Status
from registry.models import Region
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def pdf_upload(name="bukti.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 bukti", content_type="application/pdf")


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


@pytest.fixture
def recommended(people):
    """A case recommended to DPMPTSP only."""
    case = CaseFactory(employer=EmployerFactory(name="PT Direkomendasikan"))
    drive(case, people, until=Status.RECOMMENDED)
    return case


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(reverse("compliance:case", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_list_shows_bpjs_every_case_and_an_agency_only_its_own(login, people, recommended):
    CaseFactory(employer=EmployerFactory(name="PT Belum Direkomendasikan"))
    page = login(people["bpjs"]).get(reverse("compliance:cases")).content.decode()
    assert "PT Direkomendasikan" in page and "PT Belum Direkomendasikan" in page
    page = login(people["dpmptsp"]).get(reverse("compliance:cases")).content.decode()
    assert "PT Direkomendasikan" in page and "PT Belum Direkomendasikan" not in page
    page = login(people["citata"]).get(reverse("compliance:cases")).content.decode()
    assert "PT Direkomendasikan" not in page and "Tidak ada kasus yang cocok" in page
    page = login(people["dishub"]).get(reverse("compliance:cases")).content.decode()
    assert "PT Direkomendasikan" not in page


def test_the_list_filters_and_htmx_gets_only_the_table(login, people):
    north = Region.objects.get(kode_bps="3175")
    CaseFactory(employer=EmployerFactory(name="PT Utara Makmur", region=north), category=Category.PDS_UPAH)
    CaseFactory(employer=EmployerFactory(name="PT Selatan Jaya", npp="SJ000001"))
    client = login(people["sekretariat"])
    url = reverse("compliance:cases")
    assert "PT Selatan Jaya" not in client.get(url, {"region": north.pk}).content.decode()
    assert "PT Utara Makmur" not in client.get(url, {"category": "pwbd"}).content.decode()
    assert "PT Utara Makmur" not in client.get(url, {"q": "sj000001"}).content.decode()
    assert "PT Utara Makmur" not in client.get(url, {"status": "teguran_1"}).content.decode()
    fragment = client.get(url, {"region": north.pk}, headers={"HX-Request": "true"}).content.decode()
    assert "PT Utara Makmur" in fragment and "<html" not in fragment


def test_the_overdue_filter_lists_only_late_open_cases(login, people):
    late = CaseFactory(employer=EmployerFactory(name="PT Terlambat"), overdue_since=D(2025, 6, 17))
    CaseFactory(employer=EmployerFactory(name="PT Tepat Waktu"))
    page = login(people["bpjs"]).get(reverse("compliance:cases"), {"overdue": "on"}).content.decode()
    assert late.employer.name in page and "PT Tepat Waktu" not in page


def test_the_list_needs_the_same_few_queries_for_5_or_40_cases(login, people):
    client = login(people["bpjs"])
    CaseFactory.create_batch(5)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("compliance:cases"))
    CaseFactory.create_batch(35)
    with CaptureQueriesContext(connection) as many:
        assert "PT Sumber Makmur" in client.get(reverse("compliance:cases")).content.decode()
    # Constant in the number of cases; the bound leaves room for what base.html itself reads.
    assert len(few) == len(many) <= 12


def test_another_agency_gets_404_on_the_case_its_letter_and_its_follow_up(login, people, recommended):
    letter = CaseLetter.objects.create(case=recommended, kind="rekomendasi", number="x", issued_on=D(2025, 7, 14))
    client = login(people["citata"])
    assert client.get(reverse("compliance:case", args=[recommended.pk])).status_code == 404
    assert client.get(reverse("compliance:letter", args=[letter.pk])).status_code == 404
    followup = recommended.followups.get()
    response = client.post(
        reverse("compliance:followup", args=[followup.pk]), {f"f{followup.pk}-reference_number": "X"}
    )
    assert response.status_code == 404


def test_leadership_reads_the_case_without_buttons_and_cannot_post(login, people, case):
    client = login(people["pimpinan"])
    page = client.get(reverse("compliance:case", args=[case.pk])).content.decode()
    assert case.employer.name in page and "Langkah berikutnya" not in page
    response = client.post(reverse("compliance:case-step", args=[case.pk, "teguran_1"]), {})
    assert response.status_code == 403


def test_the_case_page_offers_the_steps_the_role_may_take(login, people, case):
    page = login(people["bpjs"]).get(reverse("compliance:case", args=[case.pk])).content.decode()
    assert "Terbitkan teguran tertulis I" in page and "Mulai verifikasi" not in page
    page = login(people["sekretariat"]).get(reverse("compliance:case", args=[case.pk])).content.decode()
    assert "Terbitkan teguran tertulis I" not in page and "Batalkan: kesalahan data" in page


def test_bpjs_issues_a_warning_through_the_form(login, people, case):
    client = login(people["bpjs"])
    url = reverse("compliance:case-step", args=[case.pk, "teguran_1"])
    assert client.get(url).status_code == 200
    with on(D(2025, 6, 2)):
        response = client.post(url, {"note": "Surat B/123", "evidence": pdf_upload("teguran1.pdf")})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.deadline) == (Status.WARNING_1, D(2025, 6, 16))
    event = case.events.get()
    assert event.evidence.get().original_name == "teguran1.pdf"
    page = client.get(reverse("compliance:case", args=[case.pk])).content.decode()
    assert "Surat B/123" in page and "16 Juni 2025" in page


def test_a_refused_step_shows_why_on_the_form(login, people, case):
    client = login(people["bpjs"])
    with on(D(2025, 6, 2)):
        client.post(reverse("compliance:case-step", args=[case.pk, "teguran_1"]), {})
    with on(D(2025, 6, 10)):
        response = client.post(reverse("compliance:case-step", args=[case.pk, "teguran_2"]), {})
    assert response.status_code == 400
    assert "masih berjalan sampai 16 Juni 2025" in response.content.decode()


def test_an_agency_cannot_take_a_bpjs_step(login, people, recommended):
    response = login(people["dpmptsp"]).post(
        reverse("compliance:case-step", args=[recommended.pk, "batal"]), {"note": "x"}
    )
    assert response.status_code == 400 and "tidak berwenang" in response.content.decode()


def test_unknown_steps_are_404(login, people, case):
    client = login(people["bpjs"])
    assert client.get(reverse("compliance:case-step", args=[case.pk, "hapus"])).status_code == 404
    assert client.get(reverse("compliance:case-step", args=[case.pk, "layanan_ditahan"])).status_code == 404


def test_the_journey_from_recommendation_to_revocation_through_the_pages(login, people, units):
    case = CaseFactory(employer=EmployerFactory(name="PT Jalan Panjang"))
    drive(case, people, until=Status.VERIFICATION)
    client = login(people["sekretariat"])
    with on(D(2025, 7, 14)):
        response = client.post(
            reverse("compliance:case-step", args=[case.pk, "terbitkan_rekomendasi"]),
            {"number": "e-77/PN.01.00", "services": ["perizinan_berusaha", "tender"]},
        )
    assert response.status_code == 302
    letter = case.letters.get()

    dpmptsp = login(people["dpmptsp"])
    download = dpmptsp.get(reverse("compliance:letter", args=[letter.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    followup = case.followups.get(service="perizinan_berusaha")
    page = dpmptsp.get(reverse("compliance:case", args=[case.pk])).content.decode()
    assert "Catat layanan ditahan" in page
    with on(D(2025, 7, 15)):
        response = dpmptsp.post(
            reverse("compliance:followup", args=[followup.pk]),
            {f"f{followup.pk}-reference_number": "503/PTSP/2025", f"f{followup.pk}-evidence": pdf_upload()},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SERVICES_WITHHELD

    bpjs = login(people["bpjs"])
    url = reverse("compliance:case-step", args=[case.pk, "ajukan_pencabutan"])
    with on(D(2025, 8, 4)):
        refused = bpjs.post(url, {"payment": pdf_upload("bayar.pdf")})
        assert refused.status_code == 400 and "Bukti pendaftaran kepesertaan" in refused.content.decode()
        files = {"payment": pdf_upload("bayar.pdf"), "registration": pdf_upload("daftar.pdf")}
        assert bpjs.post(url, {**files, "corrected_data": pdf_upload("data.pdf")}).status_code == 302

    with on(D(2025, 8, 6)):
        response = login(people["sekretariat"]).post(
            reverse("compliance:case-step", args=[case.pk, "cabut"]), {"number": "e-88/PN.01.00"}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REVOKED and case.letters.count() == 2

    dpmptsp = login(people["dpmptsp"])
    with on(D(2025, 8, 7)):
        response = dpmptsp.post(
            reverse("compliance:followup", args=[followup.pk]), {f"f{followup.pk}-reference_number": "503/PTSP/P"}
        )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "dipulihkan"


def test_evidence_is_downloaded_only_through_the_access_check(login, people, recommended):
    evidence = recommended.evidence.first()
    response = login(people["dpmptsp"]).get(reverse("compliance:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert login(people["citata"]).get(reverse("compliance:evidence", args=[evidence.pk])).status_code == 404
