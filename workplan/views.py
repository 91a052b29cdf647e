"""The work-plan pages: the annex, the matrix, my tasks, activity detail, reports and the review queue.

Every view parses its input, fetches protected objects through :mod:`workplan.access`, calls a
model method or a service, and renders or redirects. Workflow refusals come back as messages.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from core.pagecache import cached_page
from core.spreadsheet_safety import neutralise
from workplan import access, plan_history, progress
from workplan.fingerprint import plan_fingerprint
from workplan.forms import EvidenceForm, MatrixFilterForm, ProgressReportForm, ReturnForm, YearlyStatusForm
from workplan.models import (
    Activity,
    Agreement,
    ProgressReport,
    Quarter,
    ResponsibleUnit,
    TransitionError,
    YearlyStatus,
    quarter_due_date,
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _current_agreement() -> Agreement | None:
    return Agreement.objects.prefetch_related("parties").order_by("-signed_on").first()


@login_required
@cached_page
def plan(request: HttpRequest) -> HttpResponse:
    """The annex as a clerk reads it: programs, activities, both parties, years, funding."""
    agreement = _current_agreement()
    activities = Activity.objects.for_agreement(agreement).with_plan() if agreement else Activity.objects.none()
    years = agreement.plan_years if agreement else []
    # The table is rendered once per version of the plan (workplan/fingerprint.py): on a cache hit
    # the activities are never fetched.
    context = {"agreement": agreement, "activities": activities, "years": years, "plan_version": plan_fingerprint()}
    return TemplateResponse(request, "workplan/plan.html", context)


@login_required
@require_GET
@cached_page
def matrix(request: HtmxHttpRequest) -> HttpResponse:
    """Activities x years, coloured by the year's roll-up; filter by unit and program (htmx swaps the table)."""
    agreement = _current_agreement()
    form = MatrixFilterForm(request.GET or None)
    activities = Activity.objects.for_agreement(agreement).with_plan() if agreement else Activity.objects.none()
    unit = program = None
    if form.is_valid():
        unit, program = form.cleaned_data["unit"], form.cleaned_data["program"]
        activities = activities.for_organization(unit) if unit else activities
        activities = activities.filter(program=program) if program else activities
    years = agreement.plan_years if agreement else []
    # The table is rendered once per version of the plan and its statuses and per filter: on a cache
    # hit the rows are never built (SimpleLazyObject), see workplan/fingerprint.py.
    rows = SimpleLazyObject(lambda: _matrix_rows(list(activities), years))
    version = plan_fingerprint(also=(YearlyStatus,))
    context = {"agreement": agreement, "form": form, "years": years, "rows": rows, "unit": unit}
    context |= {"table_key": [version, unit.pk if unit else "", program.pk if program else ""]}
    template = "workplan/_matrix_table.html" if request.htmx else "workplan/matrix.html"
    return TemplateResponse(request, template, context)


def _matrix_rows(listed: list[Activity], years: list[int]) -> list[tuple[Activity, list[Any]]]:
    cells = progress.activity_years(listed, years)
    return [(activity, [cells.get((activity.pk, year)) for year in years]) for activity in listed]


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    """This year's quarterly reports the user's unit owes, up to the current triwulan, with due dates."""
    today = timezone.localdate()
    units = list(
        access.units_reportable_by(request.user).select_related(
            "organization", "responsibility__activity__program__agreement"
        )
    )
    tasks = progress.tasks_for(units=units, today=today)
    waiting = (
        access.reports_visible_to(request.user).awaiting_review().count() if access.is_reviewer(request.user) else 0
    )
    context = {"tasks": tasks, "today": today, "waiting": waiting, "can_report": bool(units)}
    return TemplateResponse(request, "workplan/tasks.html", context)


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity: both parties' units, their yearly status and quarterly reports, and the history."""
    activity = access.get_activity_for_user(request.user, pk)
    units = [u for part in activity.responsibilities.all() for u in part.units.all()]
    retired = list(
        ResponsibleUnit.objects.retired()
        .filter(responsibility__activity=activity)
        .select_related("organization", "responsibility")
    )
    reports = list(access.reports_visible_to(request.user).filter(unit__in=[*units, *retired]))
    visible_units = [u for u in units if access.may_see_unit_reports(request.user, u)]
    context = {
        "activity": activity,
        "retired": [(u, sorted((r for r in reports if r.unit_id == u.pk), key=_period)) for u in retired],
        "years": progress.activity_grid(activity, reports),
        "quarters": Quarter.choices,
        "writable": {u.pk for u in units if access.may_report_for(request.user, u)},
        "history": progress.history_of([*visible_units, *reports]),
        "status_form": YearlyStatusForm(),
    }
    return TemplateResponse(request, "workplan/activity.html", context)


@login_required
def yearly_status(request: HtmxHttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """Set one unit's status for one year (htmx: answers with the updated cell)."""
    unit = access.get_unit_for_user(request.user, unit_pk, write=True)
    form = YearlyStatusForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            progress.yearly_status_set(unit=unit, year=year, by=request.user, **form.cleaned_data)
        except TransitionError as refusal:
            error = str(refusal)
    cell = progress.activity_years([_activity_of(unit)], [year]).get((unit.responsibility.activity_id, year))
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("workplan:activity", pk=unit.responsibility.activity_id)
    unit_year = next((u for u in cell.overall.units if u.unit.pk == unit.pk), None) if cell else None
    context = {"unit_year": unit_year, "year": year, "error": error, "status_form": form, "writable": {unit.pk}}
    # 200 even for a refusal: htmx swaps only successful responses, and the fragment carries the reason.
    return TemplateResponse(request, "workplan/_unit_status.html", context)


def _period(report: ProgressReport) -> tuple[int, int]:
    return report.year, report.quarter


def _activity_of(unit: Any) -> Activity:
    return Activity.objects.with_plan().get(pk=unit.responsibility.activity_id)


@login_required
def report_new(request: HttpRequest, unit_pk: int, year: int, quarter: int) -> HttpResponse:
    """The empty form for a unit's quarter; the report is created when it is first saved."""
    unit = access.get_unit_for_user(request.user, unit_pk, write=True)
    if quarter not in Quarter.values or year not in unit.responsibility.activity.years:
        raise Http404("triwulan ini tidak ada dalam rencana kerja")
    existing = ProgressReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    if existing:
        return redirect("workplan:report", pk=existing.pk)
    if refusal := unit.not_owed_reason(year, quarter):
        messages.error(request, refusal)
        return redirect("workplan:activity", pk=unit.responsibility.activity_id)
    form = ProgressReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = progress.report_start(unit=unit, year=year, quarter=quarter, by=request.user)
            report.edit(by=request.user, **form.cleaned_data)
        except TransitionError as refusal:
            messages.error(request, str(refusal))
            return redirect("workplan:tasks")
        messages.success(request, _("Draf laporan disimpan."))
        return redirect("workplan:report", pk=report.pk)
    context = {
        "unit": unit,
        "year": year,
        "quarter": Quarter(quarter),
        "form": form,
        "due_date": quarter_due_date(year, quarter),
        "planned": plan_history.planned_for(ProgressReport(unit=unit, year=year, quarter=quarter), request.user),
    }
    return TemplateResponse(request, "workplan/report_new.html", context)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: its e-Monev fields (a form while editable), evidence, lock reason, review and history."""
    report = access.get_report_for_user(request.user, pk, write=request.method == "POST")
    form = ProgressReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report.edit(by=request.user, **form.cleaned_data)
        except TransitionError as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        messages.success(request, _("Laporan disimpan."))
        return redirect("workplan:report", pk=report.pk)
    context = {
        "report": report,
        "form": form,
        "can_edit": access.can_edit_report(request.user, report),
        "can_review": access.is_reviewer(request.user) and report.state == ProgressReport.State.SUBMITTED,
        "evidence_form": EvidenceForm(),
        "return_form": ReturnForm(),
        "evidence": list(report.evidence.select_related("uploaded_by")),
        "history": progress.history_of([report]),
        "planned": plan_history.planned_for(report, request.user),
    }
    return TemplateResponse(request, "workplan/report.html", context)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _step(request, report, lambda: report.submit(by=request.user), _("Laporan diajukan untuk verifikasi."))


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, review=True)
    return _step(request, report, lambda: report.approve(by=request.user), _("Laporan disetujui."))


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, review=True)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    message = _("Laporan dikembalikan kepada unit kerja.")
    return _step(request, report, lambda: report.return_(by=request.user, reason=reason), message)


def _step(request: HttpRequest, report: ProgressReport, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except TransitionError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("workplan:report", pk=report.pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("file", [_("Berkas tidak valid.")])))
        return redirect("workplan:report", pk=report.pk)
    upload = form.cleaned_data["file"]
    return _step(
        request,
        report,
        lambda: progress.evidence_attach(report=report, upload=upload, by=request.user),
        _("Bukti dukung %(name)s diunggah.") % {"name": upload.name},
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only here, after the access check; never from a public media URL."""
    evidence = access.get_evidence_for_user(request.user, pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=progress.CONTENT_TYPES[evidence.kind],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence_for_user(request.user, pk, write=True)
    report = evidence.report
    return _step(
        request,
        report,
        lambda: progress.evidence_remove(evidence=evidence, by=request.user),
        _("Bukti dukung dihapus."),
    )


@login_required
@require_GET
@cached_page
def review_queue(request: HttpRequest) -> HttpResponse:
    """The secretariat's queue: submitted reports, oldest first."""
    access.require_reviewer(request.user)
    reports = (
        access.reports_visible_to(request.user)
        .awaiting_review()
        .with_context()
        .annotate(evidence_count=Count("evidence"))
        .order_by("submitted_at")
    )
    return TemplateResponse(request, "workplan/review_queue.html", {"reports": reports})


EXPORT_COLUMNS = (
    "Kegiatan",
    "Pihak",
    "Unit kerja",
    "Tahun",
    "Triwulan",
    "Status kegiatan",
    "Realisasi",
    "Capaian (%)",
    "Kendala",
    "Tindak lanjut",
    "Tahap",
    "Disetujui oleh",
)


@login_required
@require_GET
def reports_export(request: HttpRequest) -> HttpResponse:
    """The reports the user may see, as CSV (one row per report), formula-safe."""
    reports = access.reports_visible_to(request.user).with_context().order_by("year", "quarter", "unit")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="laporan-triwulan.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for report in reports:
        writer.writerow([neutralise(str(value)) for value in _export_row(report)])
    return response


def _export_row(report: ProgressReport) -> list[Any]:
    part = report.unit.responsibility
    return [
        part.activity.code,
        part.get_side_display(),
        report.unit.organization.short_name,
        report.year,
        report.get_quarter_display(),
        report.get_work_status_display(),
        report.realisation,
        report.achievement if report.achievement is not None else "",
        report.obstacles,
        report.follow_up,
        report.get_state_display(),
        report.approved_by or "",
    ]
