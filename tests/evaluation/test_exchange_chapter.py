"""Chapter III of the annual report: the exchange figures of `dataexchange.summary`, read back from the PDF."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from dataexchange.seed import streams_ensure
from evaluation.models import EvaluationReport
from evaluation.services import report_generate, report_html, report_render
from tests.dataexchange.exchange_year import exchange_year
from tests.evaluation.conftest import YEAR, pdf_text, stored_pdf
from tests.registry.seed import ensure_reference_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange_report(year_data: dict[str, Any], tmp_path: Path) -> EvaluationReport:
    ensure_reference_rows()
    streams_ensure(agreement=year_data["agreement"])
    exchange_year(tmp_path)
    report = EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)
    return report_generate(report_id=report.pk)


def chapter_three(text: str) -> str:
    return text[text.index("BAB III HASIL PERTUKARAN DATA") : text.index("BAB IV HASIL")]


def test_chapter_three_prints_periods_on_time_match_results_and_the_satu_data_extract(exchange_report):
    text = chapter_three(pdf_text(stored_pdf(exchange_report)))
    assert "sampai dengan 31 Desember 2025" in text and "hari kerja" in text
    # 2a: due, received, on time, late, not received, rate
    assert "Setiap 3 bulan (triwulanan) 3 2 1 1 1 33,3%" in text
    assert "(KPJ) Setiap 3 bulan (triwulanan) 2 1 1 0 1 50,0%" in text
    assert "(BPU) Sewaktu- waktu 1 1 1 0 0 100,0%" in text  # the cadence wraps in its column
    assert "Hasil pemadanan NIK dengan data kepesertaan BPJS Ketenagakerjaan" in text
    for line in ("Terdaftar, aktif 2", "Terdaftar, tidak aktif 1", "Belum terdaftar 1", "Jumlah baris 4"):
        assert line in text, line
    assert "Cocok dengan pemberi kerja terdaftar 2 Dalam antrean tinjauan pemadanan 1" in text
    assert "Kegiatan 2d: Rekonsiliasi penerima Kartu Pekerja Jakarta" in text
    assert "Perusahaan tidak ada di daftar pemberi kerja 1 Jumlah baris 3" in text
    assert "Periode referensi 2025Q4" in text
    assert "Kota Administrasi Jakarta Selatan 2 150" in text and "Jumlah 3 157" in text


def test_chapter_three_holds_no_person_or_company_level_data(exchange_report):
    text = chapter_three(pdf_text(stored_pdf(exchange_report)))
    for private in ("Budi", "Agus", "3171014107850001", "3171**********01", "PT Sumber Rejeki", "AA000001", "CV Lain"):
        assert private not in text, private


def test_the_frozen_exchange_figures_do_not_move_with_later_uploads(exchange_report, tmp_path):
    from tests.dataexchange.exchange_year import company, upload_companies

    first = report_html(exchange_report)
    upload_companies(tmp_path, "2a", "2025Q4", [company("AA000001", "Sumber Rejeki")], datetime.date(2025, 10, 2))
    report_render(report=exchange_report)
    assert report_html(EvaluationReport.objects.get(pk=exchange_report.pk)) == first
    assert "3 2 1 1 1 33,3%" in pdf_text(stored_pdf(exchange_report))
