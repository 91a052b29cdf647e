"""The evaluation pages: report history and generation, one report with its progress and sign-off,
the public verification page, the dashboard and its exports.

Every view fetches through :mod:`evaluation.access`, then calls one model method or service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compliance.access import cases_for_user
from evaluation import access, dashboard, services
from evaluation.forms import DashboardFilterForm, GenerateForm, RecommendationsForm, VerifyForm
from evaluation.models import EvaluationReport, ReportRefused
from workplan.access import reports_visible_to as reports_visible_to_user
from workplan.models import Agreement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _agreement() -> Agreement:
    agreement = Agreement.objects.order_by("-signed_on").first()
    if agreement is None:
        raise Http404("belum ada nota kesepakatan")
    return agreement


def _default_year(agreement: Agreement) -> int:
    last_year = timezone.localdate().year - 1
    years = agreement.plan_years
    return last_year if last_year in years else years[0]


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """Every generated version, newest first; the secretariat asks for a new one here."""
    agreement = _agreement()
    form = GenerateForm(request.POST or None, years=agreement.plan_years, initial={"year": _default_year(agreement)})
    if request.method == "POST":
        access.require_secretariat(request.user)
        if form.is_valid():
            report = services.report_request(agreement=agreement, year=form.cleaned_data["year"], by=request.user)
            messages.info(request, _("Laporan sedang dibuat. Halaman ini memberi tahu saat siap."))
            return redirect("evaluation:report", pk=report.pk)
    reports = access.reports_visible_to(request.user).filter(agreement=agreement).history()
    context = {"reports": reports, "form": form, "can_generate": access.is_secretariat(request.user)}
    return TemplateResponse(request, "evaluation/report_list.html", context)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    user = request.user
    context = {
        "report": report,
        "approvals": list(report.approvals.select_related("approved_by")),
        "can_manage": access.is_secretariat(user),
        "can_approve": access.may_approve(user) and report.state == EvaluationReport.State.FINAL,
        "form": RecommendationsForm(initial={"recommendations": report.recommendations}),
    }
    return TemplateResponse(request, "evaluation/report_detail.html", context)


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx fragment polled while the PDF renders; it stops polling once the report is ready or failed."""
    report = access.get_report_for_user(request.user, pk)
    return TemplateResponse(request, "evaluation/_status.html", {"report": report})


@login_required
@require_POST
def report_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, manage=True)
    form = RecommendationsForm(request.POST)
    if form.is_valid():
        try:
            services.report_update_recommendations(
                report=report, text=form.cleaned_data["recommendations"], by=request.user
            )
            messages.success(request, _("Rekomendasi disimpan; PDF dibuat ulang dari data yang sama."))
        except ReportRefused as refusal:
            messages.error(request, str(refusal))
    return redirect("evaluation:report", pk=report.pk)


@login_required
@require_POST
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, manage=True)
    try:
        report.finalise(by=request.user)
        messages.success(request, _("Versi ini final dan menunggu persetujuan PARA PIHAK."))
    except ReportRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("evaluation:report", pk=report.pk)


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, approve=True)
    try:
        services.report_approve(report=report, by=request.user)
        messages.success(request, _("Persetujuan Anda dicatat."))
    except ReportRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("evaluation:report", pk=report.pk)


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = access.get_report_for_user(request.user, pk)
    if not report.pdf:
        raise Http404("PDF belum dibuat")
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=report.filename)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str | None = None) -> HttpResponse:
    """Public: a report's fingerprint (from the QR code), and whether an uploaded PDF is the approved one."""
    report = EvaluationReport.objects.select_related("agreement").filter(token=token).first() if token else None
    if token and report is None:
        raise Http404("kode verifikasi tidak dikenal")
    form = VerifyForm(request.POST or None, request.FILES or None)
    checked, match = False, None
    if request.method == "POST" and form.is_valid():
        checked = True
        match = services.report_verify(data=form.cleaned_data["file"].read())
    context = {"report": report, "form": form, "checked": checked, "match": match}
    return TemplateResponse(request, "evaluation/verify.html", context)


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Activities x years x units with the report's charts; htmx swaps the body when a filter changes."""
    access.require_dashboard(request.user)
    agreement = _agreement()
    form = DashboardFilterForm(request.GET or None, years=agreement.plan_years)
    year = program = unit = None
    if form.is_valid():
        year, program, unit = (form.cleaned_data[name] for name in ("year", "program", "unit"))
    years = [year] if year else agreement.plan_years
    chart_year = year or _default_year(agreement)
    context = {
        "form": form,
        "years": years,
        "chart_year": chart_year,
        "rows": dashboard.matrix_rows(agreement, years, program=program, unit=unit),
        "overview": dashboard.year_overview(agreement, chart_year),
    }
    template = "evaluation/_dashboard_body.html" if getattr(request, "htmx", False) else "evaluation/dashboard.html"
    return TemplateResponse(request, template, context)


@login_required
@require_GET
def export_matrix(request: HttpRequest) -> HttpResponse:
    access.require_dashboard(request.user)
    agreement = _agreement()
    data = dashboard.matrix_xlsx(agreement, agreement.plan_years)
    return _xlsx(data, f"matriks-rencana-kerja-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def export_quarters(request: HttpRequest, year: int) -> HttpResponse:
    access.require_dashboard(request.user)
    agreement = _agreement()
    if year not in agreement.plan_years:
        raise Http404("tahun di luar jangka waktu")
    reports = reports_visible_to_user(request.user)
    return _xlsx(dashboard.quarters_xlsx(agreement, year, reports=reports), f"progres-triwulan-{year}.xlsx")


def _xlsx(data: bytes, filename: str, *, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_cases(request: HttpRequest, year: int, file_format: str) -> HttpResponse:
    """The year's compliance cases (the report's annex) as XLSX or CSV, within the reader's case scope."""
    access.require_dashboard(request.user)
    agreement = _agreement()
    if year not in agreement.plan_years or file_format not in {"xlsx", "csv"}:
        raise Http404("tahun atau format tidak dikenal")
    cases = cases_for_user(request.user)
    filename = f"kasus-kepatuhan-{year}.{file_format}"
    if file_format == "csv":
        return _xlsx(dashboard.cases_csv(agreement, year, cases=cases), filename, content_type=CSV)
    return _xlsx(dashboard.cases_xlsx(agreement, year, cases=cases), filename)
