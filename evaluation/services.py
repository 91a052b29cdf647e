"""Work on the annual report that spans models or has side effects: versions, rendering, schedule, checks.

Rules of one report (recommendations, finalising, approvals) are methods of
:class:`~evaluation.models.EvaluationReport`; who may call what is decided in
:mod:`evaluation.access`. Rendering goes through :func:`core.pdf.render_pdf`, whose fetcher
serves only the project's static files.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import Any

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from evaluation import charts, rendering
from evaluation.models import EvaluationReport, ReportApproval, ReportRefused
from evaluation.snapshot import snapshot_build
from workplan.models import Agreement

SCHEDULE_TASK_NAME = "evaluation-annual-report"
SCHEDULE_TASK = "evaluation.tasks.generate_due_reports"


def _enqueue(report: EvaluationReport) -> None:
    from evaluation.tasks import generate_report

    transaction.on_commit(lambda: generate_report.delay(report.pk))


# --- Versions ---


@transaction.atomic
def report_request(*, agreement: Agreement, year: int, by: Any) -> EvaluationReport:
    """A new version of the year's report, queued for generation; it keeps the last recommendations."""
    if year not in agreement.plan_years:
        raise ReportRefused(_("Tahun %(year)s di luar jangka waktu Nota Kesepakatan.") % {"year": year})
    existing = EvaluationReport.objects.for_year(agreement, year).select_for_update()
    latest = existing.order_by("-version").first()
    report = EvaluationReport.objects.create(
        agreement=agreement,
        year=year,
        version=(latest.version + 1) if latest else 1,
        state=EvaluationReport.State.REVISED if latest else EvaluationReport.State.DRAFT,
        recommendations=latest.recommendations if latest else "",
        requested_by=by,
    )
    _enqueue(report)
    return report


def report_schedule_generate(*, agreement: Agreement, year: int) -> EvaluationReport | None:
    """The scheduled first version of the year's report, unless the year already has one.

    Two runs at once both try version 1; the unique constraint lets one win and the other
    returns ``None``, so a year never gets two scheduled reports.
    """
    if EvaluationReport.objects.for_year(agreement, year).exists():
        return None
    try:
        with transaction.atomic():
            report = EvaluationReport.objects.create(agreement=agreement, year=year, version=1, scheduled=True)
    except IntegrityError:
        return None
    report_generate(report_id=report.pk)
    return report


def reports_due(*, today: datetime.date) -> list[EvaluationReport]:
    """Generate last year's report for every agreement in force then, once the configured day has come."""
    month, day = settings.EVALUATION_REPORT_DAY
    year = today.year - 1
    if today < datetime.date(today.year, month, day):
        return []
    made = []
    for agreement in Agreement.objects.filter(starts_on__year__lte=year, ends_on__year__gte=year).order_by("pk"):
        if year in agreement.plan_years:
            report = report_schedule_generate(agreement=agreement, year=year)
            if report is not None:
                made.append(report)
    return made


def schedule_ensure(*, using: str = "default") -> None:
    """The django_celery_beat row that runs :func:`reports_due` daily from the configured day; idempotent."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    month, day = settings.EVALUATION_REPORT_DAY
    crontab, _created = CrontabSchedule.objects.using(using).get_or_create(
        minute="0", hour="5", day_of_month="*", month_of_year="*", day_of_week="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.using(using).update_or_create(
        name=SCHEDULE_TASK_NAME,
        defaults={
            "task": SCHEDULE_TASK,
            "crontab": crontab,
            "enabled": True,
            "description": f"Laporan Monev Pasal 11 tahun lalu, mulai tanggal {day}/{month} setiap tahun.",
        },
    )


# --- Generation and rendering ---


def _set_progress(report: EvaluationReport, job: str, percent: int, error: str = "") -> None:
    # A plain UPDATE outside any transaction of ours: the browser's polling sees it at once.
    EvaluationReport.objects.filter(pk=report.pk).update(job=job, progress=percent, job_error=error)
    report.job, report.progress, report.job_error = job, percent, error


def report_generate(*, report_id: int) -> EvaluationReport:
    """Take the version's snapshot (once) and render its PDF; safe to run twice."""
    report = EvaluationReport.objects.select_related("agreement").get(pk=report_id)
    if report.is_ready:
        return report
    _set_progress(report, EvaluationReport.Job.RUNNING, 5)
    try:
        if not report.snapshot:
            report.snapshot = snapshot_build(agreement=report.agreement, year=report.year)
            report.snapshot_taken_at = timezone.now()
            report.save(update_fields=["snapshot", "snapshot_taken_at"])
        _set_progress(report, EvaluationReport.Job.RUNNING, 40)
        report_render(report=report)
    except Exception as error:
        _set_progress(report, EvaluationReport.Job.FAILED, report.progress, str(error)[:2000])
        raise
    _set_progress(report, EvaluationReport.Job.DONE, 100)
    return report


def verify_url(report: EvaluationReport) -> str:
    base = getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + reverse("evaluation:verify-token", args=[report.token])


def qr_svg(url: str) -> str:
    return str(segno.make(url, error="m").svg_inline(scale=2, border=2))


def report_context(report: EvaluationReport) -> dict[str, Any]:
    """What the PDF template prints: the snapshot, the charts drawn from it, the text and approvals."""
    data = report.snapshot
    summary = data["summary"]
    url = verify_url(report)
    approvals = {a.side: a for a in report.approvals.select_related("approved_by")} if report.pk else {}
    return {
        "report": report,
        "s": data,
        "parties": [(party, approvals.get(party["side"])) for party in data["parties"]],
        "approved": bool(report.approved_at),
        "achievement_chart": charts.achievement_bars(
            [(row["label"], row["value"]) for row in summary["by_program"]], title="Capaian per program"
        ),
        "status_chart": charts.status_distribution(
            [(row["status"], row["label"], row["units"]) for row in summary["by_status"]],
            title="Status penanggung jawab",
        ),
        "verify_url": url,
        "qr": qr_svg(url),
        "annex_rows": data["compliance"]["cases"],
    }


def report_html(report: EvaluationReport) -> str:
    """The report as one HTML document with the annex as one long table (the benchmark's naive anchor).

    The application's PDF (``report_pdf_bytes``) prints the annex as listing pages instead."""
    return render_to_string("evaluation/report_pdf.html", report_context(report))


def report_pdf_bytes(report: EvaluationReport) -> bytes:
    return rendering.report_pdf(report_context(report))


def report_render(*, report: EvaluationReport) -> None:
    """Render the version's PDF from its snapshot and store it with its SHA-256 and page count."""
    data = report_pdf_bytes(report)
    if report.pdf:
        report.pdf.delete(save=False)
    report.pdf.save(report.filename, ContentFile(data), save=False)
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.pages = len(PdfReader(io.BytesIO(data)).pages)
    report.generated_at = timezone.now()
    report.save(update_fields=["pdf", "sha256", "pages", "generated_at"])


# --- Recommendations, finalising, approval ---


@transaction.atomic
def report_update_recommendations(*, report: EvaluationReport, text: str, by: Any) -> None:
    """The secretariat's chapter VI; the same snapshot is rendered again with the new text."""
    report.set_recommendations(text=text, by=by)
    _requeue(report)


@transaction.atomic
def report_approve(*, report: EvaluationReport, by: Any) -> ReportApproval:
    """One party's approval; the second one makes the signed PDF (both approvals, QR code)."""
    locked = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    approval = locked.approve(by=by)
    if locked.approved_at:
        _requeue(locked)
    report.refresh_from_db()
    return approval


def _requeue(report: EvaluationReport) -> None:
    EvaluationReport.objects.filter(pk=report.pk).update(job=EvaluationReport.Job.QUEUED, progress=0)
    report.job, report.progress = EvaluationReport.Job.QUEUED, 0
    _enqueue(report)


def report_verify(*, data: bytes) -> EvaluationReport | None:
    """The approved report whose PDF is exactly these bytes, or ``None``."""
    digest = hashlib.sha256(data).hexdigest()
    return EvaluationReport.objects.signed().select_related("agreement").filter(sha256=digest).first()
