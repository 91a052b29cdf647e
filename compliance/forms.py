"""Forms of the sanction pages: the case list filter, one form per kind of step, the follow-up record.

The forms only parse input. The step itself (and every rule about it) is the model method the
view calls with the cleaned data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import EvidenceFile, ServiceFollowUp
from compliance.states import Category, EvidenceKind, Status
from core.forms import ListedModelChoiceField
from registry.models import Region

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


class DateInput(forms.DateInput):
    input_type = "date"


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NPP"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status")), *Status.choices])
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Semua kategori")), *Category.choices]
    )
    region = ListedModelChoiceField(
        label=_("Wilayah"), required=False, queryset=Region.objects.all(), empty_label=_("Semua wilayah")
    )
    overdue = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)


def _check_evidence(file: Any) -> Any:
    if file and file.size > MAX_EVIDENCE_BYTES:
        raise forms.ValidationError(_("Berkas bukti paling besar 10 MB."))
    if file and not file.name.lower().endswith(EVIDENCE_EXTENSIONS):
        raise forms.ValidationError(_("Bukti harus berupa PDF, JPG atau PNG."))
    return file


class StepForm(forms.Form):
    """A note and, optionally, one evidence file of the kind the step expects."""

    evidence_kind = EvidenceKind.OTHER
    evidence_required = False

    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Bukti (PDF/JPG/PNG)"), required=False)

    def __init__(self, *args: Any, needs_note: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = needs_note
        self.fields["evidence"].required = self.evidence_required

    def clean_evidence(self) -> Any:
        return _check_evidence(self.cleaned_data.get("evidence"))

    def evidence_files(self) -> list[EvidenceFile]:
        file = self.cleaned_data.get("evidence")
        return [EvidenceFile(kind=self.evidence_kind, file=file)] if file else []


class WarningForm(StepForm):
    evidence_kind = EvidenceKind.WARNING_LETTER
    issued_on = forms.DateField(
        label=_("Tanggal surat teguran"), required=False, widget=DateInput, help_text=_("Kosongkan untuk hari ini.")
    )


class FineForm(StepForm):
    evidence_kind = EvidenceKind.FINE_NOTICE
    imposed_on = forms.DateField(label=_("Tanggal penetapan denda"), required=False, widget=DateInput)
    contributions_owed = forms.DecimalField(
        label=_("Iuran yang seharusnya dibayar (Rp)"),
        required=False,
        min_value=0,
        decimal_places=0,
        help_text=_("Dasar denda: 0,1% per bulan sejak teguran II berakhir (PP 86/2013 Pasal 7)."),
    )
    amount = forms.DecimalField(
        label=_("Besar denda (Rp)"),
        required=False,
        min_value=0,
        decimal_places=0,
        help_text=_("Kosongkan agar dihitung dari iuran terutang."),
    )


class TMP2TRequestForm(StepForm):
    evidence_kind = EvidenceKind.WARNING_LETTER
    evidence_required = True


class VerificationForm(StepForm):
    evidence_kind = EvidenceKind.INSPECTION_NOTE


class RecommendationForm(StepForm):
    evidence_kind = EvidenceKind.INSPECTION_NOTE
    number = forms.CharField(label=_("Nomor surat rekomendasi"), max_length=100)
    issued_on = forms.DateField(label=_("Tanggal surat"), required=False, widget=DateInput)
    services = forms.MultipleChoiceField(
        label=_("Layanan yang ditahan"),
        choices=ServiceFollowUp.Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class RevocationRequestForm(StepForm):
    """The three kinds of proof; the case says which its category needs."""

    payment = forms.FileField(label=EvidenceKind.PAYMENT.label, required=False)
    registration = forms.FileField(label=EvidenceKind.REGISTRATION.label, required=False)
    corrected_data = forms.FileField(label=EvidenceKind.DATA.label, required=False)

    KINDS = {
        "payment": EvidenceKind.PAYMENT,
        "registration": EvidenceKind.REGISTRATION,
        "corrected_data": EvidenceKind.DATA,
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.KINDS:
            try:
                _check_evidence(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def evidence_files(self) -> list[EvidenceFile]:
        files = [EvidenceFile(kind=kind, file=self.cleaned_data[name]) for name, kind in self.KINDS.items()]
        return [item for item in files if item.file] + super().evidence_files()


class RevocationForm(StepForm):
    number = forms.CharField(label=_("Nomor surat pencabutan"), max_length=100)
    revoked_on = forms.DateField(label=_("Tanggal surat"), required=False, widget=DateInput)


class FollowUpForm(StepForm):
    """A service unit records that it withheld, or restored, its service."""

    evidence_kind = EvidenceKind.SERVICE_NOTICE
    reference_number = forms.CharField(label=_("Nomor surat / referensi"), max_length=100)
    on = forms.DateField(label=_("Tanggal"), required=False, widget=DateInput, help_text=_("Kosongkan untuk hari ini."))


class ListUploadForm(forms.Form):
    file = forms.FileField(label=_("Daftar ketidakpatuhan (CSV atau XLSX)"))
    dry_run = forms.BooleanField(label=_("Periksa saja, jangan simpan"), required=False)


class PeriodForm(forms.Form):
    opened_from = forms.DateField(label=_("Teridentifikasi sejak"), required=False, widget=DateInput)
    opened_to = forms.DateField(label=_("sampai"), required=False, widget=DateInput)
