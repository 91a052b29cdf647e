"""In Chromium: the secretariat records a force-majeure notice and finds its response deadline in the calendar.

Runs against pytest-django's live server with the real clock; Chromium is the system one.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.formatting import MONTHS_ID, tanggal
from core.workdays import add_working_days
from tests.chromium import CHROMIUM_MARKS
from tests.clauses.conftest import PASSWORD, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    *CHROMIUM_MARKS,
]


def test_secretariat_records_a_force_majeure_and_sees_its_deadline_in_the_calendar(
    transactional_db, live_server, seeded_mou, page, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("sekretariat", "sekretariat", "Disnakertransgi")
    today = timezone.localdate()
    event_day = today - datetime.timedelta(days=3)
    deadline = add_working_days(today, 14)

    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("sekretariat")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("link", name="Klausul").click()
    page.get_by_role("link", name="Catat keadaan kahar").click()
    page.get_by_label("Pihak yang terkena").select_option("2")
    page.get_by_label("Tanggal terjadinya keadaan kahar").fill(event_day.isoformat())
    page.get_by_label("Uraian keadaan kahar").fill("Banjir melanda kantor cabang, layanan terhenti.")
    page.get_by_label("Nomor surat pemberitahuan").fill("B/321/FM")
    page.get_by_label("Tanggal pemberitahuan dikirim").fill(today.isoformat())
    page.get_by_label("Tanggal pemberitahuan diterima").fill(today.isoformat())
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_text("Keadaan kahar dicatat.")).to_be_visible()
    expect(page.locator("dd.deadline")).to_have_text(tanggal(deadline))
    expect(page.locator("dd.fm-status")).to_have_text("Menunggu tanggapan")

    page.get_by_role("link", name="Kalender").click()
    for _ in range((deadline.year - today.year) * 12 + deadline.month - today.month):
        page.get_by_role("link", name="Bulan berikutnya").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{MONTHS_ID[deadline.month - 1]} {deadline.year}")
    entry = page.locator("a.due", has_text="Batas tanggapan keadaan kahar B/321/FM")
    expect(entry).to_be_visible()
    expect(page.locator(".due-list")).to_contain_text(f"{tanggal(deadline)}: Batas tanggapan keadaan kahar B/321/FM")
    entry.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("B/321/FM")
    assert page.csp_errors == []
