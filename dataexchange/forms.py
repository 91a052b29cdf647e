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
