"""The clause pages: the dashboard, force-majeure detail, the correspondence register, and the
secretariat's forms. Each view checks access through :mod:`clauses.access` and calls one service
or model method; rule refusals come back as form errors carrying the service's message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clauses import access, services
from clauses import amendments as amendments_service
from clauses.forms import (
    AddressChangeForm,
    AdjustmentForm,
    AmendmentForm,
    DirectoryDateForm,
    DisclosureDecisionForm,
    DisclosureRequestForm,
    ExtensionForm,
    ForceMajeureForm,
    LetterForm,
    ResponseForm,
    TerminationForm,
)
from clauses.models import Amendment, ClauseError, DisclosureRequest, ForceMajeure, Letter
from workplan.models import LiaisonOfficer, Side


def _form_page(request: HttpRequest, form: BaseForm, title: str, intro: str = "") -> HttpResponse:
    context = {"form": form, "title": title, "intro": intro}
    return TemplateResponse(request, "clauses/form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Term and days left, open force-majeure notices with their deadlines, the address directory."""
    agreement = access.get_agreement_for_user(request.user)
    today = timezone.localdate()
    on_form = DirectoryDateForm(request.GET or None)
    on = on_form.cleaned_data["tanggal"] if on_form.is_valid() and on_form.cleaned_data["tanggal"] else today
    directory = LiaisonOfficer.objects.filter(agreement=agreement).select_related("organization", "change_notice")
    context = {
        "agreement": agreement,
        "today": today,
        "days_left": agreement.days_left(today),
        "extensions": agreement.extensions.all(),
        "open_events": ForceMajeure.objects.filter(agreement=agreement).awaiting_response().order_by("response_due_on"),
        "events": ForceMajeure.objects.filter(agreement=agreement).exclude(
            status=ForceMajeure.Status.AWAITING_RESPONSE
        )[:20],
        "current": [
            (Side(side).label, services.liaison_on(agreement=agreement, side=side, day=on)) for side in Side.values
        ],
        "on": on,
        "on_form": on_form,
        "directory": directory,
        "letters": Letter.objects.filter(agreement=agreement).select_related("activity__program")[:10],
        "termination": getattr(agreement, "termination", None),
        "disclosures": DisclosureRequest.objects.filter(agreement=agreement)[:20],
        "can_edit": access.can_edit(request.user),
    }
    return TemplateResponse(request, "clauses/dashboard.html", context)


@login_required
def extension_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_extend(agreement=agreement, by=request.user, **form.cleaned_data)
        except ClauseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Perpanjangan jangka waktu dicatat."))
            return redirect("clauses:dashboard")
    return _form_page(request, form, _("Catat perpanjangan jangka waktu (Pasal 7)"))


@login_required
def force_majeure_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = ForceMajeureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.force_majeure_record(agreement=agreement, by=request.user, **form.cleaned_data)
        except ClauseError as error:
            form.add_error(None, str(error))
        else:
            if event.notice_late:
                messages.warning(
                    request, _("Pemberitahuan dikirim melewati 14 hari kerja sejak kejadian; dicatat terlambat.")
                )
            messages.success(request, _("Keadaan kahar dicatat."))
            return redirect("clauses:force-majeure", event.pk)
    intro = _("Batas pemberitahuan dan batas tanggapan dihitung dalam hari kerja (Pasal 12).")
    return _form_page(request, form, _("Catat keadaan kahar"), intro)


@login_required
@require_GET
def force_majeure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_force_majeure_for_user(request.user, pk)
    context = {
        "event": event,
        "adjustments": event.adjustments.select_related("activity__program"),
        "letters": event.letters.all(),
        "can_edit": access.can_edit(request.user),
        "response_form": ResponseForm(),
        "adjustment_form": AdjustmentForm(agreement=event.agreement),
    }
    return TemplateResponse(request, "clauses/force_majeure.html", context)


@login_required
@require_POST
def force_majeure_respond(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_force_majeure_for_user(request.user, pk, write=True)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            event.record_response(**form.cleaned_data)
        except ClauseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tanggapan dicatat."))
    else:
        messages.error(request, _("Tanggapan belum lengkap."))
    return redirect("clauses:force-majeure", event.pk)


@login_required
@require_POST
def force_majeure_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_force_majeure_for_user(request.user, pk, write=True)
    form = AdjustmentForm(request.POST, agreement=event.agreement)
    if form.is_valid():
        try:
            services.force_majeure_adjust_activity(event=event, by=request.user, **form.cleaned_data)
        except ClauseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Penyesuaian kegiatan dicatat."))
    else:
        messages.error(request, _("Penyesuaian belum lengkap."))
    return redirect("clauses:force-majeure", event.pk)


@login_required
def address_change_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = AddressChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_change_record(agreement=agreement, by=request.user, **form.cleaned_data)
        except ClauseError as error:
            form.add_error("effective_on", str(error))
        else:
            messages.success(request, _("Perubahan alamat dicatat."))
            return redirect("clauses:dashboard")
    intro = _("Perubahan wajib diberitahukan paling lambat 7 hari kerja sebelum berlaku (Pasal 14 ayat 3).")
    return _form_page(request, form, _("Catat perubahan alamat pejabat penghubung"), intro)


@login_required
@require_GET
def letters(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user)
    rows = (
        Letter.objects.filter(agreement=agreement).select_related("activity__program").prefetch_related("attachments")
    )
    context = {"letters": rows, "can_edit": access.can_edit(request.user)}
    return TemplateResponse(request, "clauses/letters.html", context)


@login_required
def letter_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = LetterForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if k != "attachments"}
        services.letter_register(
            agreement=agreement, by=request.user, files=request.FILES.getlist("attachments"), **fields
        )
        messages.success(request, _("Surat dicatat dalam register."))
        return redirect("clauses:letters")
    return _form_page(request, form, _("Catat surat masuk/keluar"))


@login_required
def termination_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_record(agreement=agreement, by=request.user, **form.cleaned_data)
        except ClauseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Berita Acara Pengakhiran dicatat; Nota Kesepakatan diakhiri."))
            return redirect("clauses:dashboard")
    return _form_page(request, form, _("Catat Berita Acara Pengakhiran (Pasal 13)"))


@login_required
def disclosure_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = DisclosureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.agreement, form.instance.recorded_by = agreement, request.user
        form.save()
        messages.success(request, _("Permintaan pengungkapan data dicatat."))
        return redirect("clauses:dashboard")
    return _form_page(request, form, _("Catat permintaan pengungkapan data ke pihak ketiga (Pasal 10)"))


@login_required
def disclosure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    disclosure = get_object_or_404(DisclosureRequest, pk=pk, agreement=agreement)
    form = DisclosureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure.decide(**form.cleaned_data)
        except ClauseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Keputusan dicatat."))
            return redirect("clauses:dashboard")
    return _form_page(request, form, _("Keputusan atas permintaan: %(request)s") % {"request": disclosure})


# --- Amendments (Pasal 15) -------------------------------------------------------------------


@login_required
@require_GET
def amendments(request: HttpRequest) -> HttpResponse:
    """The versions of the work plan and the amendments not yet applied."""
    agreement = access.get_agreement_for_user(request.user)
    context = {
        "versions": amendments_service.plan_versions(agreement=agreement),
        "drafts": Amendment.objects.filter(agreement=agreement, status=Amendment.Status.DRAFT),
        "applied": Amendment.objects.filter(agreement=agreement).applied().order_by("version"),
        "can_edit": access.can_edit(request.user),
    }
    return TemplateResponse(request, "clauses/amendments.html", context)


@login_required
def amendment_new(request: HttpRequest) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    form = AmendmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        form.instance.agreement, form.instance.created_by = agreement, request.user
        form.instance.annex_name = form.cleaned_data["annex_file"].name[:255]
        amendment = form.save()
        return redirect("clauses:amendment", amendment.pk)
    intro = _("Unggah lampiran rencana kerja hasil adendum; perbedaannya ditampilkan sebelum diterapkan.")
    return _form_page(request, form, _("Adendum baru (Pasal 15)"), intro)


@login_required
@require_GET
def amendment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft: the difference the annex would make (or its errors). Applied: what it changed."""
    agreement = access.get_agreement_for_user(request.user)
    amendment = get_object_or_404(Amendment, pk=pk, agreement=agreement)
    preview = None
    if amendment.status == Amendment.Status.DRAFT:
        preview = amendments_service.amendment_preview(amendment=amendment)
        changes = preview.changes
    else:
        changes = amendments_service.plan_diff(amendment.plan_before, amendment.plan_after)
    context = {
        "amendment": amendment,
        "preview": preview,
        "changes": changes,
        "can_edit": access.can_edit(request.user),
    }
    return TemplateResponse(request, "clauses/amendment.html", context)


@login_required
@require_POST
def amendment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, write=True)
    amendment = get_object_or_404(Amendment, pk=pk, agreement=agreement)
    try:
        amendments_service.amendment_apply(amendment=amendment, by=request.user)
    except ClauseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Adendum diterapkan pada rencana kerja."))
    return redirect("clauses:amendment", amendment.pk)


@login_required
@require_GET
def plan_version(request: HttpRequest, number: int) -> HttpResponse:
    """The work plan as it stood under one version."""
    agreement = access.get_agreement_for_user(request.user)
    versions = amendments_service.plan_versions(agreement=agreement)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    return TemplateResponse(request, "clauses/plan_version.html", {"version": version, "versions": versions})
