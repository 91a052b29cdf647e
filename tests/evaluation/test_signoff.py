"""Joint sign-off: the secretariat finalises, each party approves, the signed PDF verifies as genuine."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import EvaluationReport, ReportRefused
from evaluation.services import report_approve, report_generate
from tests.evaluation.conftest import YEAR, pdf_text, stored_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(year_data, personas, fast_pdf):
    report = EvaluationReport.objects.create(
        agreement=year_data["agreement"], year=YEAR, version=1, requested_by=personas["secretariat"]
    )
    return report_generate(report_id=report.pk)


def test_only_the_secretariat_finalises_and_only_with_recommendations(draft, personas):
    with pytest.raises(ReportRefused, match="Hanya sekretariat"):
        draft.finalise(by=personas["bpjs"])
    with pytest.raises(ReportRefused, match="Tulis rekomendasi"):
        draft.finalise(by=personas["secretariat"])
    draft.set_recommendations(text="Lanjutkan.", by=personas["secretariat"])
    draft.finalise(by=personas["secretariat"])
    assert draft.state == "final" and draft.finalised_by == personas["secretariat"]
    with pytest.raises(ReportRefused, match="tidak dapat diubah"):
        draft.set_recommendations(text="Ubah.", by=personas["secretariat"])


def test_each_party_approves_once_and_others_cannot(draft, personas, django_capture_on_commit_callbacks):
    draft.set_recommendations(text="Lanjutkan.", by=personas["secretariat"])
    with pytest.raises(ReportRefused, match="Hanya versi final"):
        draft.approve(by=personas["bpjs"])
    draft.finalise(by=personas["secretariat"])
    for outsider in ("owner", "leadership", "followup"):
        with pytest.raises(ReportRefused, match="Hanya sekretariat"):
            draft.approve(by=personas[outsider])
    report_approve(report=draft, by=personas["bpjs"])
    with pytest.raises(ReportRefused, match="PIHAK KEDUA sudah menyetujui"):
        report_approve(report=draft, by=personas["bpjs"])
    assert draft.approved_at is None
    with django_capture_on_commit_callbacks() as queued:
        report_approve(report=draft, by=personas["secretariat"])
    assert draft.approved_at is not None and len(queued) == 1  # the signed PDF is rendered again


def _sign_off(client, report, personas):
    client.force_login(personas["secretariat"])
    client.post(reverse("evaluation:report-recommendations", args=[report.pk]), {"recommendations": "Lanjutkan."})
    report_generate(report_id=report.pk)
    client.post(reverse("evaluation:report-finalise", args=[report.pk]))
    client.post(reverse("evaluation:report-approve", args=[report.pk]))
    client.force_login(personas["bpjs"])
    client.post(reverse("evaluation:report-approve", args=[report.pk]))
    return report_generate(report_id=report.pk)


def test_the_signed_pdf_carries_both_approvals_and_the_verification_link(year_data, personas, client, settings):
    report = report_generate(
        report_id=EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1).pk
    )
    report = _sign_off(client, report, personas)
    assert report.approved_at and report.approvals.count() == 2
    text = pdf_text(stored_pdf(report))
    assert text.count("Disetujui secara elektronik oleh") == 2
    assert "Menunggu persetujuan" not in text and "Lanjutkan." in text
    assert f"https://monev.example.go.id/evaluasi/verifikasi/{report.token}/" in text
    assert "disetujui PARA PIHAK" in text


def test_the_verification_page_accepts_the_genuine_file_and_rejects_a_modified_one(
    year_data, personas, client, fast_pdf
):
    report = EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)
    report = report_generate(report_id=report.pk)
    unsigned = stored_pdf(report)
    report = _sign_off(client, report, personas)
    genuine = stored_pdf(report)
    client.logout()  # the page is public: it is reached from the QR code
    url = reverse("evaluation:verify-token", args=[report.token])
    page = client.get(url).text
    assert report.sha256 in page
    answer = client.post(url, {"file": SimpleUploadedFile("laporan.pdf", genuine)}).text
    assert "ASLI" in answer and "TIDAK COCOK" not in answer
    modified = genuine.replace(b"/Subject", b"/Subjekt", 1)
    for other in (modified, unsigned):
        answer = client.post(reverse("evaluation:verify"), {"file": SimpleUploadedFile("x.pdf", other)}).text
        assert "TIDAK COCOK" in answer and "ASLI:" not in answer


def test_unknown_verification_code_is_404(client, db):
    assert client.get("/evaluasi/verifikasi/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_until_the_signed_pdf_is_rendered_the_unsigned_file_does_not_verify(draft, personas, client):
    draft.set_recommendations(text="Lanjutkan.", by=personas["secretariat"])
    draft.finalise(by=personas["secretariat"])
    report_approve(report=draft, by=personas["secretariat"])
    report_approve(report=draft, by=personas["bpjs"])  # the re-render is queued, not run yet
    unsigned = stored_pdf(draft)
    assert draft.approved_at and not draft.is_signed
    url = reverse("evaluation:verify-token", args=[draft.token])
    assert draft.sha256 not in client.get(url).text
    assert "TIDAK COCOK" in client.post(url, {"file": SimpleUploadedFile("x.pdf", unsigned)}).text
    draft = report_generate(report_id=draft.pk)
    assert draft.is_signed and "ASLI" in client.post(url, {"file": SimpleUploadedFile("x.pdf", stored_pdf(draft))}).text
