"""Forms of the evaluation pages: they parse input; the model methods and services act on it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from workplan.models import Organization, Program

MAX_PDF_BYTES = 50 * 1024 * 1024


class GenerateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(year, str(year)) for year in years]


class RecommendationsForm(forms.Form):
    recommendations = forms.CharField(
        label=_("Rekomendasi (Bab VI)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Misalnya: dilanjutkan, atau diubah melalui Adendum (Pasal 15)."),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Berkas PDF laporan"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar."))
        return upload


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False, empty_value=None)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.all(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit kerja"), queryset=Organization.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Semua tahun")), *[(year, str(year)) for year in years]]
        cast(forms.TypedChoiceField, self.fields["year"]).choices = choices
