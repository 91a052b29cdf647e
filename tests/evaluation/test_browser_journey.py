"""In Chromium: the secretariat generates the 2025 report, writes the recommendations, makes it final,
both parties approve, and the signed PDF downloads and verifies.

Celery runs eagerly in the live server's thread, so "Laporan siap" appears once the POST returns.
"""

from __future__ import annotations

import hashlib

import pytest

from evaluation.models import EvaluationReport
from tests.chromium import CHROMIUM_MARKS
from tests.evaluation.conftest import YEAR, pdf_text
from tests.workplan.progress_fixtures import PASSWORD, personas

__all__ = ["personas"]
expect = pytest.importorskip("playwright.sync_api").expect

RENDER_MS = 120_000  # WeasyPrint renders inside the request; generous for a loaded CI machine
pytestmark = [
    *CHROMIUM_MARKS,
]


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text(username).first).to_be_visible()


def test_generate_recommend_finalise_approve_download(
    transactional_db, live_server, seeded_mou, personas, page, eager, tmp_path
):
    base = live_server.url
    log_in(page, base, "sekretariat")
    page.goto(f"{base}/evaluasi/")
    page.get_by_label("Tahun").select_option(str(YEAR))
    page.get_by_role("button", name="Buat laporan").click(timeout=RENDER_MS)
    expect(page.get_by_text("Laporan siap.")).to_be_visible(timeout=RENDER_MS)

    page.get_by_label("Rekomendasi (Bab VI)").fill("Sosialisasi BPU dilanjutkan pada 2026 di seluruh kecamatan.")
    page.get_by_role("button", name="Simpan rekomendasi").click(timeout=RENDER_MS)
    expect(page.get_by_text("Rekomendasi disimpan")).to_be_visible()
    page.get_by_role("button", name="Jadikan final").click()
    expect(page.get_by_text("Versi ini final")).to_be_visible()
    page.get_by_role("button", name="Setujui laporan").click()
    expect(page.get_by_text("PIHAK KESATU: disetujui oleh")).to_be_visible()
    report_url = page.url
    page.get_by_role("button", name="Keluar").click()

    log_in(page, base, "petugas.bpjs")
    page.goto(report_url)
    page.get_by_role("button", name="Setujui laporan").click(timeout=RENDER_MS)
    expect(page.get_by_text("PIHAK KEDUA: disetujui oleh")).to_be_visible()
    expect(page.get_by_text("Laporan siap.")).to_be_visible(timeout=RENDER_MS)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)

    report = EvaluationReport.objects.get()
    data = target.read_bytes()
    assert target.name == f"laporan-monev-{YEAR}-final.pdf" and report.approved_at
    assert hashlib.sha256(data).hexdigest() == report.sha256
    text = pdf_text(data)
    assert text.count("Disetujui secara elektronik oleh") == 2 and "seluruh kecamatan" in text
    page.get_by_role("link", name="Halaman verifikasi").click()
    page.get_by_label("Berkas PDF laporan").set_input_files(str(target))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("ASLI:")).to_be_visible()
    assert page.csp_errors == []  # type: ignore[attr-defined]
