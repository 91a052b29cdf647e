"""The similar-name review in Chromium: BPJS uploads a list whose name is close to a registered
employer, answers "same employer" side by side, and the next list is not asked again."""

from __future__ import annotations

import pytest

from compliance.models import NameReview, SanctionCase
from registry.models import Employer, Region
from tests.browser.test_sanction_journey import log_in, people  # noqa: F401 (fixture)
from tests.chromium import CHROMIUM_MARKS

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [*CHROMIUM_MARKS]


def test_a_similar_name_is_answered_once_in_the_browser(people, live_server, page, tmp_path):  # noqa: F811
    base = live_server.url
    registered = Employer.objects.create(
        name="PT Peramban Maju Abadi", npp="JJ000777", region=Region.objects.get(kode_bps="3171")
    )
    first, second = tmp_path / "daftar-1.csv", tmp_path / "daftar-2.csv"
    first.write_text("Nama Perusahaan;NIB;Kota;Kategori\nPT Peramban Maju Abdi;9120001234567;Jaksel;PWBD\n")
    second.write_text("Nama Perusahaan;Kota;Kategori\nPERAMBAN MAJU ABDI, PT.;Jakarta Selatan;PWBD\n")

    log_in(page, base, "petugas.bpjs")
    page.goto(f"{base}/kepatuhan/unggah/")
    page.get_by_label("Daftar ketidakpatuhan (CSV atau XLSX)").set_input_files(str(first))
    page.get_by_role("button", name="Unggah").click()
    page.get_by_role("link", name="Tinjau 1 pasangan nama mirip").click()
    card = page.locator(".name-review")
    for text in ("PT Peramban Maju Abdi", "PT Peramban Maju Abadi", "JJ000777", "9120001234567"):
        expect(card.get_by_text(text, exact=True)).to_be_visible()
    page.get_by_role("button", name="Pemberi kerja yang sama: gabungkan").click()
    expect(page.get_by_text("Keputusan untuk PT Peramban Maju Abdi tersimpan.")).to_be_visible()
    expect(page.get_by_text("Tidak ada pasangan yang menunggu tinjauan.")).to_be_visible()

    page.goto(f"{base}/kepatuhan/unggah/")
    page.get_by_label("Daftar ketidakpatuhan (CSV atau XLSX)").set_input_files(str(second))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("0 kasus baru, 1 kasus sudah ada, 0 pemberi kerja baru")).to_be_visible()
    expect(page.get_by_role("link", name="Tinjau 1 pasangan nama mirip")).to_have_count(0)
    assert NameReview.objects.get().status == NameReview.Status.SAME
    assert SanctionCase.objects.get().employer == registered
