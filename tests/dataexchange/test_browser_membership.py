"""In Chromium: a BPJS officer uploads the membership extract on its page; a Disnakertransgi clerk reads the 2d
reconciliation and is refused an export for a third party without written consent (Pasal 10)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Role
from dataexchange.models import MembershipRecord
from tests.chromium import CHROMIUM_MARKS
from tests.dataexchange.conftest import VALID, csv_file
from workplan.models import Organization

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [*CHROMIUM_MARKS, pytest.mark.django_db(transaction=True)]
KPJ = ("NIK Pemegang KPJ", "Nama Pemegang KPJ", "NPP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah", "PIC",
       "Email")  # fmt: skip


def log_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()


def test_bpjs_officer_uploads_the_extract_on_its_page(live_server: Any, streams: Any, personas: Any, page: Any,
                                                      tmp_path: Path) -> None:  # fmt: skip
    members = tmp_path / "kepesertaan.csv"
    members.write_bytes(csv_file([[VALID[0], "Aktif", "2025-06"], [VALID[1], "mungkin", "2025-06"]],
                                 header=("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")))  # fmt: skip
    log_in(page, live_server.url, "bpjs")
    page.goto(f"{live_server.url}/pertukaran-data/")
    page.get_by_role("link", name="Data kepesertaan BPJS").click()
    page.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(str(members))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Ditolak: 1 kesalahan")).to_be_visible()
    assert not MembershipRecord.objects.exists()
    members.write_bytes(csv_file([[VALID[0], "Aktif", "2025-06"], [VALID[1], "Non Aktif", "2025-01"]],
                                 header=("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")))  # fmt: skip
    page.get_by_role("link", name="Data kepesertaan BPJS").click()
    page.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(str(members))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Diterima seluruhnya.")).to_be_visible()
    assert MembershipRecord.objects.count() == 2
    assert page.csp_errors == []


def test_receiving_clerk_reads_the_kpj_reconciliation_and_a_third_party_export_is_refused(
    live_server: Any, streams: Any, personas: Any, regions: Any, page: Any, tmp_path: Path
) -> None:
    unit = Organization.objects.get(short_name="Disnakertransgi")
    get_user_model().objects.create_user(username="disnaker", password="x", role=Role.DINAS_STAFF, organization=unit)
    rows = [[VALID[0], "Budi", "", "CV Baru", "Jl. A", "Jakarta Selatan", "Aktif", "7000000", "Ani", "a@b.id"]]
    path = tmp_path / "kpj.csv"
    path.write_bytes(csv_file(rows, header=KPJ))
    with contextlib.suppress(SystemExit):
        call_command("exchange_upload", "--stream", "2d", "--period", "2025Q3", "--unit", "BPJS Kanwil DKI", str(path),
                     stdout=io.StringIO())  # fmt: skip
    log_in(page, live_server.url, "disnaker")
    page.goto(f"{live_server.url}/pertukaran-data/")
    page.get_by_role("link", name="2025Q3").click()
    expect(page.get_by_text("1 pemegang KPJ.")).to_be_visible()
    page.get_by_role("link", name="Lihat per pemegang KPJ").click()
    expect(page.get_by_text("3171**********01")).to_be_visible()
    expect(
        page.get_by_role(
            "cell", name="Upah dilaporkan di atas batas KPJ (UMP + 15%); Perusahaan tidak ada di daftar pemberi kerja"
        )
    ).to_be_visible()
    page.get_by_label("Untuk pihak ketiga").check()
    page.get_by_label("Nama pihak ketiga penerima").fill("Universitas Indonesia")
    page.get_by_role("button", name="Unduh").click()
    expect(page.get_by_role("heading", name="Ekspor untuk pihak ketiga ditolak")).to_be_visible()
    expect(page.get_by_role("link", name="Buka register persetujuan (Pasal 10)")).to_be_visible()
    assert page.csp_errors == []
