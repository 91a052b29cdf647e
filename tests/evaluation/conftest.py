"""A year of work-plan reports and sanction cases on the seeded MoU, and the personas of the report.

Personas come from the progress tests (``tests.workplan.progress_fixtures.personas``): owner
(DPPKUKM staff), other (Dishub staff), bpjs, secretariat, followup (DPMPTSP), leadership.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter

from compliance.states import Status
from evaluation.models import EvaluationReport
from mou_tracker.celery import app as celery_app
from tests.compliance.factories import CaseFactory
from tests.registry.factories import EmployerFactory
from tests.workplan.progress_fixtures import filled_report, personas, unit_of
from workplan.models import EvidenceFile, ProgressReport, YearlyStatus

__all__ = ["personas"]
YEAR = 2025
HOSTILE = 'Peserta sedikit <img src="file:///etc/passwd"> lihat http://169.254.169.254/latest/meta-data/'


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://monev.example.go.id"


@pytest.fixture
def eager() -> Any:
    """Celery runs tasks in the test process (``.delay`` returns after the task ran)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def year_data(seeded_mou: Any, personas: dict[str, Any]) -> dict[str, Any]:
    """2025: an approved report with evidence and a hostile kendala, a submitted one, statuses, cases."""
    owner, other, secretariat = personas["owner"], personas["other"], personas["secretariat"]
    dppkukm = unit_of(seeded_mou, "1c", "DPPKUKM")
    approved = filled_report(
        dppkukm, owner, achievement=Decimal("80.00"), obstacles=HOSTILE, follow_up="Sosialisasi ulang."
    )
    approved.state, approved.approved_by, approved.approved_at = (
        ProgressReport.State.APPROVED,
        secretariat,
        datetime.datetime(2025, 4, 20, tzinfo=datetime.UTC),
    )
    approved.save()
    EvidenceFile.objects.create(
        report=approved,
        file=ContentFile(b"%PDF-1.4 x", name="daftar-hadir.pdf"),
        original_name="daftar-hadir.pdf",
        kind="pdf",
        size=10,
        sha256="a" * 64,
        uploaded_by=owner,
    )
    submitted = filled_report(unit_of(seeded_mou, "1c", "Dishub"), other, achievement=Decimal("40.00"))
    submitted.state = ProgressReport.State.SUBMITTED
    submitted.save()
    YearlyStatus.objects.create(unit=dppkukm, year=YEAR, status="berjalan", set_by=owner)
    disnaker_1a = unit_of(seeded_mou, "1a", "Disnakertransgi")
    YearlyStatus.objects.create(
        unit=disnaker_1a, year=YEAR, status="tidak_terlaksana", reason="Anggaran", set_by=secretariat
    )
    for name in ("PT Alfa Sentosa", "PT Beta Makmur"):
        CaseFactory(employer=EmployerFactory(name=name), opened_on=datetime.date(2025, 3, 3))
    CaseFactory(
        employer=EmployerFactory(name='=HYPERLINK("http://x") CV Gamma'),
        opened_on=datetime.date(2025, 5, 5),
        status=Status.RECOMMENDED,
        recommendation_number="e-0417/PN.01.00",
        recommendation_on=datetime.date(2025, 7, 14),
    )
    return {"agreement": seeded_mou, "approved": approved, "submitted": submitted}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def stored_pdf(report: EvaluationReport) -> bytes:
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture
def fast_pdf(monkeypatch: Any) -> list[str]:
    """Replace WeasyPrint with a one-page PDF naming the HTML's hash, for tests of everything but the layout."""
    rendered: list[str] = []

    def fake_render(html: str) -> bytes:
        rendered.append(html)
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Subject": hashlib.sha256(html.encode()).hexdigest()})
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    monkeypatch.setattr("evaluation.rendering.render_pdf", fake_render)
    return rendered
