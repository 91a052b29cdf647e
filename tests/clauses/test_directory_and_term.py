"""Liaison addresses (Pasal 14) with their history, and the term with extensions and reminders (Pasal 7)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from clauses import tasks
from clauses.models import ClauseError, TermReminder
from clauses.services import liaison_change_record, liaison_on, term_extend, term_reminders_send
from notifications.models import Notification
from workplan.models import Agreement, Organization, Side

D = datetime.date
OLD_ADDRESS = "Jalan Gatot Subroto Nomor 38 Kavling 71-73, Kota Administrasi Jakarta Selatan 12710"


def change(agreement, user, *, notified_on, effective_on):
    return liaison_change_record(
        agreement=agreement,
        side=Side.SECOND,
        notice_number="B/77/062025",
        notified_on=notified_on,
        effective_on=effective_on,
        position="Kepala Kantor Wilayah BPJS Ketenagakerjaan DKI Jakarta",
        organization=Organization.objects.get(short_name="BPJS Kanwil DKI"),
        address="Jalan H.R. Rasuna Said Kav. 112, Jakarta Selatan",
        phones=["(021) 5200000"],
        email="kanwil.jakarta@bpjsketenagakerjaan.go.id",
        by=user,
    )


@pytest.mark.usefixtures("holidays_2025")
def test_an_address_change_earlier_than_seven_working_days_is_refused_with_the_earliest_date(
    agreement, personas
) -> None:
    # Notified Thursday 27 March 2025: Nyepi, Idul Fitri and cuti bersama push day 7 to 16 April
    # (8, 9, 10, 11, 14, 15, 16 April).
    with pytest.raises(ClauseError) as refused:
        change(agreement, personas["secretariat"], notified_on=D(2025, 3, 27), effective_on=D(2025, 4, 15))
    assert "16 April 2025" in str(refused.value)
    assert liaison_on(agreement=agreement, side=Side.SECOND, day=D(2025, 4, 20)).address == OLD_ADDRESS


@pytest.mark.usefixtures("holidays_2025")
def test_an_accepted_change_keeps_the_old_address_valid_until_it_takes_effect(agreement, personas) -> None:
    record = change(agreement, personas["secretariat"], notified_on=D(2025, 3, 27), effective_on=D(2025, 4, 16))
    assert record.liaison.valid_from == D(2025, 4, 16)
    assert liaison_on(agreement=agreement, side=Side.SECOND, day=D(2025, 4, 15)).address == OLD_ADDRESS
    assert liaison_on(agreement=agreement, side=Side.SECOND, day=D(2025, 4, 16)).address.startswith("Jalan H.R. Rasuna")
    assert liaison_on(agreement=agreement, side=Side.FIRST, day=D(2025, 4, 16)).email == "disnakertrans@jakarta.go.id"
    assert Notification.objects.filter(key=f"clauses.address:{record.pk}", recipient=personas["bpjs"]).exists()


def test_an_extension_moves_the_end_date_and_keeps_the_basis(agreement, personas) -> None:
    assert agreement.ends_on == D(2030, 2, 3)
    extension = term_extend(
        agreement=agreement,
        new_ends_on=D(2035, 2, 3),
        agreed_on=D(2029, 11, 1),
        basis_document="Adendum I Nota Kesepakatan 1/2025",
        by=personas["secretariat"],
    )
    agreement.refresh_from_db()
    assert agreement.ends_on == D(2035, 2, 3)
    assert extension.previous_ends_on == D(2030, 2, 3)
    with pytest.raises(ClauseError):
        term_extend(
            agreement=agreement,
            new_ends_on=D(2034, 1, 1),
            agreed_on=D(2029, 11, 1),
            basis_document="x",
            by=personas["secretariat"],
        )


def test_term_reminders_go_out_once_at_each_configured_point(agreement, personas, settings) -> None:
    settings.CLAUSES_TERM_REMINDER_DAYS = [180, 30]
    assert term_reminders_send(today=D(2029, 8, 1)) == []  # 186 days left: too early
    assert len(term_reminders_send(today=D(2029, 8, 7))) == 1  # 180 days left
    assert term_reminders_send(today=D(2029, 8, 8)) == []
    with time_machine.travel(datetime.datetime(2030, 1, 10, 6, 0, tzinfo=datetime.UTC)):
        assert tasks.send_term_reminders.apply().get() == {"reminders": 1}
        assert tasks.send_term_reminders.apply().get() == {"reminders": 0}
    assert sorted(TermReminder.objects.values_list("days_before", flat=True)) == [30, 180]
    inbox = Notification.objects.filter(recipient=personas["bpjs"], key__startswith="clauses.term:")
    assert inbox.count() == 2
    assert "3 Februari 2030" in inbox.first().subject
    assert not Notification.objects.filter(recipient=personas["outsider"]).exists()


def test_a_missed_run_sends_only_the_nearest_reminder(agreement, personas, settings) -> None:
    settings.CLAUSES_TERM_REMINDER_DAYS = [365, 180, 90]
    assert len(term_reminders_send(today=D(2029, 12, 1))) == 1
    assert Notification.objects.filter(recipient=personas["bpjs"]).count() == 1
    assert term_reminders_send(today=D(2029, 12, 2)) == []
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.IN_FORCE


def test_an_agreement_past_its_end_without_extension_expires_once(agreement, personas) -> None:
    from clauses.services import term_expire

    assert term_expire(today=D(2030, 2, 3)) == []  # the last day in force
    with time_machine.travel(
        datetime.datetime(2030, 2, 4, 0, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    ):
        assert tasks.mark_expired.apply().get() == {"expired": 1}
        assert tasks.mark_expired.apply().get() == {"expired": 0}
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EXPIRED
    assert Notification.objects.filter(recipient=personas["bpjs"], key__startswith="clauses.expired:").count() == 1
    term_extend(
        agreement=agreement,
        new_ends_on=D(2035, 2, 3),
        agreed_on=D(2030, 3, 1),
        basis_document="Adendum",
        by=personas["secretariat"],
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
