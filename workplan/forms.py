"""Forms of the work-plan pages: they parse and validate input; the model methods and services act on it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ListedModelChoiceField
from workplan.models import Organization, Program, ProgressReport, WorkStatus
from workplan.progress import EvidenceRejected, evidence_check


class ProgressReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ProgressReport.CONTENT_FIELDS
        widgets = {
            "realisation": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "achievement": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01", "inputmode": "decimal"}),
        }
        help_texts = {"achievement": _("Realisasi dibagi target dikali 100, antara 0 dan 100.")}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Bukti dukung"), help_text=_("PDF, JPG, PNG, XLSX atau DOCX."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            evidence_check(upload)
        except EvidenceRejected as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pengembalian"), widget=forms.Textarea(attrs={"rows": 3}))


class YearlyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status tahunan"), choices=WorkStatus.choices)
    reason = forms.CharField(label=_("Alasan"), required=False, help_text=_("Wajib untuk “Tidak terlaksana”."))


class MatrixFilterForm(forms.Form):
    unit = ListedModelChoiceField(
        label=_("Unit kerja"), queryset=Organization.objects.filter(is_active=True), required=False
    )
    program = ListedModelChoiceField(label=_("Program"), queryset=Program.objects.all(), required=False)
