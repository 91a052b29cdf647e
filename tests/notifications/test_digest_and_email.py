"""The daily digest (never empty, at most one a day) and immediate email, through a real SMTP server."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Role
from clauses.services import force_majeure_record
from notifications.models import Digest, Notification, Preference
from notifications.registry import DueItem
from notifications.services import digests_send, notify
from tests.notifications.conftest import make_user
from workplan.models import Side

D = datetime.date
pytestmark = pytest.mark.django_db


def test_nothing_due_sends_nothing(smtp_server, provided) -> None:
    make_user("staf.a")
    result = digests_send(today=D(2025, 6, 2))
    assert (result.sent, Digest.objects.count(), smtp_server.messages) == (0, 0, [])


def test_an_item_far_ahead_is_not_due_soon(smtp_server, provided) -> None:
    user = make_user("staf.a")
    provided.append(
        DueItem(key="uji:1", title="Laporan triwulan II", due_on=D(2025, 7, 15), recipients=frozenset({user.pk}))
    )
    assert digests_send(today=D(2025, 6, 2)).sent == 0
    assert smtp_server.messages == []


def test_one_digest_lists_overdue_and_due_soon_to_its_recipient(smtp_server, provided) -> None:
    staff, other = make_user("staf.a"), make_user("staf.b")
    provided += [
        DueItem(
            key="uji:1",
            title="Laporan triwulan I DPPKUKM",
            due_on=D(2025, 5, 28),
            url="/rencana-kerja/",
            recipients=frozenset({staff.pk}),
        ),
        DueItem(
            key="uji:2", title="Pertukaran data 2a triwulan II", due_on=D(2025, 6, 5), recipients=frozenset({staff.pk})
        ),
    ]
    result = digests_send(today=D(2025, 6, 2))
    assert result.sent == 1
    [message] = smtp_server.messages
    assert message.rcpt_tos == ["staf.a@example.test"]
    assert message.mail_from == "noreply@mou.test"
    assert "2 butir" in message.subject
    overdue, soon = message.text.split("SEGERA JATUH TEMPO")
    assert "TERLAMBAT" in overdue and "Laporan triwulan I DPPKUKM (tenggat 28 Mei 2025)" in overdue
    assert "http://127.0.0.1:8000/rencana-kerja/" in overdue
    assert "Pertukaran data 2a triwulan II (tenggat 5 Juni 2025)" in soon
    assert other.email not in {r for m in smtp_server.messages for r in m.rcpt_tos}


def test_at_most_one_digest_per_person_per_day(smtp_server, provided) -> None:
    staff = make_user("staf.a")
    provided.append(DueItem(key="uji:1", title="Laporan", due_on=D(2025, 6, 3), recipients=frozenset({staff.pk})))
    assert digests_send(today=D(2025, 6, 2)).sent == 1
    assert digests_send(today=D(2025, 6, 2)).sent == 0
    assert digests_send(today=D(2025, 6, 3)).sent == 1
    assert len(smtp_server.messages) == 2


def test_new_inbox_entries_go_in_the_digest_once(smtp_server, provided) -> None:
    staff = make_user("staf.a")
    notify(users=[staff], key="uji:pesan", subject="Laporan Anda dikembalikan", url="/rencana-kerja/")
    assert digests_send(today=D(2025, 6, 2)).sent == 1
    assert "Laporan Anda dikembalikan" in smtp_server.messages[0].text
    assert digests_send(today=D(2025, 6, 3)).sent == 0  # already emailed, nothing due: no empty digest
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.usefixtures("holidays_2025", "seeded_mou")
def test_force_majeure_deadline_reaches_both_parties_by_digest(smtp_server) -> None:
    from workplan.models import Agreement

    agreement = Agreement.objects.get()
    secretariat = make_user("sekretariat", Role.SECRETARIAT, "Disnakertransgi")
    make_user("petugas.bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI")
    make_user("staf.dishub", Role.DINAS_STAFF, "Dishub")
    force_majeure_record(
        agreement=agreement,
        affected_side=Side.SECOND,
        event_date=D(2025, 3, 20),
        description="Banjir",
        notice_number="B/123/042025",
        notice_sent_on=D(2025, 4, 17),
        notice_received_on=D(2025, 4, 17),
        by=secretariat,
    )
    digests_send(today=D(2025, 5, 5))
    line = "Batas tanggapan keadaan kahar B/123/042025 (tenggat 9 Mei 2025)"
    # Other apps' deadlines (Dishub's overdue quarterly reports) go out too; the notice reaches both parties only.
    told = sorted(r for m in smtp_server.messages if line in m.text for r in m.rcpt_tos)
    assert told == ["petugas.bpjs@example.test", "sekretariat@example.test"]


def test_immediate_delivery_emails_each_notice_after_commit(
    smtp_server, provided, django_capture_on_commit_callbacks
) -> None:
    staff, digest_user = make_user("staf.a"), make_user("staf.b")
    Preference.objects.create(user=staff, delivery=Preference.Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[staff, digest_user], key="uji:k", subject="Keadaan kahar dianggap telah disetujui", body="Isi")
        notify(users=[staff], key="uji:k", subject="Keadaan kahar dianggap telah disetujui")  # same key: once
    [message] = smtp_server.messages
    assert message.rcpt_tos == ["staf.a@example.test"]
    assert message.subject == "Keadaan kahar dianggap telah disetujui"
    provided.append(DueItem(key="uji:1", title="Laporan", due_on=D(2025, 6, 3), recipients=frozenset({staff.pk})))
    with django_capture_on_commit_callbacks(execute=True):
        result = digests_send(today=D(2025, 6, 2))
    assert (result.immediate, result.sent) == (1, 1)  # staf.a: one immediate notice; staf.b: the digest
    assert {m.subject for m in smtp_server.messages[1:]} >= {"Segera jatuh tempo: Laporan"}


def test_switching_to_immediate_sends_what_was_waiting_for_the_digest(
    smtp_server, provided, django_capture_on_commit_callbacks
) -> None:
    staff = make_user("staf.a")
    notify(users=[staff], key="uji:lama", subject="Pemberitahuan sebelum beralih")
    Preference.objects.create(user=staff, delivery=Preference.Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        result = digests_send(today=D(2025, 6, 2))
    assert result.sent == 0
    assert [m.subject for m in smtp_server.messages] == ["Pemberitahuan sebelum beralih"]
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(today=D(2025, 6, 3))
    assert len(smtp_server.messages) == 1


def test_the_command_dry_run_lists_and_sends_nothing_then_sends(smtp_server, provided) -> None:
    import io

    from django.core.management import CommandError, call_command

    staff = make_user("staf.a")
    provided.append(DueItem(key="uji:1", title="Laporan", due_on=D(2025, 6, 3), recipients=frozenset({staff.pk})))
    out = io.StringIO()
    call_command("send_digests", "--date", "2025-06-02", "--dry-run", stdout=out)
    assert "staf.a\tringkasan\t1" in out.getvalue()
    assert (smtp_server.messages, Digest.objects.count()) == ([], 0)
    call_command("send_digests", "--date", "2025-06-02", stdout=io.StringIO())
    assert len(smtp_server.messages) == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--date", "2 Juni 2025")
