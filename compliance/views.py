"""The sanction pages: the case list, a case with its timeline and next steps, the step forms,
the service units' follow-up record, and the letter and evidence downloads.

Every view fetches through :mod:`compliance.access`, then calls one model method or service.
A refused step comes back on the form with the reason the case gave.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from compliance import access, case_table, forms, services, stats
from compliance.models import NameReview, NonComplianceUpload, SanctionCase, ServiceFollowUp
from compliance.states import TRANSITIONS, Status, TransitionRefused
from compliance.uploads import noncompliance_list_upload
from core.pagecache import cached_page
from core.rowerrors import RowError, error_report_response


class AuthedRequest(HttpRequest):
    """What ``login_required`` and the htmx middleware guarantee about the request."""

    user: User
    htmx: HtmxDetails


# The form that parses each step; services.case_take_step takes it.
STEP_FORMS: dict[str, type[forms.StepForm]] = {
    "mulai_pembinaan": forms.StepForm,
    "teguran_1": forms.WarningForm,
    "teguran_2": forms.WarningForm,
    "denda": forms.FineForm,
    "ajukan_tmp2t": forms.TMP2TRequestForm,
    "mulai_verifikasi": forms.VerificationForm,
    "terbitkan_rekomendasi": forms.RecommendationForm,
    "ajukan_pencabutan": forms.RevocationRequestForm,
    "tolak_pencabutan": forms.StepForm,
    "cabut": forms.RevocationForm,
    "nyatakan_patuh": forms.StepForm,
    "batal": forms.StepForm,
    "rujuk_pidana": forms.StepForm,
}


def _filtered_cases(request: HttpRequest, form: forms.CaseFilterForm) -> Any:
    cases = access.cases_for_user(request.user).order_by("-opened_on", "-pk")
    if not form.is_valid():
        return cases
    data = form.cleaned_data
    if data["q"]:
        cases = cases.filter(Q(employer__name__icontains=data["q"]) | Q(employer__npp__iexact=data["q"].strip()))
    if data["status"]:
        cases = cases.filter(status=data["status"])
    if data["category"]:
        cases = cases.filter(category=data["category"])
    if data["region"]:
        cases = cases.filter(employer__region=data["region"])
    if data["overdue"]:
        cases = cases.filter(overdue_since__isnull=False).open()
    return cases


@login_required
@require_GET
@cached_page
def case_list(request: AuthedRequest) -> HttpResponse:
    """Cases the user may see, filtered by status, category, region, overdue; htmx swaps the table."""
    form = forms.CaseFilterForm(request.GET or None)
    page = Paginator(_filtered_cases(request, form), 50).get_page(request.GET.get("halaman"))
    rows = case_table.page_rows(page)
    regions = form.fields["region"].queryset  # type: ignore[attr-defined]  # read once, key and widget alike
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "table_version": case_table.table_version(rows, page, query.urlencode()),
        # Read only where the form is rendered (not for htmx, which swaps the table alone).
        "filter_version": SimpleLazyObject(lambda: case_table.filter_version(regions, query.urlencode())),
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "can_upload": access.can_upload_lists(request.user),
        "reads_program3": access.reads_program3(request.user),
        "pending_name_reviews": access.name_reviews_for_user(request.user).pending().count(),
    }
    template = "compliance/_case_table.html" if request.htmx else "compliance/case_list.html"
    return TemplateResponse(request, template, context)


def _followup_forms(user: User, case: SanctionCase, followups: list[ServiceFollowUp]) -> list[tuple[Any, Any]]:
    """(follow-up, form or None): a form where this user may record the unit's next part now."""
    rows = []
    for followup in followups:
        writable = _followup_action(case, followup) is not None and access.can_record_followup(user, followup)
        rows.append((followup, forms.FollowUpForm(prefix=f"f{followup.pk}") if writable else None))
    return rows


def _followup_action(case: SanctionCase, followup: ServiceFollowUp) -> str | None:
    if followup.status == ServiceFollowUp.Status.REQUESTED and case.status in TRANSITIONS["layanan_ditahan"].sources:
        return "layanan_ditahan"
    if followup.status == ServiceFollowUp.Status.WITHHELD and case.status == Status.REVOKED:
        return "layanan_dipulihkan"
    return None


@login_required
@require_GET
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A case: employer, state and deadline, timeline with evidence, follow-ups, letters, next steps."""
    case = access.get_case_for_user(request.user, pk)
    events = case.events.select_related("actor", "followup__unit").prefetch_related("evidence")
    followups = list(case.followups.select_related("unit"))
    steps = [t for t in case.available_transitions(request.user) if t.action in STEP_FORMS]
    context = {
        "case": case,
        "events": events,
        "followups": _followup_forms(request.user, case, followups),
        "letters": case.letters.all(),
        "steps": steps if access.can_write(request.user) else [],
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "compliance/case_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_step(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """The form of one step; on POST the case takes the step or says why it cannot."""
    if action not in STEP_FORMS:
        raise Http404
    case = access.get_case_for_user(request.user, pk, write=True)
    form_class = STEP_FORMS[action]
    transition = TRANSITIONS[action]
    posted = request.method == "POST"
    form = form_class(
        request.POST if posted else None, request.FILES if posted else None, needs_note=transition.needs_note
    )
    if posted and form.is_valid():
        try:
            services.case_take_step(
                case=case, by=request.user, action=action, values=form.cleaned_data, evidence=form.evidence_files()
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Langkah '%(step)s' tercatat.") % {"step": transition.label})
            return redirect("compliance:case", pk=case.pk)
    context = {"case": case, "transition": transition, "form": form}
    return TemplateResponse(request, "compliance/case_step.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def followup_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """A service unit records that it withheld (or, after revocation, restored) its service."""
    followup = access.get_followup_for_user(request.user, pk, write=True)
    case = followup.case
    action = _followup_action(case, followup)
    form = forms.FollowUpForm(request.POST, request.FILES, prefix=f"f{followup.pk}")
    if action is None:
        messages.error(request, _("Tidak ada yang perlu dicatat untuk tindak lanjut ini saat ini."))
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        record = followup.record_withheld if action == "layanan_ditahan" else followup.record_released
        data = form.cleaned_data
        kwargs = {"withheld_on" if action == "layanan_ditahan" else "released_on": data["on"]}
        try:
            record(
                by=request.user,
                reference_number=data["reference_number"],
                note=data["note"],
                evidence=form.evidence_files(),
                **kwargs,
            )
        except TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Tindak lanjut %(unit)s tercatat.") % {"unit": followup.unit.short_name})
    return redirect("compliance:case", pk=case.pk)


def _download(file: Any, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def letter_download(request: AuthedRequest, pk: int) -> FileResponse:
    letter = access.get_letter_for_user(request.user, pk)
    return _download(letter.file, f"surat-{letter.kind}-{letter.case_id}.pdf", "application/pdf")


@login_required
@require_GET
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Evidence is served only here, after the access check; never from a public media URL."""
    evidence = access.get_evidence_for_user(request.user, pk)
    return _download(evidence.file, evidence.original_name, "application/octet-stream")


@login_required
@require_http_methods(["GET", "POST"])
def list_upload(request: AuthedRequest) -> HttpResponse:
    """BPJS uploads a non-compliance list; the page shows the counts or every row error."""
    if not access.can_upload_lists(request.user):
        raise PermissionDenied
    form = forms.ListUploadForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        outcome = noncompliance_list_upload(
            file=file,
            filename=file.name,
            by=request.user,
            source=NonComplianceUpload.Source.BROWSER,
            dry_run=form.cleaned_data["dry_run"],
        )
    context = {
        "form": form,
        "outcome": outcome,
        "errors": list(outcome.result.errors)[:200] if outcome else [],
        "uploads": access.uploads_for_user(request.user)[:20],
    }
    status = 400 if outcome is not None and not outcome.result.accepted else 200
    return TemplateResponse(request, "compliance/upload.html", context, status=status)


@login_required
@require_GET
def upload_errors(request: AuthedRequest, pk: int, file_format: str) -> HttpResponse:
    """The error report of a refused list, as CSV or XLSX, from what the upload recorded."""
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    upload = get_object_or_404(access.uploads_for_user(request.user), pk=pk)
    errors = [RowError(**error) for error in upload.summary.get("errors", [])]
    return error_report_response(errors, file_format=file_format, name=f"kesalahan-daftar-{upload.pk}")


@login_required
@require_GET
@cached_page
def dashboard(request: AuthedRequest) -> HttpResponse:
    """Case funnel by state, open cases by city and category, overdue steps, follow-ups per unit."""
    form = forms.PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {"opened_from": None, "opened_to": None}
    numbers = stats.case_stats(access.cases_for_user(request.user), **period)
    context = {"form": form, "stats": numbers, "stats_version": stats.stats_version(numbers)}
    return TemplateResponse(request, "compliance/dashboard.html", context)


# --- The review queue of similar names ---------------------------------------------------------


@login_required
@require_GET
def name_review_list(request: AuthedRequest) -> HttpResponse:
    """The pairs waiting for an answer (or, with ``?riwayat=1``, those answered), side by side."""
    if not access.reads_name_reviews(request.user):
        raise Http404
    reviews = access.name_reviews_for_user(request.user)
    history = request.GET.get("riwayat") == "1"
    shown = reviews.exclude(status=NameReview.Status.PENDING) if history else reviews.pending()
    ordered = shown.order_by("-decided_at", "pk") if history else shown.order_by("pk")
    page = Paginator(ordered, 25).get_page(request.GET.get("halaman"))
    context = {"page": page, "history": history, "can_decide": access.can_decide_names(request.user)}
    return TemplateResponse(request, "compliance/name_reviews.html", context)


@login_required
@require_POST
def name_review_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Sama" merges the new employer into the registered one; "berbeda" keeps both. Remembered."""
    review = access.get_name_review_for_user(request.user, pk, write=True)
    answer = request.POST.get("keputusan")
    if answer not in {"sama", "berbeda"}:
        messages.error(request, _("Pilih: pemberi kerja yang sama atau berbeda."))
        return redirect("compliance:name-reviews")
    try:
        services.name_review_decide(review=review, same=answer == "sama", by=request.user)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Keputusan untuk %(name)s tersimpan.") % {"name": review.listed_value("name")})
    return redirect("compliance:name-reviews")
