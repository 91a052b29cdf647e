"""Termination (Pasal 13) closes schedules and keeps records; confidentiality (Pasal 10) outlives it."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from clauses.models import ClauseError, DisclosureRequest, Letter
from clauses.services import disclosure_allowed, force_majeure_record, letter_register, termination_record
from clauses.signals import agreement_terminated
from dataexchange.models import ExchangePeriod
from dataexchange.schedule import periods_open
from dataexchange.seed import streams_ensure
from notifications.registry import due_items
from tests.workplan.progress_fixtures import activity, unit_of
from workplan.due import workplan_due_items
from workplan.models import Agreement, Side, TransitionError
from workplan.progress import report_start, tasks_for

D = datetime.date


def terminate(agreement, user, **overrides):
    values = dict(
        agreement=agreement,
        number="BA/01/2027",
        ground="kesepakatan",
        ground_detail="",
        signed_on=D(2027, 6, 1),
        effective_on=D(2027, 7, 1),
        first_party_signatory="Sekretaris Daerah",
        second_party_signatory="Kepala Kanwil",
        by=user,
    )
    return termination_record(**{**values, **overrides})


def test_termination_ends_the_agreement_and_tells_listeners_after_commit(
    agreement, personas, django_capture_on_commit_callbacks
) -> None:
    heard = []

    def listener(sender, **kwargs):
        heard.append((kwargs["agreement"].pk, kwargs["effective_on"]))

    agreement_terminated.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            terminate(agreement, personas["secretariat"])
    finally:
        agreement_terminated.disconnect(listener)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED
    assert heard == [(agreement.pk, D(2027, 7, 1))]
    with pytest.raises(ClauseError):
        terminate(agreement, personas["secretariat"], number="BA/02/2027")


def test_termination_closes_the_clause_schedules(agreement, personas) -> None:
    event = force_majeure_record(
        agreement=agreement,
        affected_side=Side.FIRST,
        event_date=D(2027, 5, 3),
        description="Gempa",
        notice_number="FM/1",
        notice_sent_on=D(2027, 5, 4),
        notice_received_on=D(2027, 5, 4),
        by=personas["secretariat"],
    )
    keys = {item.key for item in due_items(until=D(2031, 1, 1))}
    assert {f"clauses.fm-response:{event.pk}", f"clauses.term-end:{agreement.pk}:20300203"} <= keys
    terminate(agreement, personas["secretariat"])
    assert [item for item in due_items(until=D(2031, 1, 1)) if item.source == "clauses"] == []
    event.refresh_from_db()
    assert event.notice_number == "FM/1"  # the record stays readable


def test_a_termination_needs_both_signatures(agreement, personas) -> None:
    with pytest.raises(ClauseError):
        terminate(agreement, personas["secretariat"], second_party_signatory=" ")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


def test_disclosure_needs_written_consent_and_survives_termination(agreement, personas) -> None:
    request = DisclosureRequest.objects.create(
        agreement=agreement,
        requesting_side=Side.FIRST,
        recipient="Badan Pusat Statistik",
        dataset="perusahaan-2c",
        purpose="Satu Data Indonesia",
        requested_on=D(2025, 6, 2),
        recorded_by=personas["secretariat"],
    )
    allowed = dict(agreement=agreement, recipient="badan pusat statistik", dataset="perusahaan-2c", on=D(2025, 7, 1))
    assert disclosure_allowed(**allowed) is False
    with pytest.raises(ClauseError):
        request.decide(consent=True, decided_on=D(2025, 6, 10), letter_number="")
    request.decide(consent=True, decided_on=D(2025, 6, 10), letter_number="B/900/062025", valid_until=D(2026, 6, 10))
    assert disclosure_allowed(**allowed) is True
    assert disclosure_allowed(**{**allowed, "dataset": "bpu-2e"}) is False
    assert disclosure_allowed(**{**allowed, "recipient": "PT Lain"}) is False
    assert disclosure_allowed(**{**allowed, "on": D(2026, 7, 1)}) is False
    terminate(agreement, personas["secretariat"])
    assert disclosure_allowed(**{**allowed, "recipient": "PT Lain"}) is False
    assert disclosure_allowed(**allowed) is True


def test_a_letter_links_to_an_activity_and_to_a_record_of_another_app(agreement, personas) -> None:
    other = personas["bpjs"]  # any model instance stands for a case or an exchange
    letter = letter_register(
        agreement=agreement,
        by=personas["secretariat"],
        number="B/1/2025",
        date=D(2025, 3, 3),
        direction=Letter.Direction.INCOMING,
        channel=Letter.Channel.EMAIL,
        sender="Kanwil BPJS",
        addressee="Kadisnakertransgi",
        subject="Data kegiatan 2a",
        activity=activity(agreement, "2a"),
        content_type=ContentType.objects.get_for_model(other),
        object_id=other.pk,
    )
    assert letter.concerns == other
    assert Letter.objects.filter(activity__letter="a", activity__program__number=2).get() == letter


def test_termination_shortens_the_term_so_later_exchange_periods_and_reports_are_not_scheduled(
    agreement, personas
) -> None:
    streams_ensure(agreement=agreement)
    assert periods_open(today=D(2027, 4, 1)) > 0  # the quarter before the termination still opens
    report_keys = {item.key for item in workplan_due_items(until=D(2029, 1, 31))}
    assert any(key.endswith(":2027:4") for key in report_keys)
    terminate(agreement, personas["secretariat"])  # effective 1 July 2027
    agreement.refresh_from_db()
    assert agreement.ends_on == D(2027, 7, 1)
    assert periods_open(today=D(2027, 10, 1)) == 0
    assert not ExchangePeriod.objects.filter(year=2027, quarter=4).exists()
    assert list(workplan_due_items(until=D(2029, 1, 31))) == []
    # even read by the term alone (the status put back), no report is owed for a quarter after it
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.IN_FORCE)
    quarters = {tuple(map(int, item.key.rsplit(":", 2)[1:])) for item in workplan_due_items(until=D(2029, 1, 31))}
    assert (2027, 3) in quarters and max(quarters) == (2027, 3)


def test_after_termination_the_tasks_stop_and_no_later_report_can_be_started(agreement, personas) -> None:
    unit = unit_of(agreement, "1a", "Disnakertransgi")
    report = report_start(unit=unit, year=2027, quarter=2, by=personas["disnaker"])
    terminate(agreement, personas["secretariat"])  # effective 1 July 2027
    unit = unit_of(agreement, "1a", "Disnakertransgi")
    assert [t.quarter for t in tasks_for(units=[unit], today=D(2027, 11, 15))] == [1, 2, 3]
    assert tasks_for(units=[unit], today=D(2028, 2, 1)) == []
    with pytest.raises(TransitionError, match="di luar jangka waktu"):
        report_start(unit=unit, year=2027, quarter=4, by=personas["disnaker"])
    assert report_start(unit=unit, year=2027, quarter=2, by=personas["disnaker"]) == report  # still readable
    client = Client()
    client.force_login(personas["disnaker"])
    refused = client.get(reverse("workplan:report-new", args=[unit.pk, 2028, 1]), follow=True)
    assert "di luar jangka waktu Nota Kesepakatan (berlaku sampai dengan 1 Juli 2027)" in refused.text
    assert client.get(reverse("workplan:report", args=[report.pk])).status_code == 200
