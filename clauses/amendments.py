"""Amendments (Pasal 15): a revised annex read, compared and applied as a numbered plan version.

The work plan itself is written by :func:`workplan.annex_sheet.workplan_import` (the shared,
all-or-nothing pipeline); this module keeps the versions. Version 0 is the plan as signed;
version n is the plan after the n-th applied amendment. A report is read against the version in
force at the end of its quarter, so it stays attached to what was planned at the time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clauses.models import Amendment, ClauseError
from clauses.services import clause_contacts
from core.formatting import join_id, tanggal
from core.rowerrors import UploadResult
from notifications.services import notify
from workplan.annex_rows import AnnexRow
from workplan.annex_sheet import read_annex_sheet, workplan_import
from workplan.models import Agreement, ProgressReport, Side, quarter_end
from workplan.services import workplan_export_rows

Row = dict[str, Any]

FIELD_LABELS = {
    "program_title": gettext_lazy("Program"),
    "activity": gettext_lazy("Tahapan kegiatan"),
    "location": gettext_lazy("Lokasi"),
    "funding": gettext_lazy("Sumber dana"),
    "years": gettext_lazy("Tahun"),
    "party1_units": gettext_lazy("Penanggung jawab PIHAK KESATU"),
    "party1_activity": gettext_lazy("Kegiatan PIHAK KESATU"),
    "party2_units": gettext_lazy("Penanggung jawab PIHAK KEDUA"),
    "party2_activity": gettext_lazy("Kegiatan PIHAK KEDUA"),
    "output": gettext_lazy("Output"),
    "outcome": gettext_lazy("Outcome"),
}


UNIT_FIELDS = ("party1_units", "party2_units")


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    added: list[str] = field(default_factory=list)  # units taken on (unit fields only)
    removed: list[str] = field(default_factory=list)  # units retired or dropped


@dataclass
class ActivityChange:
    code: str
    kind: str  # "baru", "dihapus", "diubah"
    title: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Preview:
    result: UploadResult[AnnexRow]
    changes: list[ActivityChange]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return join_id([str(v) for v in value])
    return str(value)


def plan_diff(before: list[Row], after: list[Row]) -> list[ActivityChange]:
    """Activities added, removed or changed between two plans, field by field, in annex order."""
    old, new = {r["code"]: r for r in before}, {r["code"]: r for r in after}
    changes = []
    for code in sorted(old.keys() | new.keys(), key=lambda c: (int(c[:-1] or 0), c[-1:])):
        a, b = old.get(code), new.get(code)
        if a is None and b is not None:
            changes.append(ActivityChange(code, "baru", b["activity"]))
        elif b is None and a is not None:
            changes.append(ActivityChange(code, "dihapus", a["activity"]))
        elif a is not None and b is not None:
            fields = [
                _field_change(key, str(label), a, b) for key, label in FIELD_LABELS.items() if a.get(key) != b.get(key)
            ]
            if fields:
                changes.append(ActivityChange(code, "diubah", b["activity"], fields))
    return changes


def _field_change(key: str, label: str, before: Row, after: Row) -> FieldChange:
    change = FieldChange(label, _text(before.get(key, "")), _text(after.get(key, "")))
    if key in UNIT_FIELDS:
        old, new = before.get(key) or [], after.get(key) or []
        change.added, change.removed = [u for u in new if u not in old], [u for u in old if u not in new]
    return change


def _as_export_row(row: AnnexRow) -> Row:
    """An annex row in the shape of :func:`workplan.services.workplan_export_rows`."""
    return {
        "code": f"{row.program_number}{row.letter}",
        "program": row.program_number,
        "program_title": row.program_title,
        "activity": row.title,
        "location": row.location,
        "funding": list(row.funding),
        "years": sorted(row.years),
        "party1_units": [o.name for o in row.units.get(Side.FIRST, [])],
        "party1_activity": row.texts.get(Side.FIRST, ""),
        "party2_units": [o.name for o in row.units.get(Side.SECOND, [])],
        "party2_activity": row.texts.get(Side.SECOND, ""),
        "output": row.output,
        "outcome": row.outcome,
    }


def amendment_preview(*, amendment: Amendment) -> Preview:
    """Read the amendment's annex (nothing stored) and compare it with the plan in force now.

    Activities the file does not list stay as they are, as in the annex import.
    """
    with amendment.annex_file.open("rb") as file:
        result = read_annex_sheet(file=file, filename=amendment.annex_name, agreement=amendment.agreement)
    if not result.accepted:
        return Preview(result, [])
    before = [dict(r) for r in workplan_export_rows(agreement=amendment.agreement)]
    proposed = {r["code"]: r for r in before} | {(r := _as_export_row(row))["code"]: r for row in result.items}
    return Preview(result, plan_diff(before, list(proposed.values())))


@transaction.atomic
def amendment_apply(*, amendment: Amendment, by: Any) -> Amendment:
    """Apply the amendment to the work plan as the next version; refused if the file has errors."""
    agreement = Agreement.objects.select_for_update().get(pk=amendment.agreement_id)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.status != Amendment.Status.DRAFT:
        raise ClauseError(_("Adendum ini sudah diterapkan."))
    if agreement.status == Agreement.Status.TERMINATED:
        raise ClauseError(_("Nota Kesepakatan yang telah diakhiri tidak dapat diubah."))
    before = [dict(r) for r in workplan_export_rows(agreement=agreement)]
    # A unit the addendum drops that has reports is retired from the effective date, not deleted.
    with amendment.annex_file.open("rb") as file:
        result = workplan_import(
            file=file,
            filename=amendment.annex_name,
            agreement=agreement,
            retire_on=amendment.effective_on,
            retire_basis=amendment.number,
        )
    if not result.stored:
        raise ClauseError(
            _("Lampiran adendum memuat %(n)s kesalahan; tidak ada yang diubah.") % {"n": len(result.errors)}
        )
    last = Amendment.objects.filter(agreement=agreement).applied().order_by("-version").first()
    amendment.version = (last.version or 0) + 1 if last else 1
    amendment.plan_before, amendment.plan_after = before, [dict(r) for r in workplan_export_rows(agreement=agreement)]
    amendment.status, amendment.applied_by, amendment.applied_at = Amendment.Status.APPLIED, by, timezone.now()
    amendment.save()
    subject = _("%(number)s diterapkan: rencana kerja versi %(version)s berlaku sejak %(day)s") % {
        "number": amendment.number,
        "version": amendment.version,
        "day": tanggal(amendment.effective_on),
    }
    notify(
        users=clause_contacts(agreement=agreement, day=timezone.localdate()),
        key=f"clauses.amendment:{amendment.pk}",
        subject=subject,
        url=reverse("clauses:amendment", args=[amendment.pk]),
    )
    return amendment


@dataclass
class PlanVersion:
    number: int
    label: str
    effective_on: datetime.date
    rows: list[Row]


def plan_versions(*, agreement: Agreement) -> list[PlanVersion]:
    """Version 0 (as signed) and one version per applied amendment, oldest first."""
    applied = list(Amendment.objects.filter(agreement=agreement).applied().order_by("version"))
    signed = applied[0].plan_before if applied else [dict(r) for r in workplan_export_rows(agreement=agreement)]
    versions = [PlanVersion(0, _("Rencana kerja awal (Nota Kesepakatan)"), agreement.starts_on, signed)]
    versions += [PlanVersion(a.version or 0, a.number, a.effective_on, a.plan_after) for a in applied]
    return versions


def plan_as_of(*, agreement: Agreement, day: datetime.date) -> PlanVersion:
    """The version of the work plan in force on ``day``."""
    versions = plan_versions(agreement=agreement)
    return [v for v in versions if v.number == 0 or v.effective_on <= day][-1]


def version_at(agreement: Agreement, day: datetime.date) -> int:
    """The number of the version in force on ``day`` (for ``workplan.plan_history``), in one query."""
    applied = Amendment.objects.filter(agreement=agreement, effective_on__lte=day).applied()
    return applied.aggregate(latest=Max("version"))["latest"] or 0


def _report_version(report: ProgressReport, versions: list[PlanVersion]) -> PlanVersion:
    """The version the report was made under (``plan_version``), else the one in force at its quarter's end."""
    stamped = next((v for v in versions if v.number == report.plan_version), None)
    if stamped is not None:
        return stamped
    day = quarter_end(report.year, report.quarter)
    return [v for v in versions if v.number == 0 or v.effective_on <= day][-1]


def planned_for_report(report: ProgressReport) -> Row | None:
    """What was planned for a quarterly report's activity under the version it is attached to."""
    activity = report.unit.responsibility.activity
    version = _report_version(report, plan_versions(agreement=activity.program.agreement))
    return next((row for row in version.rows if row["code"] == activity.code), None)


@dataclass
class ReportPlan:
    """What a report page shows: the activity's row under the report's version, and a later change."""

    version: PlanVersion
    row: Row | None
    changed_by: Amendment | None
    can_open: bool


def _row_of(rows: list[Row], code: str) -> Row | None:
    return next((row for row in rows if row["code"] == code), None)


def report_plan(report: ProgressReport, user: Any) -> ReportPlan:
    """The plan a report is read against, and the first later amendment that changed its activity.

    ``can_open`` says whether ``user`` may open the version and amendment pages (clauses access).
    """
    from clauses.access import can_read

    agreement = report.unit.responsibility.activity.program.agreement
    code = report.unit.responsibility.activity.code
    versions = plan_versions(agreement=agreement)
    version = _report_version(report, versions)
    later = Amendment.objects.filter(agreement=agreement, version__gt=version.number).applied().order_by("version")
    changed_by = next(
        (
            a
            for a in later
            if plan_diff(
                [r for r in a.plan_before if r["code"] == code], [r for r in a.plan_after if r["code"] == code]
            )
        ),
        None,
    )
    return ReportPlan(version, _row_of(version.rows, code), changed_by, can_read(user, agreement))
