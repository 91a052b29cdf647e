from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"}),
    )


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka NIK tanpa samaran"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicatat bersama nama Anda dan waktunya (Pasal 10 Nota Kesepakatan, UU PDP)."),
    )


class ExportForm(forms.Form):
    """How to export exchanged data: the format, and the NIKs masked (default) or in clear with a stated reason."""

    fmt = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx")
    unmask = forms.BooleanField(label=_("Tampilkan NIK tanpa samaran"), required=False)
    reason = forms.CharField(
        label=_("Alasan (wajib bila NIK tanpa samaran)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicatat bersama nama Anda dan waktunya (Pasal 10 Nota Kesepakatan, UU PDP)."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("unmask") and len(str(data.get("reason", "")).strip()) < 10:
            self.add_error("reason", _("Tuliskan alasan (paling sedikit 10 karakter) untuk membuka NIK."))
        return data
