"""Force majeure (Pasal 12): the 14-working-day notice and response periods, deemed agreement."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from clauses import tasks
from clauses.models import ClauseError, ForceMajeure
from clauses.services import force_majeure_adjust_activity, force_majeure_deem_agreed, force_majeure_record
from notifications.models import Notification
from tests.workplan.progress_fixtures import activity
from workplan.models import Side

D = datetime.date


EVENT, NOTICE = D(2025, 3, 20), D(2025, 4, 17)


def record(agreement, user, *, event=EVENT, sent=NOTICE, received=NOTICE) -> ForceMajeure:
    return force_majeure_record(
        agreement=agreement,
        affected_side=Side.SECOND,
        event_date=event,
        description="Banjir besar di Jakarta Selatan",
        notice_number="B/123/042025",
        notice_sent_on=sent,
        notice_received_on=received,
        by=user,
    )


@pytest.mark.usefixtures("holidays_2025")
def test_notice_deadline_skips_idul_fitri_so_a_notice_on_17_april_is_on_time(agreement, personas) -> None:
    # 14 working days from Thursday 20 March 2025, skipping Nyepi (28 March), Idul Fitri and its
    # cuti bersama (31 March - 7 April) and Good Friday (18 April): Monday 21 April.
    event = record(agreement, personas["secretariat"])
    assert event.notice_due_on == D(2025, 4, 21)
    assert event.notice_late is False


@pytest.mark.usefixtures("holidays_2025")
def test_a_notice_after_the_fourteenth_working_day_is_recorded_and_flagged_late(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"], sent=D(2025, 4, 22), received=D(2025, 4, 22))
    assert event.notice_late is True
    assert ForceMajeure.objects.filter(pk=event.pk).exists()


def test_without_the_holiday_table_the_same_notice_would_be_late(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"])
    assert event.notice_due_on == D(2025, 4, 9)
    assert event.notice_late is True


@pytest.mark.usefixtures("holidays_2025")
def test_response_is_due_fourteen_working_days_after_receipt_skipping_labour_day(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"])
    # 21 April is day 1; 1 May (Hari Buruh) is skipped; day 14 is Friday 9 May.
    assert event.response_due_on == D(2025, 5, 9)


@pytest.mark.usefixtures("holidays_2025")
def test_deemed_agreed_fires_once_and_only_once_and_tells_both_parties(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"])
    with time_machine.travel(
        datetime.datetime(2025, 5, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    ):
        assert tasks.mark_deemed_agreed.apply().get() == {"deemed_agreed": 0}  # the last day to respond
    with time_machine.travel(
        datetime.datetime(2025, 5, 10, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    ):
        assert tasks.mark_deemed_agreed.apply().get() == {"deemed_agreed": 1}
        assert tasks.mark_deemed_agreed.apply().get() == {"deemed_agreed": 0}
    event.refresh_from_db()
    assert event.status == ForceMajeure.Status.DEEMED_AGREED
    assert event.deemed_agreed_at is not None
    told = Notification.objects.filter(key=f"clauses.fm-deemed:{event.pk}")
    assert {n.recipient.username for n in told} == {"sekretariat", "staf.disnaker", "petugas.bpjs"}
    assert "dianggap telah disetujui" in told.first().subject


@pytest.mark.usefixtures("holidays_2025")
def test_a_response_in_time_stops_the_deemed_agreement(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"])
    event.record_response(agreed=False, responded_on=D(2025, 5, 2), text="Perlu musyawarah")
    assert force_majeure_deem_agreed(today=D(2025, 6, 1)) == []
    event.refresh_from_db()
    assert event.status == ForceMajeure.Status.DISPUTED
    with pytest.raises(ClauseError):
        event.record_response(agreed=True, responded_on=D(2025, 5, 3), text="")


def test_a_notice_before_the_event_is_refused(agreement, personas) -> None:
    with pytest.raises(ClauseError):
        record(agreement, personas["secretariat"], event=D(2025, 3, 20), sent=D(2025, 3, 19), received=D(2025, 3, 19))


def test_activity_adjustment_keeps_its_reason(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"])
    adjustment = force_majeure_adjust_activity(
        event=event,
        activity=activity(agreement, "3a"),
        change="Pemeriksaan terpadu triwulan II ditunda ke triwulan III",
        reason="Lokasi terdampak banjir",
        by=personas["secretariat"],
    )
    assert event.adjustments.get() == adjustment
    assert adjustment.reason == "Lokasi terdampak banjir"
    with pytest.raises(ClauseError, match="alasannya"):
        force_majeure_adjust_activity(
            event=event, activity=activity(agreement, "3b"), change="Ditunda", reason="  ", by=personas["secretariat"]
        )
    assert event.adjustments.count() == 1
    assert mail.outbox == []  # nobody chose immediate delivery


@pytest.mark.usefixtures("holidays_2025")
def test_a_response_after_the_deadline_is_refused_because_it_is_already_deemed_agreed(agreement, personas) -> None:
    event = record(agreement, personas["secretariat"])
    with pytest.raises(ClauseError, match="9 Mei 2025"):
        event.record_response(agreed=False, responded_on=D(2025, 5, 12), text="Terlambat")
    event.record_response(agreed=False, responded_on=D(2025, 5, 9), text="Hari terakhir")
    assert ForceMajeure.objects.get().status == ForceMajeure.Status.DISPUTED
