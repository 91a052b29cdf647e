"""Inbox, preferences, the calendar page and the token iCalendar feed, through HTTP."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications.models import CalendarToken, Notification, Preference
from notifications.registry import DueItem
from notifications.services import notify
from tests.notifications.conftest import make_user

D = datetime.date
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def users(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_user("staf.a"), make_user("staf.b")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_shows_only_my_entries_and_marks_them_read(users) -> None:
    mine, other = users
    [entry] = notify(users=[mine], key="k1", subject="Laporan Anda disetujui", url="/rencana-kerja/")
    notify(users=[other], key="k2", subject="Rahasia orang lain")
    page = login(mine).get(reverse("notifications:inbox"))
    assert "Laporan Anda disetujui" in page.text and "Rahasia orang lain" not in page.text
    assert "1 belum dibaca" in page.text
    assert login(other).post(reverse("notifications:mark-read", args=[entry.pk])).status_code == 404
    response = login(mine).post(reverse("notifications:mark-read", args=[entry.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/rencana-kerja/"
    assert Notification.objects.get(pk=entry.pk).read_at is not None


def test_inbox_needs_login(users) -> None:
    assert Client().get(reverse("notifications:inbox")).status_code == 302


def test_a_user_chooses_immediate_delivery(users) -> None:
    mine, _ = users
    response = login(mine).post(reverse("notifications:preferences"), {"delivery": "langsung"})
    assert response.status_code == 302
    assert Preference.objects.get(user=mine).delivery == Preference.Delivery.IMMEDIATE


def test_calendar_shows_my_deadlines_in_their_month(users, provided) -> None:
    mine, other = users
    provided += [
        DueItem(
            key="u:1", title="Batas tanggapan keadaan kahar FM/1", due_on=D(2025, 5, 9), recipients=frozenset({mine.pk})
        ),
        DueItem(key="u:2", title="Milik orang lain", due_on=D(2025, 5, 12), recipients=frozenset({other.pk})),
    ]
    with time_machine.travel(datetime.datetime(2025, 5, 2, 9, 0, tzinfo=JAKARTA)):
        page = login(mine).get(reverse("notifications:calendar"))
        june = login(mine).get(reverse("notifications:calendar"), {"year": 2025, "month": 6})
    assert "Mei 2025" in page.text
    assert "9 Mei 2025" in page.text and "Batas tanggapan keadaan kahar FM/1" in page.text
    assert "Milik orang lain" not in page.text
    assert "Batas tanggapan" not in june.text


def test_ical_feed_works_without_login_until_revoked(users, provided) -> None:
    mine, _ = users
    provided.append(
        DueItem(
            key="u:1",
            title="Batas tanggapan, keadaan kahar; FM/1",
            due_on=D(2025, 5, 9),
            url="/klausul/",
            recipients=frozenset({mine.pk}),
        )
    )
    login(mine).post(reverse("notifications:token-create"))
    token = CalendarToken.objects.get(user=mine).token
    with time_machine.travel(datetime.datetime(2025, 5, 2, 9, 0, tzinfo=JAKARTA)):
        response = Client().get(reverse("notifications:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20250509\r\n" in body and "DTEND;VALUE=DATE:20250510\r\n" in body
    assert "SUMMARY:Batas tanggapan\\, keadaan kahar\\; FM/1" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    login(mine).post(reverse("notifications:token-revoke"))
    assert Client().get(reverse("notifications:feed", args=[token])).status_code == 404
    assert Client().get(reverse("notifications:feed", args=["tebakan"])).status_code == 404


def test_a_new_feed_url_replaces_the_old_one(users) -> None:
    mine, _ = users
    client = login(mine)
    client.post(reverse("notifications:token-create"))
    first = CalendarToken.objects.get(user=mine).token
    client.post(reverse("notifications:token-create"))
    assert CalendarToken.objects.active().filter(user=mine).exclude(token=first).count() == 1
    assert Client().get(reverse("notifications:feed", args=[first])).status_code == 404
    page = client.get(reverse("notifications:preferences"))
    assert CalendarToken.objects.active().get(user=mine).token in page.text


def test_marking_read_with_htmx_swaps_only_the_row(users) -> None:
    mine, _ = users
    [entry] = notify(users=[mine], key="k1", subject="Tenggat besok")
    Notification.objects.filter(pk=entry.pk).update(id=12345)  # "12.345" in Indonesian: not a usable id
    response = login(mine).post(reverse("notifications:mark-read", args=[12345]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<tr id="entry-12345"')
    entry = Notification.objects.get(pk=12345)
    assert "<html" not in response.text and "Tandai dibaca" not in response.text
    assert Notification.objects.get(pk=entry.pk).read_at is not None
