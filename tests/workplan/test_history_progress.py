"""The append-only history (django-pghistory triggers): who, when, before and after, bulk changes included."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from tests.workplan.progress_fixtures import YEAR, filled_report, pdf_upload, personas, unit_of
from workplan import progress
from workplan.models import ProgressReport, YearlyStatus

__all__ = ["personas"]


def events_of(model, obj):
    from pghistory.models import Events

    return list(Events.objects.tracks(obj).order_by("pgh_id"))


@pytest.fixture
def report(seeded_mou, personas):
    return filled_report(unit_of(seeded_mou, "1c", "DPPKUKM"), personas["owner"])


def test_each_transition_is_recorded_with_who_and_before_after(report, personas):
    report.submit(by=personas["owner"])
    report.return_(by=personas["secretariat"], reason="Kurang foto")
    events = events_of(ProgressReport, report)
    assert [e.pgh_label for e in events] == ["insert", "update", "update"]
    submit, returned = events[1], events[2]
    assert submit.pgh_diff["state"] == ["draf", "diajukan"]
    assert submit.pgh_context["user"] == personas["owner"].pk
    assert returned.pgh_diff["state"] == ["diajukan", "dikembalikan"]
    assert returned.pgh_diff["return_reason"] == ["", "Kurang foto"]
    assert returned.pgh_context["user"] == personas["secretariat"].pk


def test_bulk_updates_are_recorded_too(seeded_mou, personas, report):
    second = filled_report(report.unit, personas["owner"], quarter=2)
    changed = ProgressReport.objects.filter(pk__in=[report.pk, second.pk]).update(obstacles="Hujan deras")
    assert changed == 2
    for obj in (report, second):
        last = events_of(ProgressReport, obj)[-1]
        assert last.pgh_label == "update" and last.pgh_diff["obstacles"] == ["", "Hujan deras"]
    with connection.cursor() as cursor:  # even raw SQL, bypassing Django entirely
        cursor.execute("UPDATE workplan_progressreport SET follow_up = 'Jadwal ulang' WHERE id = %s", [report.pk])
    assert events_of(ProgressReport, report)[-1].pgh_diff["follow_up"] == ["", "Jadwal ulang"]


def test_yearly_status_bulk_change_and_evidence_delete_are_recorded(report, personas):
    row = progress.yearly_status_set(
        unit=report.unit, year=YEAR, status="tidak_terlaksana", reason="Anggaran dialihkan", by=personas["owner"]
    )
    YearlyStatus.objects.filter(pk=row.pk).update(reason="Anggaran dipotong")
    assert events_of(YearlyStatus, row)[-1].pgh_diff["reason"] == ["Anggaran dialihkan", "Anggaran dipotong"]
    evidence = progress.evidence_attach(report=report, upload=pdf_upload(), by=personas["owner"])
    evidence_id = evidence.pk
    progress.evidence_remove(evidence=evidence, by=personas["owner"])
    labels = [row.label for row in progress.history_of([report]) if row.model == "EvidenceFile"]
    assert labels == ["delete", "insert"] and evidence_id


def test_history_cannot_be_rewritten(report, personas):
    report.submit(by=personas["owner"])
    event_model = type(events_of(ProgressReport, report)[0]).__name__  # the aggregate proxy
    assert event_model == "Events"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE workplan_progressreportevent SET state = 'disetujui'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM workplan_progressreportevent")


def test_changes_through_the_pages_record_the_user_and_url(client, report, personas):
    client.force_login(personas["owner"])
    client.post(
        reverse("workplan:report", args=[report.pk]),
        {"work_status": "berjalan", "realisation": "Diperbarui", "achievement": "90"},
    )
    last = events_of(ProgressReport, report)[-1]
    assert last.pgh_diff["realisation"] == ["Sosialisasi di 3 kecamatan, 120 peserta.", "Diperbarui"]
    assert last.pgh_context["user"] == personas["owner"].pk
    assert last.pgh_context["url"] == reverse("workplan:report", args=[report.pk])


def test_history_rows_of_other_units_do_not_leak_on_the_activity_page(client, seeded_mou, personas, report):
    report.edit(by=personas["owner"], obstacles="Rahasia DPPKUKM")
    client.force_login(personas["other"])
    page = client.get(reverse("workplan:activity", args=[report.unit.responsibility.activity_id])).text
    assert "Rahasia DPPKUKM" not in page
    client.force_login(personas["secretariat"])
    page = client.get(reverse("workplan:activity", args=[report.unit.responsibility.activity_id])).text
    assert "Rahasia DPPKUKM" in page


def test_reference_data_changes_are_recorded_even_in_bulk(seeded_mou):
    from workplan.models import Activity, Organization

    dinsos = Organization.objects.get(short_name="Dinsos")
    assert [e.pgh_label for e in events_of(Organization, dinsos)] == ["insert"]
    Organization.objects.filter(pk=dinsos.pk).update(email="dinsos@jakarta.go.id")
    assert events_of(Organization, dinsos)[-1].pgh_diff["email"] == ["", "dinsos@jakarta.go.id"]
    count = Activity.objects.filter(program__number=1).update(location="DKI Jakarta")
    touched = Activity.objects.filter(program__number=1).first()
    assert count == 6 and events_of(Activity, touched)[-1].pgh_diff["location"] == [
        "Provinsi DKI Jakarta",
        "DKI Jakarta",
    ]
