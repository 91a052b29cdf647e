from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"}),
    )


class RecipientForm(forms.Form):
    """Who the export is for (Pasal 10): the parties' own units, or a named third party (needs written consent)."""

    INTERNAL, THIRD_PARTY = "internal", "pihak_ketiga"
    audience = forms.ChoiceField(
        label=_("Untuk siapa"),
        required=False,  # not chosen: the parties' own units
        choices=[(INTERNAL, _("Untuk unit Para Pihak sendiri")), (THIRD_PARTY, _("Untuk pihak ketiga"))],
        initial=INTERNAL,
        widget=forms.RadioSelect,
    )
    recipient = forms.CharField(
        label=_("Nama pihak ketiga penerima"),
        required=False,
        max_length=300,
        help_text=_("Wajib bila untuk pihak ketiga; harus sama dengan nama dalam register persetujuan (Pasal 10)."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("audience") == self.THIRD_PARTY and not str(data.get("recipient", "")).strip():
            self.add_error("recipient", _("Sebutkan pihak ketiga yang akan menerima data ini."))
        return data

    @property
    def third_party(self) -> str:
        """The named third party, or ``""`` for the parties' own units."""
        if self.cleaned_data.get("audience") != self.THIRD_PARTY:
            return ""
        return str(self.cleaned_data["recipient"]).strip()


class UnmaskForm(RecipientForm):
    reason = forms.CharField(
        label=_("Alasan membuka NIK tanpa samaran"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicatat bersama nama Anda dan waktunya (Pasal 10 Nota Kesepakatan, UU PDP)."),
    )


class ExportForm(RecipientForm):
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
        data = super().clean()
        if data.get("unmask") and len(str(data.get("reason", "")).strip()) < 10:
            self.add_error("reason", _("Tuliskan alasan (paling sedikit 10 karakter) untuk membuka NIK."))
        return data
