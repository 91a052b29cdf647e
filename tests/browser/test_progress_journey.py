"""The main journey in Chromium: report with evidence, return with a reason, fix, approve, see the matrix.

Runs against pytest-django's live server; Chromium is the system one (/usr/bin/chromium).
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.chromium import CHROMIUM_MARKS
from tests.workplan.progress_fixtures import PASSWORD, PDF_BYTES, activity, personas

__all__ = ["personas"]
expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    *CHROMIUM_MARKS,
]


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text(username).first).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()


def test_report_returned_fixed_approved_and_shown_in_the_matrix(
    transactional_db, live_server, seeded_mou, personas, page, tmp_path
):
    base, year = live_server.url, timezone.localdate().year
    evidence = tmp_path / "daftar-hadir.pdf"
    evidence.write_bytes(PDF_BYTES)
    c1 = activity(seeded_mou, "1c")

    # The dinas user fills this quarter's report for 1c from "my tasks", with evidence, and submits it.
    log_in(page, base, "staf.dppkukm")
    page.get_by_role("link", name="Tugas saya").click()
    row = page.get_by_role("row").filter(has_text=re.compile(r"^\s*1c")).last
    row.get_by_role("link", name="Isi laporan").click()
    page.get_by_label("Status kegiatan").select_option("selesai")
    page.get_by_label("Realisasi").fill("Sosialisasi BPU di 5 kecamatan, 240 peserta.")
    page.get_by_label("Capaian (%)").fill("100")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf laporan disimpan.")).to_be_visible()
    report_url = page.url
    page.get_by_label("Bukti dukung").set_input_files(str(evidence))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_role("link", name="daftar-hadir.pdf")).to_be_visible()
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    expect(page.locator("#report-state")).to_have_text("Diajukan, menunggu verifikasi")
    log_out(page)

    # The secretariat returns it from the review queue, with a reason.
    log_in(page, base, "sekretariat")
    page.get_by_role("link", name="Verifikasi").click()
    page.get_by_role("link", name="Periksa").click()
    page.get_by_label("Alasan pengembalian").fill("Lampirkan foto kegiatan.")
    page.get_by_role("button", name="Kembalikan").click()
    expect(page.locator("#report-state")).to_have_text("Dikembalikan untuk perbaikan")
    log_out(page)

    # The dinas user sees the reason, fixes the report and resubmits.
    log_in(page, base, "staf.dppkukm")
    page.goto(report_url)
    expect(page.get_by_role("alert")).to_contain_text("Lampirkan foto kegiatan.")
    page.get_by_label("Kendala").fill("Foto menyusul dari kecamatan.")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_role("button", name="Ajukan ulang").click()
    expect(page.locator("#report-state")).to_have_text("Diajukan, menunggu verifikasi")
    log_out(page)

    # The secretariat approves; the report is locked and says why.
    log_in(page, base, "sekretariat")
    page.get_by_role("link", name="Verifikasi").click()
    page.get_by_role("link", name="Periksa").click()
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#report-state")).to_have_text("Disetujui")
    expect(page.locator(".lock")).to_contain_text("disetujui oleh sekretariat")
    log_out(page)

    # The unit sets its yearly status (htmx, in place); the matrix shows the new status.
    log_in(page, base, "staf.dppkukm")
    page.goto(f"{base}/rencana-kerja/kegiatan/{c1.pk}/")
    cell = page.locator(f"#tahun-{year} .unit-status").filter(has=page.locator("select")).first
    cell.locator("select").select_option("selesai")
    cell.get_by_role("button", name="Simpan status").click()
    expect(page.locator(f"#tahun-{year} .unit-status .badge.status-selesai").first).to_be_visible()
    page.get_by_role("link", name="Matriks").first.click()
    matrix_cell = page.get_by_role("row").filter(has_text=re.compile(r"^\s*1c")).locator("td").nth(year - 2025)
    expect(matrix_cell).to_have_attribute("data-status", "berjalan")
    expect(matrix_cell).to_contain_text("Menunggu")
    page.get_by_label("Unit kerja").select_option(label="DPPKUKM")  # htmx swaps the table
    expect(page).to_have_url(re.compile(r"unit=\d+"))
    expect(
        page.get_by_role("row").filter(has_text=re.compile(r"^\s*1c")).locator("td").nth(year - 2025)
    ).to_contain_text("DPPKUKM: Selesai")
    assert page.csp_errors == []


def test_pages_fit_a_phone_screen_and_the_api_docs_load(transactional_db, live_server, seeded_mou, personas, page):
    page.set_viewport_size({"width": 390, "height": 844})
    for user, paths in (
        ("staf.dppkukm", ["tugas/", "matriks/", f"kegiatan/{activity(seeded_mou, '1c').pk}/"]),
        ("sekretariat", ["verifikasi/"]),
    ):
        log_in(page, live_server.url, user)
        for path in paths:
            page.goto(f"{live_server.url}/rencana-kerja/{path}")
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
        log_out(page)
    log_in(page, live_server.url, "pimpinan")
    page.goto(f"{live_server.url}/api/docs/")  # Swagger UI from local static files, under the same CSP
    expect(page.get_by_text("/api/reports/{id}/approve/")).to_be_visible()
    assert page.csp_errors == []
