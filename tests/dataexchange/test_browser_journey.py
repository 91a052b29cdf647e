"""In Chromium: a dinas clerk uploads a 2e list with errors, reads the error report, fixes it, sees the matching."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dataexchange.services import period_for_upload
from tests.chromium import CHROMIUM_MARKS
from tests.dataexchange.conftest import VALID, csv_file
from workplan.models import Organization

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [
    *CHROMIUM_MARKS,
    pytest.mark.django_db(transaction=True),
]


def test_clerk_fixes_a_rejected_list_and_sees_masked_results(live_server: Any, streams: Any, personas: Any,
                                                              page: Any, tmp_path: Path) -> None:  # fmt: skip
    members = tmp_path / "kepesertaan.csv"
    members.write_bytes(csv_file([[VALID[0], "Aktif", "2025-06"]], header=("NIK", "Status", "Bulan Iuran Terakhir")))
    call_command("exchange_upload", "--stream", "2e", "--unit", "BPJS Kanwil DKI", "--membership", str(members),
                 stdout=io.StringIO())  # fmt: skip
    period = period_for_upload(stream=streams["2e"], unit=Organization.objects.get(short_name="Dinsos"), year=2025,
                               quarter=3)  # fmt: skip
    bad = tmp_path / "bpu.csv"
    bad.write_bytes(csv_file([["Budi", VALID[0], "081234567890"], ["Siti", "3.17E+15", ""]]))
    good = tmp_path / "bpu-perbaikan.csv"
    good.write_bytes(csv_file([["Budi", VALID[0], "081234567890"], ["Siti", VALID[1], ""]]))

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("dinsos")
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/pertukaran-data/")
    page.get_by_role("link", name=period.label).click()
    page.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Ditolak: 1 kesalahan")).to_be_visible()
    expect(page.get_by_text("notasi ilmiah")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    report = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "3,NIK,3.17E+15" in report

    page.get_by_role("link", name=str(period)).click()
    page.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Diterima seluruhnya.")).to_be_visible()
    page.get_by_role("link", name="Lihat hasil pemadanan per orang").click()
    expect(page.get_by_text("3171**********01")).to_be_visible()
    expect(page.get_by_role("cell", name="Terdaftar, aktif")).to_have_count(1)
    expect(page.get_by_role("cell", name="Belum terdaftar")).to_have_count(1)
    expect(page.get_by_text(VALID[0])).to_have_count(0)
    assert page.csp_errors == []
