"""The PDF itself: read back with pypdf. Every activity, the numbers per state, both parties, no fetches."""

from __future__ import annotations

import hashlib
import io
import re
from functools import partial

import pytest
from pypdf import PdfReader

from core import pdf
from core.pdf import render_pdf
from evaluation.annex import annex_pages
from evaluation.models import EvaluationReport
from evaluation.services import report_generate, report_html, report_pdf_bytes, report_render
from evaluation.snapshot import snapshot_build
from tests.evaluation.conftest import HOSTILE, YEAR, page_texts, pdf_text, stored_pdf
from workplan.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(year_data):
    report = EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)
    return report_generate(report_id=report.pk)


def test_every_activity_planned_in_the_year_is_in_the_pdf_with_code_and_title(report, year_data):
    text = pdf_text(stored_pdf(report))
    activities = list(Activity.objects.for_agreement(year_data["agreement"]).in_year(YEAR).with_plan())
    assert len(activities) == 18
    for activity in activities:
        assert f"{activity.code}. {' '.join(activity.title.split())}" in text, activity.code


def test_the_pdf_prints_the_numbers_per_state(report):
    text = pdf_text(stored_pdf(report))
    summary = report.snapshot["summary"]
    # 18 activities; 1a is not done (a unit said so), 1c is in progress, the rest planned.
    counts = {row["status"]: (row["activities"], row["units"]) for row in summary["by_status"]}
    assert counts["tidak_terlaksana"][0] == 1 and counts["berjalan"][0] == 1
    assert counts["direncanakan"][0] == 16 and counts["selesai"] == (0, 0)
    for row in summary["by_status"]:
        assert f"{row['label']} {row['activities']} {row['units']}" in text
    assert f"Jumlah {summary['activities']} {summary['units']}" in text
    assert "Teridentifikasi 2" in text and "Rekomendasi TMP2T terbit 1" in text
    assert "Rekomendasi TMP2T diterbitkan 1" in text


def test_cover_and_signature_page_name_both_parties_numbers_and_signatories(report):
    text = pdf_text(stored_pdf(report))
    for expected in [
        "Nomor PIHAK KESATU: 1 Tahun 2025",
        "Nomor PIHAK KEDUA: MOU/1/022025",
        "Pemerintah Provinsi Daerah Khusus Ibukota Jakarta",
        "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan Kantor Wilayah",
        "Ditandatangani di Jakarta, 4 Februari 2025",
        "Marullah Matali",
        "Deny Yusyulian",
        "Undang-Undang Nomor 24 Tahun 2011",
        "tanggal 4 Februari 2025 sampai dengan 31 Desember 2025",
        "Menunggu persetujuan",
    ]:
        assert expected in text, expected


def test_chapters_kendala_evidence_and_an_empty_exchange_section(report):
    text = pdf_text(stored_pdf(report))
    for chapter in [
        "BAB I PENDAHULUAN",
        "BAB II PELAKSANAAN",
        "BAB III HASIL PERTUKARAN DATA",
        "BAB IV",
        "BAB V PERMASALAHAN",
        "BAB VI REKOMENDASI",
        "BAB VII PENUTUP",
        "LEMBAR PENGESAHAN",
        "LAMPIRAN",
    ]:
        assert chapter in text, chapter
    assert "Belum ada data pertukaran data" in text
    assert "Sosialisasi ulang." in text and "80,0%" in text
    assert "PT Alfa Sentosa" in text and "e-0417/PN.01.00" in text


def test_a4_pages_with_running_header_and_page_numbers(report):
    data = stored_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    pages = page_texts(data)
    assert "Halaman" not in pages[0]  # the cover carries no header or number
    assert f"Halaman 2 dari {len(pages)}" in pages[1]
    assert f"Laporan Bersama Pemantauan dan Evaluasi Tahun {YEAR}" in pages[1]
    assert report.pages == len(pages) and report.sha256 == hashlib.sha256(data).hexdigest()


def test_the_same_snapshot_gives_the_same_content(report, year_data):
    first = pdf_text(stored_pdf(report))
    # The data changes after the snapshot was taken: the version keeps printing what it froze.
    year_data["submitted"].obstacles = "Kendala baru sesudah snapshot"
    year_data["submitted"].save()
    assert report_html(report) == report_html(EvaluationReport.objects.get(pk=report.pk))
    report_render(report=report)
    second = pdf_text(stored_pdf(report))
    assert second == first and "Kendala baru" not in second


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_markup_and_urls_in_the_data_are_printed_not_fetched(report, monkeypatch):
    fetched = []
    real_fetch = pdf.StaticFilesOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesOnlyFetcher, "fetch", spy)
    text = pdf_text(render_pdf(report_html(report)))
    assert fetched == ["https://pdf.mou-tracker.invalid/static/css/report.css"]
    # Compared without whitespace: where a line wraps depends on the fonts installed.
    assert squeezed(HOSTILE) in squeezed(text)
    fetched.clear()  # the application's PDF, whose annex is the listing, fetches no more
    assert squeezed(HOSTILE) in squeezed(pdf_text(report_pdf_bytes(report)))
    assert fetched == ["https://pdf.mou-tracker.invalid/static/css/report.css"]


def test_a_long_annex_is_rendered_in_parts_with_page_numbers_running_through(year_data, monkeypatch):
    from evaluation import rendering

    # One case per annex page and per part: the chapters with case 1, then two parts.
    monkeypatch.setattr(rendering, "annex_pages", partial(annex_pages, first=1, per_page=1))
    monkeypatch.setattr(rendering, "PART_PAGES", 1)
    report = EvaluationReport(agreement=year_data["agreement"], year=YEAR, version=1)
    report.snapshot = snapshot_build(agreement=year_data["agreement"], year=YEAR)
    report.save()
    report_render(report=report)
    data = stored_pdf(report)
    pages = page_texts(data)
    assert "Halaman" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert re.findall(r"Halaman \d+ dari \d+", text) == [f"Halaman {number} dari {len(pages)}"], number
    # The last part carries the running header and the version line, as a page of the main document does.
    assert "Laporan Bersama Pemantauan dan Evaluasi Tahun 2025" in pages[-1] and "versi 1 (Draf)" in pages[-1]
    names = [name for name in ("PT Alfa Sentosa", "PT Beta Makmur", "CV Gamma") if name in pdf_text(data)]
    assert names == ["PT Alfa Sentosa", "PT Beta Makmur", "CV Gamma"]
    assert [pdf_text(data).index(n) for n in names] == sorted(pdf_text(data).index(n) for n in names)
    for text, name in zip(pages[-3:], ("PT Alfa Sentosa", "PT Beta Makmur", "CV Gamma"), strict=True):
        assert "No Pemberi kerja NPP Wilayah Kategori Tahap" in text and name in text  # the header on every page
    for row_number, name in ((1, "PT Alfa Sentosa"), (2, "PT Beta Makmur")):  # numbering runs through the parts
        assert f"{row_number} {name}" in pdf_text(data)


def test_a_version_one_snapshot_still_prints_its_exchange_rows(year_data):
    """Versions stored before chapter III came from dataexchange.summary keep printing what they froze."""
    agreement = year_data["agreement"]
    report = EvaluationReport(agreement=agreement, year=YEAR, version=1)
    report.snapshot = snapshot_build(agreement=agreement, year=YEAR)
    report.snapshot["schema"] = 1
    report.snapshot["exchange"] = {
        "rows": [["Kegiatan 2a: periode jatuh tempo / tepat waktu / terlambat", "3 / 2 / 1 (66,7% tepat waktu)"]]
    }
    assert "3 / 2 / 1 (66,7% tepat waktu)" in report_html(report)
