"""Data-exchange pages: streams, a period with its upload form, a submission with errors and matching results.

Every view fetches protected objects through :mod:`dataexchange.access`, calls one service and
renders or redirects. Large files are processed by a Celery task; the submission page polls a
progress fragment with htmx until the task is done.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.pagecache import cached_page
from core.rowerrors import write_error_csv, write_error_xlsx
from dataexchange import access, changes, companies, kpj, sdi, services
from dataexchange.disclosure import DisclosureRefused, disclosure_check
from dataexchange.exports import clear_niks, kpj_rows, people_rows, table_response, unmasked_csv, unmasked_rows
from dataexchange.forms import ExportForm, RecipientForm, UnmaskForm, UploadForm
from dataexchange.models import AccessLog, ExchangePeriod, ReviewItem, Submission
from dataexchange.progress import progress_of
from dataexchange.templates_xlsx import write_template
from dataexchange.uploads import submission_start


@login_required
@require_GET
@cached_page
def stream_list(request: HttpRequest) -> HttpResponse:
    streams = access.streams_visible_to(request.user).select_related("receiver").prefetch_related("senders")
    periods = access.periods_visible_to(request.user).order_by("-year", "-quarter", "stream__code")[:50]
    today = timezone.localdate()
    membership = {s.code for s in streams if s.code == "2e" and access.may_see_membership(request.user, s)}
    context = {"streams": streams, "periods": periods, "today": today, "membership_codes": membership}
    return TemplateResponse(request, "dataexchange/streams.html", context)


@login_required
@require_GET
def stream_template(request: HttpRequest, code: str) -> HttpResponse:
    """The stream's XLSX template (``?kepesertaan=1``: BPJS's membership extract of 2e)."""
    stream = access.streams_visible_to(request.user).filter(code=code).first()
    if stream is None:
        raise Http404
    membership = request.GET.get("kepesertaan") == "1"
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    write_template(services.schema_for(stream, membership=membership), response)
    name = f"templat-{stream.code}{'-kepesertaan' if membership else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def sdi_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The 2c Satu Data Indonesia extract (aggregate only) as CSV or JSON with its metadata."""
    if fmt not in {"csv", "json"} or not access.streams_visible_to(request.user).filter(code="2c").exists():
        raise Http404
    submission = sdi.latest_sdi_submission()
    if submission is None:
        raise Http404
    extract = sdi.sdi_extract(submission)
    if fmt == "json":
        return JsonResponse(extract, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response = HttpResponse(sdi.sdi_csv(extract), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sdi-2c.csv"'
    return response


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_period_for_user(request.user, pk, write=request.method == "POST")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        submission, new = services.submission_receive(
            file=upload, filename=upload.name, organization=period.unit, period=period, by=request.user,
            schema=services.schema_for(period.stream),
        )  # fmt: skip
        if not new:
            messages.info(request, _("Berkas yang sama sudah pernah diunggah untuk periode ini; hasilnya ditampilkan."))
        submission_start(submission, new=new)
        return redirect("dataexchange:submission", submission.pk)
    submissions = period.submissions.order_by("-created_at")
    context = {
        "period": period,
        "form": form,
        "submissions": submissions,
        "may_upload": access.may_upload(request.user, period),
        "kpj": _kpj_summary(period),
        "columns": services.schema_for(period.stream).columns,
    }
    return TemplateResponse(request, "dataexchange/period.html", context)


def _kpj_summary(period: ExchangePeriod) -> dict[str, object] | None:
    """The 2d reconciliation counts of the period's latest accepted file, for the period page."""
    if period.stream.code != "2d":
        return None
    latest = period.submissions.filter(status=Submission.Status.ACCEPTED).order_by("-finished_at").first()
    if latest is None:
        return None
    return {"submission": latest, **kpj.kpj_counts(kpj.kpj_holders(latest))}


def _kpj_submission(user: object, pk: int) -> Submission:
    submission = access.get_submission_for_user(user, pk)
    if submission.status != Submission.Status.ACCEPTED or submission.schema.stream.code != "2d":
        raise Http404
    return submission


@login_required
@require_GET
def kpj_reconciliation(request: HttpRequest, pk: int) -> HttpResponse:
    """Per KPJ holder of an accepted 2d file: participation and mismatches, NIK masked; ``?selisih=`` filters."""
    submission = _kpj_submission(request.user, pk)
    holders = kpj.kpj_holders(submission)
    counts = kpj.kpj_counts(holders)
    flag = request.GET.get("selisih", "")
    shown = [h for h in holders if flag in h.mismatches or flag == h.participation] if flag else holders
    context = {"submission": submission, "counts": counts, "flag": flag, "export_form": ExportForm(),
               "holders": Paginator(shown, 100).get_page(request.GET.get("halaman")),
               "may_unmask": access.may_unmask(request.user, submission),
               "wage_limit": kpj.wage_ceiling(submission.period.year)}  # type: ignore[union-attr]  # fmt: skip
    return TemplateResponse(request, "dataexchange/kpj.html", context)


@login_required
@require_POST
def kpj_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reconciliation as XLSX/CSV: masked, or with NIKs in clear for the roles that need them (logged)."""
    submission = _kpj_submission(request.user, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _export_refused(request, form, "dataexchange:kpj", submission.pk)
    if (refused := _third_party_refused(request, form, submission, "dataexchange:kpj")) is not None:
        return refused
    holders = kpj.kpj_holders(submission)
    niks = None
    if form.cleaned_data["unmask"]:
        _log_unmasked(request, submission, form, records=len(holders))
        niks = clear_niks(submission)
    return table_response(kpj_rows(holders, niks=niks), fmt=form.cleaned_data["fmt"],
                          filename=f"rekonsiliasi-kpj-{submission.pk}")  # fmt: skip


def _changes_submission(user: object, pk: int) -> Submission:
    submission = access.get_submission_for_user(user, pk)
    accepted = submission.status == Submission.Status.ACCEPTED and submission.kind == Submission.Kind.LIST
    if not accepted or submission.schema.stream.code not in {"2d", "2e"}:
        raise Http404
    return submission


@login_required
@require_GET
def change_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Quarter on quarter for a 2e list or a 2d file: counts per change and the people behind them, masked."""
    submission = _changes_submission(request.user, pk)
    try:
        report = changes.change_report(submission)
    except services.ExchangeError as error:
        return TemplateResponse(request, "dataexchange/changes.html", {"submission": submission, "missing": error})
    category = request.GET.get("kategori", "")
    category = category if category in report.counts else ""
    number = request.GET.get("halaman", "")
    page = min(max(int(number), 1), 1_000_000) if number.isascii() and number.isdigit() else 1
    shown = report.counts[category] if category else sum(report.counts.values()) - report.counts["unchanged"]
    context = {"submission": submission, "report": report, "category": category, "page": page,
               "people": changes.changes_page(submission, category=category, page=page),
               "counts": [(key, report.labels[key], n) for key, n in report.counts.items()],
               "has_next": page * changes.PAGE < shown, "export_form": ExportForm()}  # fmt: skip
    return TemplateResponse(request, "dataexchange/changes.html", context)


@login_required
@require_POST
def change_report_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every changed person as XLSX/CSV, NIK masked (clear NIKs are in the list's own export)."""
    submission = _changes_submission(request.user, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _export_refused(request, form, "dataexchange:changes", submission.pk)
    if (refused := _third_party_refused(request, form, submission, "dataexchange:changes")) is not None:
        return refused
    try:
        report = changes.change_report(submission)
    except services.ExchangeError as error:
        messages.error(request, str(error))
        return redirect("dataexchange:changes", submission.pk)
    return table_response(changes.change_rows(submission, report.labels), fmt=form.cleaned_data["fmt"],
                          filename=f"perubahan-{submission.pk}")  # fmt: skip


def _export_refused(request: HttpRequest, form: RecipientForm, view: str, pk: int) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(view, pk)


def _third_party_refused(
    request: HttpRequest, form: RecipientForm, submission: Submission, back: str
) -> HttpResponse | None:
    """Pasal 10: an export for a named third party without a written consent on record is refused (403)."""
    if not form.third_party:
        return None
    try:
        disclosure_check(stream=submission.schema.stream, recipient=form.third_party, by=request.user)
    except DisclosureRefused as refusal:
        context = {"refusal": refusal, "back": reverse(back, args=[submission.pk]), "submission": submission}
        return TemplateResponse(request, "dataexchange/disclosure_refused.html", context, status=403)
    return None


def _log_unmasked(request: HttpRequest, submission: Submission, form: RecipientForm, *, records: int) -> None:
    """Only the roles that need clear NIKs (403 otherwise), and always with an AccessLog row naming any third party."""
    access.check_unmask(request.user, submission)
    reason = str(form.cleaned_data["reason"]).strip()
    if form.third_party:
        reason = _("%(reason)s (untuk pihak ketiga: %(recipient)s)") % {"reason": reason, "recipient": form.third_party}
    AccessLog.objects.create(user=cast(User, request.user), submission=submission, action=AccessLog.Action.EXPORT,
                             reason=reason, records=records)  # fmt: skip


@login_required
def membership_upload(request: HttpRequest, code: str) -> HttpResponse:
    """BPJS's membership extract (NIK, status, last paid month): the same all-or-nothing upload as a list."""
    stream = access.get_membership_stream_for_user(request.user, code, write=request.method == "POST")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        submission, new = services.submission_receive(
            file=upload, filename=upload.name, organization=stream.receiver, period=None, by=request.user,
            schema=services.schema_for(stream, membership=True),
        )  # fmt: skip
        if not new:
            messages.info(request, _("Berkas kepesertaan yang sama sudah pernah diunggah; hasilnya ditampilkan."))
        submission_start(submission, new=new)
        return redirect("dataexchange:submission", submission.pk)
    extracts = Submission.objects.filter(kind=Submission.Kind.MEMBERSHIP, schema__stream=stream).order_by("-created_at")
    context = {"stream": stream, "form": form, "extracts": extracts[:20], "in_use": services.latest_membership(stream),
               "may_upload": access.may_upload_membership(request.user, stream)}  # fmt: skip
    return TemplateResponse(request, "dataexchange/membership.html", context)


@login_required
@require_GET
@cached_page
def review_queue(request: HttpRequest) -> HttpResponse:
    """Uncertain company pairs of 2a/2d waiting for a decision (remembered for later quarters)."""
    if not access.may_review_companies(request.user):
        access.check_review_companies(request.user)
    items = ReviewItem.objects.filter(decision=None).select_related("data_row__submission__period", "candidate")[:200]
    return TemplateResponse(request, "dataexchange/review_queue.html", {"items": items})


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access.check_review_companies(request.user)
    item = ReviewItem.objects.filter(pk=pk, decision=None).select_related("data_row", "candidate").first()
    if item is None:
        raise Http404
    companies.review_decide(item=item, accept=request.POST.get("keputusan") == "sama", by=request.user)
    if getattr(request, "htmx", False):
        return HttpResponse("")
    return redirect("dataexchange:review-queue")


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access.get_submission_for_user(request.user, pk)
    errors = submission.errors.order_by("row", "pk")[:200]
    context = {"submission": submission, "errors": errors, "progress": progress_of(submission),
               "may_unmask": access.may_unmask(request.user, submission), "unmask_form": UnmaskForm()}  # fmt: skip
    return TemplateResponse(request, "dataexchange/submission.html", context)


@login_required
@require_GET
def submission_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx fragment polled while a task works; a finished submission tells the page to reload."""
    submission = access.get_submission_for_user(request.user, pk)
    context = {"submission": submission, "progress": progress_of(submission)}
    response = TemplateResponse(request, "dataexchange/_progress.html", context)
    if submission.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def submission_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The full error report (every bad row) as CSV or XLSX."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    submission = access.get_submission_for_user(request.user, pk)
    errors = list(services.submission_errors(submission))
    name = f"kesalahan-{submission.pk}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        write_error_xlsx(errors, response)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        write_error_csv(errors, response)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def submission_people(request: HttpRequest, pk: int) -> HttpResponse:
    """The matching result per person, NIK and phone masked."""
    submission = access.get_submission_for_user(request.user, pk)
    if submission.status != Submission.Status.ACCEPTED or submission.kind != Submission.Kind.LIST:
        raise Http404
    people = Paginator(submission.people.order_by("row"), 100).get_page(request.GET.get("halaman"))
    context = {"submission": submission, "people": people, "may_unmask": access.may_unmask(request.user, submission),
               "export_form": ExportForm()}  # fmt: skip
    return TemplateResponse(request, "dataexchange/people.html", context)


@login_required
@require_POST
def submission_people_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The matching result as XLSX/CSV: masked, or NIK and HP in clear for the roles that need them (logged)."""
    submission = access.get_submission_for_user(request.user, pk)
    if submission.status != Submission.Status.ACCEPTED or submission.schema.stream.code != "2e":
        raise Http404
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _export_refused(request, form, "dataexchange:people", submission.pk)
    if (refused := _third_party_refused(request, form, submission, "dataexchange:people")) is not None:
        return refused
    rows = people_rows(submission)
    if form.cleaned_data["unmask"]:
        _log_unmasked(request, submission, form, records=submission.rows)
        rows = unmasked_rows(submission)
    return table_response(rows, fmt=form.cleaned_data["fmt"], filename=f"pemadanan-{submission.pk}")


@login_required
@require_POST
def submission_export_unmasked(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The list with NIK and HP in clear and the matching result, logged with who, when and why."""
    submission = access.get_submission_for_user(request.user, pk)
    access.check_unmask(request.user, submission)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return _export_refused(request, form, "dataexchange:people", submission.pk)
    if (refused := _third_party_refused(request, form, submission, "dataexchange:people")) is not None:
        return refused
    _log_unmasked(request, submission, form, records=submission.rows)
    response = StreamingHttpResponse(unmasked_csv(unmasked_rows(submission)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pemadanan-{submission.pk}.csv"'
    return response
