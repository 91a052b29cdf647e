"""Forms for the secretariat. They only parse; the rules are in clauses.services and the models."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clauses.models import Amendment, DisclosureRequest, ForceMajeure, Letter, Termination
from workplan.models import Activity, Agreement, Organization, Side


class DateInput(forms.DateInput):
    input_type = "date"


def _dates(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput(format="%Y-%m-%d")


class DirectoryDateForm(forms.Form):
    tanggal = forms.DateField(label=_("alamat yang berlaku pada tanggal"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class ExtensionForm(forms.Form):
    new_ends_on = forms.DateField(label=_("berlaku sampai dengan (baru)"))
    agreed_on = forms.DateField(label=_("tanggal kesepakatan perpanjangan"))
    basis_document = forms.CharField(label=_("dokumen dasar (nomor dan judul)"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class ForceMajeureForm(forms.ModelForm):
    class Meta:
        model = ForceMajeure
        fields = ["affected_side", "event_date", "description", "notice_number", "notice_sent_on", "notice_received_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class ResponseForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("tanggapan"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Menyetujui adanya keadaan kahar")), ("0", _("Tidak menyetujui / musyawarah"))],
    )
    responded_on = forms.DateField(label=_("tanggal tanggapan"))
    text = forms.CharField(label=_("isi tanggapan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class AdjustmentForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("kegiatan"), queryset=Activity.objects.none())
    change = forms.CharField(label=_("penyesuaian"), widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("alasan"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["activity"]).queryset = Activity.objects.for_agreement(
            agreement
        ).select_related("program")


class AddressChangeForm(forms.Form):
    side = forms.TypedChoiceField(label=_("pihak"), choices=Side.choices, coerce=int)
    notice_number = forms.CharField(label=_("nomor surat pemberitahuan"), max_length=100)
    notified_on = forms.DateField(label=_("tanggal pemberitahuan"))
    effective_on = forms.DateField(label=_("berlaku sejak"))
    position = forms.CharField(label=_("pejabat penghubung"), max_length=300)
    organization = forms.ModelChoiceField(label=_("unit kerja"), queryset=Organization.objects.filter(is_active=True))
    address = forms.CharField(label=_("alamat"), widget=forms.Textarea(attrs={"rows": 2}))
    phones = forms.CharField(label=_("nomor telepon (pisahkan dengan koma)"), required=False)
    email = forms.EmailField(label=_("email"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)

    def clean_phones(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["phones"].split(",") if p.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class LetterForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("lampiran (boleh lebih dari satu)"), required=False)

    class Meta:
        model = Letter
        fields = [
            "number",
            "date",
            "direction",
            "channel",
            "sender",
            "addressee",
            "subject",
            "activity",
            "force_majeure",
        ]

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)
        cast(forms.ModelChoiceField, self.fields["activity"]).queryset = Activity.objects.for_agreement(
            agreement
        ).select_related("program")
        cast(forms.ModelChoiceField, self.fields["force_majeure"]).queryset = ForceMajeure.objects.filter(
            agreement=agreement
        )


class TerminationForm(forms.ModelForm):
    class Meta:
        model = Termination
        fields = [
            "number",
            "ground",
            "ground_detail",
            "signed_on",
            "effective_on",
            "first_party_signatory",
            "second_party_signatory",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class DisclosureRequestForm(forms.ModelForm):
    class Meta:
        model = DisclosureRequest
        fields = ["requesting_side", "recipient", "dataset", "purpose", "requested_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class DisclosureDecisionForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("keputusan"), coerce=lambda v: v == "1", choices=[("1", _("Disetujui tertulis")), ("0", _("Ditolak"))]
    )
    decided_on = forms.DateField(label=_("tanggal keputusan"))
    letter_number = forms.CharField(label=_("nomor surat"), max_length=100, required=False)
    valid_until = forms.DateField(label=_("berlaku sampai"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["number", "title", "signed_on", "effective_on", "annex_file"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)
