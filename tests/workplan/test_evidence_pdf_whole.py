"""An evidence PDF must be whole: one cut off before its ``%%EOF`` is refused (issue 8's corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import User
from assurance.corpus import real_pdf  # a PDF readers open, about 3.9 KB: a cut lies beyond the tail
from tests.workplan.progress_fixtures import filled_report, pdf_upload, personas, unit_of
from workplan.models import Agreement, EvidenceFile, ProgressReport
from workplan.progress import EvidenceRejected, evidence_check

__all__ = ["personas"]
REFUSAL = "Berkas PDF tidak utuh atau rusak"


def test_a_whole_pdf_is_accepted() -> None:
    assert evidence_check(pdf_upload(content=real_pdf()))[0] == "pdf"


def test_a_whole_pdf_with_bytes_after_its_end_marker_is_accepted() -> None:
    assert evidence_check(pdf_upload(content=real_pdf() + b"\r\n" + b"\x00" * 500))[0] == "pdf"


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_a_pdf_cut_off_is_refused(cut: float) -> None:
    whole = real_pdf()
    part = whole[: int(len(whole) * cut)]
    assert len(whole) - len(part) > 200 and part.startswith(b"%PDF-")
    with pytest.raises(EvidenceRejected, match=REFUSAL):
        evidence_check(pdf_upload(content=part))


def test_a_pdf_missing_only_its_end_marker_is_refused() -> None:
    with pytest.raises(EvidenceRejected, match=REFUSAL):
        evidence_check(pdf_upload(content=real_pdf().removesuffix(b"%%EOF\n")))


@pytest.fixture
def owner_report(seeded_mou: Agreement, personas: dict[str, User]) -> ProgressReport:
    return filled_report(unit_of(seeded_mou, "1c", "DPPKUKM"), personas["owner"])


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_upload_page_explains_a_cut_off_pdf_and_stores_nothing(
    client: Client, personas: dict[str, User], owner_report: ProgressReport
) -> None:
    client.force_login(personas["owner"])
    whole = real_pdf()
    response = client.post(
        reverse("workplan:evidence-upload", args=[owner_report.pk]),
        {"file": pdf_upload("daftar-hadir.pdf", whole[: len(whole) // 2])},
        follow=True,
    )
    assert response.status_code == 200
    assert "simpan ulang atau ekspor ulang PDF-nya lalu unggah lagi" in response.text
    assert not EvidenceFile.objects.exists() and _stored_files() == []


def test_the_upload_page_still_takes_a_whole_pdf(
    client: Client, personas: dict[str, User], owner_report: ProgressReport
) -> None:
    client.force_login(personas["owner"])
    response = client.post(
        reverse("workplan:evidence-upload", args=[owner_report.pk]),
        {"file": pdf_upload("daftar-hadir.pdf", real_pdf())},
        follow=True,
    )
    assert "Bukti dukung daftar-hadir.pdf diunggah." in response.text
    assert owner_report.evidence.get().kind == "pdf" and len(_stored_files()) == 1


def test_the_refusal_reads_in_english_too() -> None:
    with translation.override("en"), pytest.raises(EvidenceRejected, match="The PDF file is incomplete or damaged"):
        evidence_check(pdf_upload(content=real_pdf()[:1000]))


def test_the_api_answers_400_with_the_reason_and_stores_nothing(
    personas: dict[str, User], owner_report: ProgressReport
) -> None:
    api = APIClient()
    api.force_authenticate(personas["owner"])
    response = api.post(
        reverse("workplan-api:report-evidence", args=[owner_report.pk]),
        {"file": pdf_upload("daftar-hadir.pdf", real_pdf()[:2000])},
        format="multipart",
    )
    assert response.status_code == 400 and REFUSAL in response.json()["file"][0]
    assert not EvidenceFile.objects.exists() and _stored_files() == []
