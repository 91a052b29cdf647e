"""Work on progress reports that spans models: evidence files, the yearly status, roll-ups, tasks, history.

The rules of one report (its workflow) are methods of :class:`~workplan.models.ProgressReport`;
who may call what is decided in :mod:`workplan.access` before any of these functions run.
"""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.upload_checks import UploadLimits, UploadRejected, check_zip_directory
from core.workdays import WorkdayCalendar
from workplan import plan_history
from workplan.models import (
    Activity,
    EvidenceFile,
    ProgressReport,
    Quarter,
    ResponsibleUnit,
    TransitionError,
    WorkStatus,
    YearlyStatus,
    quarter_end,
    quarter_of,
)

# --- Evidence files (bukti dukung) ---

# The kinds accepted, by what the content is, with the file-name extensions each may carry.
EVIDENCE_KINDS: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf",),
    "jpg": ("jpg", "jpeg"),
    "png": ("png",),
    "xlsx": ("xlsx",),
    "docx": ("docx",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# A PDF ends with "%%EOF", and readers look for it only in the last 1024 bytes (the PDF Reference's
# note on the file trailer). A file cut off in the export or the upload has none there: refused, so
# the secretariat never receives a bukti dukung that will not open. Only that tail is read.
PDF_TAIL = 1024


class EvidenceRejected(ValueError):
    """An upload that is too large, of a type not allowed, damaged or already attached; the message says which."""


def sniff_kind(upload: UploadedFile) -> str | None:
    """What the file really is, from its first bytes (and, for Office files, the ZIP's contents)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _office_kind(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None  # damaged: an unknown zip version or a cut-off directory is no office file either
    finally:
        upload.seek(0)
    try:  # the same zip-bomb guard as the uploaded lists: a reader who opens it must not be flooded
        check_zip_directory(entries, size=max(upload.size or 0, 1), limits=UploadLimits.from_settings())
    except UploadRejected as error:
        raise EvidenceRejected(
            _("Berkas ditolak: isinya setelah dibuka terlalu besar atau rasio kompresinya tidak wajar.")
        ) from error
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def _pdf_is_whole(upload: UploadedFile) -> bool:
    upload.seek(max((upload.size or 0) - PDF_TAIL, 0))
    tail = upload.read(PDF_TAIL)
    upload.seek(0)
    return b"%%EOF" in tail


def evidence_check(upload: UploadedFile) -> tuple[str, str]:
    """The kind and SHA-256 of an acceptable upload; :class:`EvidenceRejected` otherwise."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise EvidenceRejected(_("Berkas melebihi batas %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    if upload.size == 0:
        raise EvidenceRejected(_("Berkas kosong."))
    kind = sniff_kind(upload)
    allowed = ", ".join(EVIDENCE_KINDS)
    if kind is None:
        raise EvidenceRejected(_("Jenis berkas tidak diizinkan. Yang diterima: %(kinds)s.") % {"kinds": allowed})
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    if extension not in EVIDENCE_KINDS[kind]:
        raise EvidenceRejected(
            _("Isi berkas adalah %(kind)s, tetapi namanya berakhiran .%(ext)s.") % {"kind": kind, "ext": extension}
        )
    if kind == "pdf" and not _pdf_is_whole(upload):
        raise EvidenceRejected(
            _("Berkas PDF tidak utuh atau rusak; simpan ulang atau ekspor ulang PDF-nya lalu unggah lagi.")
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


@transaction.atomic
def evidence_attach(*, report: ProgressReport, upload: UploadedFile, by: Any) -> EvidenceFile:
    """Attach a checked file to a report that can still be edited."""
    if not report.is_editable:
        raise TransitionError(report.lock_reason)
    kind, sha256 = evidence_check(upload)
    if report.evidence.filter(sha256=sha256).exists():
        raise EvidenceRejected(_("Berkas yang sama sudah dilampirkan pada laporan ini."))
    with pghistory.context(user=by.pk):
        return EvidenceFile.objects.create(
            report=report,
            file=upload,
            original_name=(upload.name or "")[:255],
            kind=kind,
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=by,
        )


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, by: Any) -> None:
    """Remove a file from a report that can still be edited; the history keeps its record."""
    if not evidence.report.is_editable:
        raise TransitionError(evidence.report.lock_reason)
    stored = evidence.file
    with pghistory.context(user=by.pk):
        evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# --- Reports ---


@transaction.atomic
def report_start(*, unit: ResponsibleUnit, year: int, quarter: int, by: Any) -> ProgressReport:
    """The unit's report for the quarter, created as a draft the first time it is opened for writing.

    A new report records the work-plan version in force at the end of its triwulan
    (:mod:`workplan.plan_history`), so it stays attached to what was planned at the time.
    """
    activity = unit.responsibility.activity
    if year not in activity.years:
        raise TransitionError(
            _("Kegiatan %(code)s tidak dijadwalkan pada tahun %(year)s.") % {"code": activity.code, "year": year}
        )
    if quarter not in Quarter.values:
        raise TransitionError(_("Triwulan harus 1 sampai 4."))
    existing = ProgressReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    if existing:
        return existing
    if refusal := unit.not_owed_reason(year, quarter):
        raise TransitionError(refusal)
    version = plan_history.version_for(unit=unit, year=year, quarter=quarter)
    with pghistory.context(user=by.pk):
        report, _created = ProgressReport.objects.get_or_create(
            unit=unit, year=year, quarter=quarter, defaults={"created_by": by, "plan_version": version}
        )
    return report


# --- Yearly status and the roll-up ---


def yearly_status_refusal(
    *, unit: ResponsibleUnit, year: int, status: str, reason: str, reports: Iterable[ProgressReport]
) -> str | None:
    """Why ``status`` cannot be set for the unit and year, given its quarterly reports; ``None`` if it can."""
    if year not in unit.responsibility.activity.years:
        return _("Kegiatan ini tidak dijadwalkan pada tahun %(year)s.") % {"year": year}
    if not unit.owes(year, 1) and not unit.owes(year, 4):
        return unit.not_owed_reason(year, 1) or unit.not_owed_reason(year, 4)
    reports = [r for r in reports if r.year == year]
    approved = [r for r in reports if r.state == ProgressReport.State.APPROVED]
    if status == WorkStatus.DONE and not any(r.work_status == WorkStatus.DONE for r in approved):
        return _(
            "Status “Selesai” memerlukan laporan triwulan tahun ini yang sudah disetujui sekretariat "
            "dengan status kegiatan “Selesai”."
        )
    if status == WorkStatus.IN_PROGRESS and not any(r.state != ProgressReport.State.DRAFT for r in reports):
        return _("Status “Sedang berjalan” memerlukan sedikitnya satu laporan triwulan yang sudah diajukan.")
    if status == WorkStatus.PLANNED and approved:
        return _("Status “Direncanakan” tidak dapat dipilih: sudah ada laporan triwulan yang disetujui.")
    if status == WorkStatus.NOT_DONE:
        if not reason.strip():
            return _("Status “Tidak terlaksana” wajib disertai alasan.")
        if any(r.work_status == WorkStatus.DONE for r in approved):
            return _("Laporan triwulan yang disetujui menyatakan kegiatan ini selesai.")
    return None


@transaction.atomic
def yearly_status_set(*, unit: ResponsibleUnit, year: int, status: str, reason: str, by: Any) -> YearlyStatus:
    """Set the unit's status for the year, after checking it against the unit's quarterly reports."""
    reports = list(unit.reports.filter(year=year))
    refusal = yearly_status_refusal(unit=unit, year=year, status=status, reason=reason, reports=reports)
    if refusal:
        raise TransitionError(refusal)
    with pghistory.context(user=by.pk):
        row, _created = YearlyStatus.objects.update_or_create(
            unit=unit, year=year, defaults={"status": status, "reason": reason.strip(), "set_by": by}
        )
    return row


@dataclass
class UnitYear:
    """One responsible unit's status for one year (``planned`` when nobody has set it)."""

    unit: ResponsibleUnit
    status: str = WorkStatus.PLANNED
    reason: str = ""

    @property
    def label(self) -> str:
        return str(WorkStatus(self.status).label)


@dataclass
class Rollup:
    """The year's status of an activity or of one party's half: done only when every unit is done."""

    status: str
    units: list[UnitYear] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(WorkStatus(self.status).label)

    @property
    def holding_up(self) -> list[UnitYear]:
        return [u for u in self.units if u.status != WorkStatus.DONE]


def rollup(units: list[UnitYear]) -> Rollup:
    statuses = {u.status for u in units}
    if units and statuses == {WorkStatus.DONE}:
        status = WorkStatus.DONE
    elif WorkStatus.NOT_DONE in statuses:
        status = WorkStatus.NOT_DONE
    elif statuses & {WorkStatus.IN_PROGRESS, WorkStatus.DONE}:
        status = WorkStatus.IN_PROGRESS
    else:
        status = WorkStatus.PLANNED
    return Rollup(status=status, units=units)


@dataclass
class ActivityYear:
    activity: Activity
    year: int
    overall: Rollup
    parties: dict[int, Rollup]


def activity_years(activities: list[Activity], years: list[int]) -> dict[tuple[int, int], ActivityYear]:
    """The roll-up of every activity in every year it is planned, in one query for the statuses.

    ``activities`` must come with their responsibilities and units prefetched (``with_plan()``).
    """
    unit_ids = [u.pk for a in activities for r in a.responsibilities.all() for u in r.units.all()]
    stored = {(s.unit_id, s.year): s for s in YearlyStatus.objects.filter(unit_id__in=unit_ids, year__in=years)}
    result = {}
    for activity in activities:
        for year in years:
            if year in activity.years:
                result[(activity.pk, year)] = _activity_year(activity, year, stored)
    return result


def _activity_year(activity: Activity, year: int, stored: dict[tuple[int, int], YearlyStatus]) -> ActivityYear:
    parties = {}
    for part in activity.responsibilities.all():
        unit_years = []
        for unit in part.units.all():
            row = stored.get((unit.pk, year))
            unit_years.append(UnitYear(unit, row.status, row.reason) if row else UnitYear(unit))
        parties[part.side] = rollup(unit_years)
    overall = rollup([u for party in parties.values() for u in party.units])
    return ActivityYear(activity=activity, year=year, overall=overall, parties=parties)


QuarterRow = tuple[UnitYear, list[ProgressReport | None]]


def activity_grid(
    activity: Activity, reports: list[ProgressReport]
) -> list[tuple[int, ActivityYear, list[tuple[Any, Rollup, list[QuarterRow]]]]]:
    """For each planned year: the roll-up and, per party, each unit's status and its four quarters' reports.

    ``reports`` are the ones the viewer may see; the other quarters come out as ``None``.
    """
    cells = activity_years([activity], list(activity.years))
    found = {(r.unit_id, r.year, r.quarter): r for r in reports}
    grid = []
    for year in activity.years:
        cell = cells[(activity.pk, year)]
        parties = []
        for part in activity.responsibilities.all():
            rollup_ = cell.parties[part.side]
            rows = [(u, [found.get((u.unit.pk, year, q)) for q in Quarter.values]) for u in rollup_.units]
            parties.append((part, rollup_, rows))
        grid.append((year, cell, parties))
    return grid


# --- My tasks ---


@dataclass
class Task:
    unit: ResponsibleUnit
    year: int
    quarter: int
    due_date: datetime.date
    report: ProgressReport | None
    overdue: bool

    @property
    def quarter_label(self) -> str:
        return str(Quarter(self.quarter).label)


def tasks_for(*, units: list[ResponsibleUnit], today: datetime.date) -> list[Task]:
    """The quarterly reports these units owe this year, up to the current triwulan, with due dates.

    A quarter's row stays until its report is approved; the current quarter is always shown, except
    after the agreement's term (a termination shortens it) and to a unit an amendment retired,
    which owes nothing from the triwulan it left in.
    ``units`` must come with ``organization`` and ``responsibility__activity__program__agreement`` loaded.
    """
    year, current = today.year, quarter_of(today)
    units = [u for u in units if year in u.responsibility.activity.years]
    reports = {
        (r.unit_id, r.quarter): r for r in ProgressReport.objects.filter(unit__in=units, year=year).select_related()
    }
    days = settings.PROGRESS_REPORT_DUE_WORKING_DAYS
    calendar = WorkdayCalendar(quarter_end(year, 1), quarter_end(year, 4) + datetime.timedelta(days=days * 2 + 30))
    due = {q: calendar.add(quarter_end(year, q), days) for q in range(1, current + 1)}
    tasks = []
    for unit in units:
        for quarter in (q for q in range(1, current + 1) if unit.owes(year, q)):
            report = reports.get((unit.pk, quarter))
            done = report is not None and report.state == ProgressReport.State.APPROVED
            if quarter == current or not done:
                pending = report is None or report.is_editable
                tasks.append(Task(unit, year, quarter, due[quarter], report, pending and due[quarter] < today))
    return sorted(tasks, key=lambda t: (t.due_date, t.unit.responsibility.activity_id, t.unit.position))


# --- History ---


@dataclass
class HistoryRow:
    when: datetime.datetime
    label: str
    model: str
    object_id: str
    who: Any
    changes: list[tuple[str, Any, Any]]


def history_of(objects: list[Any], *, limit: int = 200) -> list[HistoryRow]:
    """Every recorded change of ``objects`` and of rows that point at them, newest first, with who did it."""
    by_model: dict[type, list[Any]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    found = {}  # pghistory's references() takes one model at a time; an event may match twice
    for group in by_model.values():
        for event in pghistory.models.Events.objects.references(group).order_by("-pgh_id")[:limit]:
            found[event.pgh_slug] = event
    events = sorted(found.values(), key=lambda e: (e.pgh_created_at, e.pgh_id), reverse=True)[:limit]
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    users = get_user_model().objects.in_bulk([pk for pk in user_ids if pk])
    return [
        HistoryRow(
            when=e.pgh_created_at,
            label=e.pgh_label,
            model=e.pgh_model.rsplit(".", 1)[-1].removesuffix("Event"),
            object_id=e.pgh_obj_id or "",
            who=users.get((e.pgh_context or {}).get("user")),
            changes=[
                (name, pair[0], pair[1]) for name, pair in sorted((e.pgh_diff or {}).items()) if name != "updated_at"
            ],
        )
        for e in events
    ]


def units_by_activity(units: Iterable[ResponsibleUnit]) -> dict[int, list[ResponsibleUnit]]:
    grouped: dict[int, list[ResponsibleUnit]] = defaultdict(list)
    for unit in units:
        grouped[unit.responsibility.activity_id].append(unit)
    return grouped
