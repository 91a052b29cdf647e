"""The sanction journey in Chromium: BPJS uploads a list, Disnakertransgi verifies and recommends,
DPMPTSP withholds its service, the employer complies and the sanction is revoked.

The list carries two written warnings already given (dated weeks ago), so the journey starts at
the fine without waiting for real working days.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role, User
from compliance.models import SanctionCase
from compliance.states import Status
from core.workdays import add_working_days
from tests.chromium import CHROMIUM_MARKS
from tests.compliance.factories import OrganizationFactory
from tests.registry.seed import ensure_reference_rows

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "rahasia-uji-123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = [
    *CHROMIUM_MARKS,
]


@pytest.fixture
def people(transactional_db, settings, tmp_path) -> dict[str, User]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_reference_rows()  # an earlier transactional test may have flushed the regions
    units = {
        "bpjs": OrganizationFactory(short_name="Kanwil BPJS TK DKI", name="BPJS Ketenagakerjaan Kanwil DKI Jakarta"),
        "disnaker": OrganizationFactory(
            short_name="Disnakertransgi", name="Dinas Tenaga Kerja, Transmigrasi dan Energi"
        ),
        "dpmptsp": OrganizationFactory(
            short_name="DPMPTSP", name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi DKI Jakarta"
        ),
    }

    def user(username: str, role: str, unit: str) -> User:
        return User.objects.create_user(username, password=PASSWORD, role=role, organization=units[unit])

    return {
        "bpjs": user("petugas.bpjs", Role.BPJS_OFFICER, "bpjs"),
        "sekretariat": user("sekretariat.naker", Role.SECRETARIAT, "disnaker"),
        "dpmptsp": user("staf.dpmptsp", Role.FOLLOWUP_AGENCY, "dpmptsp"),
    }


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text(username).first).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()


def take_step(page, label: str, fill=None) -> None:
    page.get_by_role("link", name=label).click()
    if fill:
        fill()
    page.get_by_role("button", name=label).click()
    expect(page.get_by_text(f"Langkah '{label}' tercatat.")).to_be_visible()


def test_a_listed_employer_is_sanctioned_and_the_sanction_revoked(people, live_server, page, tmp_path):
    base = live_server.url
    today = timezone.localdate()
    first = today - datetime.timedelta(days=70)
    second = add_working_days(first, 11)
    listing = tmp_path / "daftar.csv"
    listing.write_text(
        "NPP;Nama Perusahaan;Kota;Kategori;Tanggal Teguran 1;Tanggal Teguran 2\n"
        f"JJ000123;PT Peramban Jaya;Jakarta Selatan;PDS Upah;{first:%d/%m/%Y};{second:%d/%m/%Y}\n",
        encoding="utf-8",
    )
    proof = tmp_path / "bukti.pdf"
    proof.write_bytes(PDF)

    # BPJS uploads the list, then imposes the fine and requests TMP2T.
    log_in(page, base, "petugas.bpjs")
    page.goto(f"{base}/kepatuhan/unggah/")
    page.get_by_label("Daftar ketidakpatuhan (CSV atau XLSX)").set_input_files(str(listing))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("1 kasus baru")).to_be_visible()
    page.goto(f"{base}/kepatuhan/")
    page.get_by_role("link", name="PT Peramban Jaya").click()
    expect(page.get_by_text("Teguran tertulis II").first).to_be_visible()
    take_step(page, "Tetapkan denda")
    take_step(page, "Ajukan sanksi TMP2T", lambda: page.get_by_label("Bukti (PDF/JPG/PNG)").set_input_files(str(proof)))
    case_url = page.url
    log_out(page)

    # Disnakertransgi verifies and recommends withholding business licences.
    log_in(page, base, "sekretariat.naker")
    page.goto(case_url)
    take_step(page, "Mulai verifikasi")

    def recommend() -> None:
        page.get_by_label("Nomor surat rekomendasi").fill("e-0100/PN.01.00")
        page.get_by_label("Perizinan terkait usaha").check()

    take_step(page, "Terbitkan rekomendasi TMP2T", recommend)
    expect(page.get_by_role("link", name="Surat rekomendasi TMP2T e-0100/PN.01.00")).to_be_visible()
    log_out(page)

    # DPMPTSP sees the case in its list and records the withheld service.
    log_in(page, base, "staf.dpmptsp")
    page.goto(f"{base}/kepatuhan/")
    page.get_by_role("link", name="PT Peramban Jaya").click()
    page.get_by_label("Nomor surat / referensi").fill("503/PTSP/2025")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tindak lanjut DPMPTSP tercatat.")).to_be_visible()
    expect(page.get_by_text("Layanan ditahan (TMP2T aktif)").first).to_be_visible()
    log_out(page)

    # The employer complies: BPJS asks for revocation with the proofs a wage case needs.
    log_in(page, base, "petugas.bpjs")
    page.goto(case_url)

    def proofs() -> None:
        page.get_by_label("Bukti pembayaran denda dan iuran").set_input_files(str(proof))
        page.get_by_label("Bukti penyampaian data yang lengkap dan benar").set_input_files(str(proof))

    take_step(page, "Ajukan pencabutan sanksi", proofs)
    log_out(page)

    log_in(page, base, "sekretariat.naker")
    page.goto(case_url)
    take_step(page, "Cabut sanksi TMP2T", lambda: page.get_by_label("Nomor surat pencabutan").fill("e-0200/PN.01.00"))
    expect(page.get_by_text("Sanksi dicabut").first).to_be_visible()
    assert page.csp_errors == []

    case = SanctionCase.objects.get()
    assert case.status == Status.REVOKED and case.letters.count() == 2
