"""The quarterly report's workflow, evidence checks, due dates, yearly status and roll-up (no HTTP)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from core.models import Holiday
from tests.workplan.progress_fixtures import (
    PNG_BYTES,
    YEAR,
    activity,
    filled_report,
    office_upload,
    pdf_upload,
    personas,
    unit_of,
)
from workplan import progress
from workplan.models import ProgressReport, TransitionError, WorkStatus, quarter_due_date, quarter_end
from workplan.progress import EvidenceRejected

__all__ = ["personas"]
State = ProgressReport.State


@pytest.fixture
def report(seeded_mou, personas):
    return filled_report(unit_of(seeded_mou, "1c", "DPPKUKM"), personas["owner"])


def test_submit_then_approve_records_who_and_when_and_locks(report, personas):
    report.submit(by=personas["owner"])
    assert report.state == State.SUBMITTED and report.submitted_by == personas["owner"]
    report.approve(by=personas["secretariat"])
    report.refresh_from_db()
    assert report.state == State.APPROVED
    assert report.approved_by == personas["secretariat"] and report.approved_at is not None
    assert not report.is_editable
    assert "disetujui oleh sekretariat" in report.lock_reason
    with pytest.raises(TransitionError, match="Terkunci"):
        report.edit(by=personas["owner"], realisation="diubah")


def test_return_needs_a_reason_and_the_returned_report_can_be_fixed_and_resubmitted(report, personas):
    report.submit(by=personas["owner"])
    with pytest.raises(TransitionError, match="Alasan pengembalian wajib"):
        report.return_(by=personas["secretariat"], reason="  ")
    report.return_(by=personas["secretariat"], reason="Lampirkan daftar hadir.")
    assert report.state == State.RETURNED and report.return_reason == "Lampirkan daftar hadir."
    report.edit(by=personas["owner"], achievement=Decimal("80"))
    report.submit(by=personas["owner"])
    assert report.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("step", "who", "message"),
    [
        ("submit", "secretariat", "Peran Sekretariat"),
        ("submit", "leadership", "Peran Pimpinan"),
        ("submit", "followup", "Peran Staf instansi"),
        ("submit", "other", "unit kerja Anda sendiri"),
        ("approve", "owner", "Peran Staf perangkat daerah"),
        ("approve", "leadership", "Peran Pimpinan"),
        ("approve", "secretariat", "tidak dapat diproses"),  # still a draft
    ],
)
def test_transitions_refused_by_role_ownership_or_state(report, personas, step, who, message):
    with pytest.raises(TransitionError, match=message):
        report.check_transition(step, personas[who])


def test_submit_needs_realisation_and_achievement(seeded_mou, personas):
    report = filled_report(unit_of(seeded_mou, "1c", "DPPKUKM"), personas["owner"], achievement=None)
    with pytest.raises(TransitionError, match="Isi realisasi"):
        report.submit(by=personas["owner"])
    assert ProgressReport.objects.get(pk=report.pk).state == State.DRAFT


def test_bpjs_officer_submits_for_the_bpjs_unit_but_not_a_dinas_unit(seeded_mou, personas):
    bpjs_report = filled_report(unit_of(seeded_mou, "1c", "BPJS Kanwil DKI"), personas["bpjs"])
    bpjs_report.submit(by=personas["bpjs"])
    dinas_report = filled_report(unit_of(seeded_mou, "1c", "Dishub"), personas["other"])
    with pytest.raises(TransitionError):
        dinas_report.submit(by=personas["bpjs"])


def test_database_refuses_a_second_report_for_the_same_quarter_and_bad_values(report, personas):
    with transaction.atomic(), pytest.raises(IntegrityError):
        filled_report(report.unit, personas["owner"])
    with transaction.atomic(), pytest.raises(IntegrityError):
        filled_report(report.unit, personas["owner"], quarter=2, achievement=Decimal("100.01"))
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgressReport.objects.filter(pk=report.pk).update(state=State.RETURNED, return_reason="")


def test_quarter_end_and_due_date_in_working_days(db):
    assert quarter_end(2025, 1) == datetime.date(2025, 3, 31)
    assert quarter_end(2025, 4) == datetime.date(2025, 12, 31)
    # 10 working days after Monday 30 June 2025 with no holidays loaded: Monday 14 July.
    assert quarter_due_date(2025, 2) == datetime.date(2025, 7, 14)
    Holiday.objects.create(date=datetime.date(2025, 7, 8), name="Libur uji")
    assert quarter_due_date(2025, 2) == datetime.date(2025, 7, 15)


@override_settings(PROGRESS_REPORT_DUE_WORKING_DAYS=3)
def test_due_date_follows_the_setting(db):
    assert quarter_due_date(2025, 3) == datetime.date(2025, 10, 3)


# --- Evidence ---


def test_evidence_is_checked_by_content_and_hashed(report, personas):
    evidence = progress.evidence_attach(report=report, upload=pdf_upload(), by=personas["owner"])
    assert evidence.kind == "pdf" and len(evidence.sha256) == 64 and evidence.size > 0
    assert evidence.file.name.startswith("bukti-dukung/") and "daftar-hadir" not in evidence.file.name
    with pytest.raises(EvidenceRejected, match="sudah dilampirkan"):
        progress.evidence_attach(report=report, upload=pdf_upload("salinan.pdf"), by=personas["owner"])


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        (lambda: pdf_upload("foto.png", PNG_BYTES), "png"),
        (lambda: office_upload("rekap.xlsx", "xl/workbook.xml"), "xlsx"),
        (lambda: office_upload("berita-acara.docx", "word/document.xml"), "docx"),
        (lambda: pdf_upload("foto.JPEG", b"\xff\xd8\xff\xe0" + b"0" * 20), "jpg"),
    ],
)
def test_allowed_kinds(upload, kind):
    assert progress.evidence_check(upload())[0] == kind


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf_upload("skrip.pdf", b"#!/bin/sh\nrm -rf /\n"), "tidak diizinkan"),
        (lambda: pdf_upload("foto.jpg"), "Isi berkas adalah pdf"),  # a PDF named .jpg
        (lambda: office_upload("arsip.xlsx", "lain.xml"), "tidak diizinkan"),  # a plain ZIP
        (lambda: pdf_upload("kosong.pdf", b""), "kosong"),
    ],
)
def test_refused_kinds(upload, message):
    with pytest.raises(EvidenceRejected, match=message):
        progress.evidence_check(upload())


@override_settings(EVIDENCE_MAX_BYTES=1024 * 1024)
def test_evidence_size_limit():
    with pytest.raises(EvidenceRejected, match="melebihi batas 1 MB"):
        progress.evidence_check(pdf_upload(content=b"%PDF-" + b"0" * 1024 * 1024))


def test_no_evidence_changes_once_submitted(report, personas):
    evidence = progress.evidence_attach(report=report, upload=pdf_upload(), by=personas["owner"])
    report.submit(by=personas["owner"])
    with pytest.raises(TransitionError, match="verifikasi"):
        progress.evidence_attach(report=report, upload=pdf_upload("lain.pdf", PNG_BYTES), by=personas["owner"])
    with pytest.raises(TransitionError):
        progress.evidence_remove(evidence=evidence, by=personas["owner"])


# --- Yearly status and roll-up ---


def test_done_needs_an_approved_report_saying_done(report, personas):
    unit = report.unit
    with pytest.raises(TransitionError, match="sudah disetujui"):
        progress.yearly_status_set(unit=unit, year=YEAR, status=WorkStatus.DONE, reason="", by=personas["owner"])
    report.work_status = WorkStatus.DONE
    report.save()
    report.submit(by=personas["owner"])
    with pytest.raises(TransitionError, match="sudah disetujui"):
        progress.yearly_status_set(unit=unit, year=YEAR, status=WorkStatus.DONE, reason="", by=personas["owner"])
    report.approve(by=personas["secretariat"])
    row = progress.yearly_status_set(unit=unit, year=YEAR, status=WorkStatus.DONE, reason="", by=personas["owner"])
    assert row.status == WorkStatus.DONE and row.set_by == personas["owner"]


def test_in_progress_needs_a_submitted_report_and_not_done_needs_a_reason(report, personas):
    unit = report.unit
    with pytest.raises(TransitionError, match="sudah diajukan"):
        progress.yearly_status_set(unit=unit, year=YEAR, status=WorkStatus.IN_PROGRESS, reason="", by=personas["owner"])
    with pytest.raises(TransitionError, match="wajib disertai alasan"):
        progress.yearly_status_set(unit=unit, year=YEAR, status=WorkStatus.NOT_DONE, reason=" ", by=personas["owner"])
    row = progress.yearly_status_set(
        unit=unit, year=YEAR, status=WorkStatus.NOT_DONE, reason="Anggaran dialihkan.", by=personas["owner"]
    )
    assert row.reason == "Anggaran dialihkan."
    report.submit(by=personas["owner"])
    progress.yearly_status_set(unit=unit, year=YEAR, status=WorkStatus.IN_PROGRESS, reason="", by=personas["owner"])


def test_rollup_is_done_only_when_every_unit_of_both_parties_is_done(seeded_mou, personas):
    c1 = activity(seeded_mou, "1c")
    units = [u for r in c1.responsibilities.all() for u in r.units.all()]
    assert len(units) == 8
    from workplan.models import YearlyStatus

    for unit in units[:-1]:
        YearlyStatus.objects.create(unit=unit, year=YEAR, status=WorkStatus.DONE, set_by=personas["secretariat"])
    activities = list(type(c1).objects.filter(pk=c1.pk).with_plan())
    cell = progress.activity_years(activities, [YEAR])[(c1.pk, YEAR)]
    assert cell.overall.status == WorkStatus.IN_PROGRESS
    assert cell.parties[1].status == WorkStatus.DONE
    assert cell.parties[2].status == WorkStatus.PLANNED
    assert [u.unit.organization.short_name for u in cell.overall.holding_up] == ["BPJS Kanwil DKI"]
    YearlyStatus.objects.create(unit=units[-1], year=YEAR, status=WorkStatus.DONE, set_by=personas["bpjs"])
    cell = progress.activity_years(activities, [YEAR])[(c1.pk, YEAR)]
    assert cell.overall.status == WorkStatus.DONE and cell.overall.holding_up == []


def test_rollup_not_done_wins_over_in_progress():
    make = progress.UnitYear
    assert progress.rollup([make(None, "selesai"), make(None, "tidak_terlaksana", "x")]).status == "tidak_terlaksana"
    assert progress.rollup([make(None, "selesai"), make(None)]).status == "berjalan"
    assert progress.rollup([make(None), make(None)]).status == "direncanakan"
    assert progress.rollup([]).status == "direncanakan"


def test_tasks_list_open_quarters_with_due_dates(report, personas):
    unit = report.unit
    today = datetime.date(YEAR, 8, 1)  # triwulan III; Q1 is a draft, Q2 has no report
    tasks = progress.tasks_for(units=[unit], today=today)
    assert [(t.quarter, t.overdue) for t in tasks] == [(1, True), (2, True), (3, False)]
    assert tasks[0].report == report and tasks[1].report is None
    report.submit(by=personas["owner"])
    report.approve(by=personas["secretariat"])
    assert [t.quarter for t in progress.tasks_for(units=[unit], today=today)] == [2, 3]


@pytest.mark.parametrize(
    ("achievement", "band"),
    [
        ("100", "Sangat Baik"),
        ("91", "Sangat Baik"),
        ("90.99", "Baik"),
        ("76", "Baik"),
        ("66", "Cukup"),
        ("51", "Kurang"),
        ("50.99", "Sangat Kurang"),
        ("0", "Sangat Kurang"),
        (None, ""),
    ],
)
def test_achievement_band(achievement, band):
    report = ProgressReport(achievement=Decimal(achievement) if achievement else None)
    assert report.achievement_band == band


def test_timeliness_counts_from_the_first_submission(report, personas):
    import time_machine

    # Q1 2025 is due 10 working days after 31 March: 14 April 2025 (no holidays loaded).
    with time_machine.travel(datetime.datetime(2025, 4, 14, 16, tzinfo=datetime.UTC)):  # 23.00 WIB, still on time
        report.submit(by=personas["owner"])
    first = report.first_submitted_at
    assert not report.submitted_late
    report.return_(by=personas["secretariat"], reason="Tambah foto")
    with time_machine.travel(datetime.datetime(2025, 5, 2, 3, tzinfo=datetime.UTC)):
        report.submit(by=personas["owner"])
    assert report.first_submitted_at == first and report.submitted_at > first
    assert not report.submitted_late
    late = filled_report(report.unit, personas["owner"], quarter=2)
    with time_machine.travel(datetime.datetime(2025, 7, 14, 17, 30, tzinfo=datetime.UTC)):  # 15 July 00.30 WIB
        late.submit(by=personas["owner"])
    assert late.submitted_late
