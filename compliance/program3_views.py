"""Pages of the other Program 3 activities: an overview, a list and a form per kind, a record with
its record sheet (PDF) and the button that attaches it to the matching quarterly report.

Every view checks access through :mod:`compliance.access` first (404 to outsiders, 403 to
leadership on writes), then calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compliance import access
from compliance.program3 import KINDS, Training
from compliance.program3_forms import FORMS, Program3FilterForm
from compliance.program3_services import (
    RecordRefused,
    attachments_of,
    program3_record_create,
    record_attach_to_report,
    record_sheet_pdf,
    report_unit_for,
)
from compliance.views import AuthedRequest


def _kinds() -> list[tuple[str, str]]:
    return [(slug, str(model.LABEL)) for slug, model in KINDS.items()]


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    """How many records of each kind there are, with links to their lists."""
    access.check_program3(request.user)
    rows = [(slug, label, KINDS[slug].objects.count()) for slug, label in _kinds()]
    context = {"rows": rows, "can_write": access.writes_program3(request.user)}
    return TemplateResponse(request, "compliance/program3/overview.html", context)


@login_required
@require_GET
def record_list(request: AuthedRequest, kind: str) -> HttpResponse:
    """One kind's records, newest first, filtered by year and text; htmx swaps the table."""
    if kind not in KINDS:
        raise Http404
    access.check_program3(request.user)
    model = KINDS[kind]
    records = model.objects.for_listing()
    form = Program3FilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["year"]:
            records = records.in_year(form.cleaned_data["year"])
        records = records.search(form.cleaned_data["q"] or "").distinct()
    page = Paginator(records, 50).get_page(request.GET.get("halaman"))
    context = {
        "kind": kind,
        "label": model.LABEL,
        "page": page,
        "form": form,
        "kinds": _kinds(),
        "can_write": access.writes_program3(request.user),
    }
    template = "compliance/program3/_table.html" if request.htmx else "compliance/program3/list.html"
    return TemplateResponse(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: AuthedRequest, kind: str) -> HttpResponse:
    """The form of a new record; on POST the record is stored or the form says what is wrong."""
    if kind not in KINDS:
        raise Http404
    access.check_program3(request.user, write=True)
    form = FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = program3_record_create(kind=kind, by=request.user, values=form.cleaned_data)
        except RecordRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Catatan %(label)s tersimpan.") % {"label": KINDS[kind].LABEL})
            return redirect("compliance:p3-record", kind=kind, pk=record.pk)
    context = {"kind": kind, "label": KINDS[kind].LABEL, "form": form}
    return TemplateResponse(request, "compliance/program3/form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def record_detail(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """A record, the quarterly reports it was attached to, and the attach button where it may be used."""
    record = access.get_program3_record_for_user(request.user, kind, pk)
    unit = report_unit_for(record=record, by=request.user) if access.writes_program3(request.user) else None
    context = {
        "kind": kind,
        "record": record,
        "rows": record.sheet_rows(),
        "participants": record.participants.all() if isinstance(record, Training) else [],
        "attachments": attachments_of(record),
        "attach_unit": unit,
    }
    return TemplateResponse(request, "compliance/program3/detail.html", context)


@login_required
@require_GET
def record_sheet(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record = access.get_program3_record_for_user(request.user, kind, pk)
    response = HttpResponse(record_sheet_pdf(record=record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lembar-{record.activity_code}-{record.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def record_attach(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """Attach the record sheet to the matching activity's quarterly report (the work plan's evidence)."""
    record = access.get_program3_record_for_user(request.user, kind, pk, write=True)
    try:
        evidence = record_attach_to_report(record=record, by=request.user)
    except RecordRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Dilampirkan pada laporan %(report)s.") % {"report": evidence.report})
    return redirect("compliance:p3-record", kind=kind, pk=record.pk)
