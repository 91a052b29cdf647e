"""Forms of the Program 3 record pages (3a, 3b, 3d, 3e, 3f): they parse, the service stores.

Names of team members go one per line; training participants one per line as
``Nama; Jabatan; Instansi atau NPP perusahaan``. A wrong line is an error naming its line number.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from compliance.forms import DateInput
from compliance.program3 import Inspection, JointProgramme, Training, WorkAccident
from registry.models import Region
from registry.names import normalize_npp


class LinesField(forms.CharField):
    """One name per line -> a list of names (blank lines dropped)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [" ".join(line.split())[:200] for line in text.splitlines() if line.strip()]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def parse_participants(text: str) -> list[dict[str, str]]:
    """``Nama; Jabatan; Instansi atau NPP`` per line; ValidationError naming the line that is wrong."""
    participants = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [" ".join(part.split()) for part in line.split(";")]
        if len(parts) > 3 or not parts[0]:
            raise forms.ValidationError(
                _("Baris %(line)s: tulis 'Nama; Jabatan; Instansi atau NPP' (nama wajib), bukan '%(text)s'.")
                % {"line": number, "text": line.strip()[:80]}
            )
        parts += [""] * (3 - len(parts))
        organization = parts[2]
        npp = (
            normalize_npp(organization)
            if organization.replace(" ", "").isalnum() and any(char.isdigit() for char in organization)
            else ""
        )
        participants.append(
            {"name": parts[0][:200], "position": parts[1][:200], "organization": "" if npp else organization[:300],
             "npp": npp}
        )  # fmt: skip
    return participants


class EmployerFields(forms.Form):
    """NPP, or the name and city of an employer not yet in the registry."""

    employer_npp = forms.CharField(label=_("NPP pemberi kerja"), required=False, max_length=20)
    employer_name = forms.CharField(label=_("Nama pemberi kerja"), required=False, max_length=300)
    employer_region = forms.ModelChoiceField(
        label=_("Kota"), required=False, queryset=Region.objects.all(), empty_label=_("(pilih kota)")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["employer_npp"] = normalize_npp(data.get("employer_npp", ""))
        if not data["employer_npp"] and not (data.get("employer_name") or "").strip():
            raise forms.ValidationError(_("Isi NPP pemberi kerja, atau nama dan kotanya."))
        return data


def _not_future(value: Any, what: str | Promise) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Tanggal %(what)s tidak boleh melewati hari ini.") % {"what": what})
    return value


class InspectionForm(EmployerFields, forms.ModelForm):
    labour_inspectors = LinesField(label=_("Pengawas ketenagakerjaan (satu nama per baris)"))
    bpjs_examiners = LinesField(label=_("Petugas pemeriksa BPJS (satu nama per baris)"))

    class Meta:
        model = Inspection
        fields = ["inspected_on", "labour_inspectors", "bpjs_examiners", "findings", "result", "note_number",
                  "note_on", "notes"]  # fmt: skip
        widgets = {"inspected_on": DateInput(), "note_on": DateInput(), "findings": forms.Textarea({"rows": 4})}

    def clean_inspected_on(self) -> Any:
        return _not_future(self.cleaned_data["inspected_on"], _("pemeriksaan"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("result") == Inspection.Result.NON_COMPLIANT and not (
            data.get("note_number") and data.get("note_on")
        ):
            self.add_error("note_number", _("Hasil tidak patuh memerlukan nomor dan tanggal nota pemeriksaan."))
        if data.get("note_on") and data.get("inspected_on") and data["note_on"] < data["inspected_on"]:
            self.add_error("note_on", _("Nota pemeriksaan tidak boleh sebelum tanggal pemeriksaan."))
        return data


class WorkAccidentForm(EmployerFields, forms.ModelForm):
    urc_team = LinesField(label=_("Tim URC pengawas (satu nama per baris)"))
    bpjs_officers = LinesField(label=_("Petugas BPJS (satu nama per baris)"), required=False)

    class Meta:
        model = WorkAccident
        fields = ["occurred_on", "reported_on", "location", "description", "workers_affected", "severity",
                  "coverage", "urc_team", "bpjs_officers", "status", "actions", "closed_on", "notes"]  # fmt: skip
        widgets = {
            "occurred_on": DateInput(),
            "reported_on": DateInput(),
            "closed_on": DateInput(),
            "description": forms.Textarea({"rows": 3}),
            "actions": forms.Textarea({"rows": 3}),
        }

    def clean_occurred_on(self) -> Any:
        return _not_future(self.cleaned_data["occurred_on"], _("kejadian"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reported_on") and data.get("occurred_on") and data["reported_on"] < data["occurred_on"]:
            self.add_error("reported_on", _("Tanggal laporan tidak boleh sebelum tanggal kejadian."))
        if (data.get("workers_affected") or 0) < 1 and "workers_affected" in data:
            self.add_error("workers_affected", _("Jumlah korban sedikitnya 1."))
        if data.get("status") == WorkAccident.Status.CLOSED and not data.get("closed_on"):
            self.add_error("closed_on", _("Kasus yang selesai memerlukan tanggal selesai."))
        return data


class JointProgrammeForm(forms.ModelForm):
    groups = forms.MultipleChoiceField(
        label=_("Unsur yang terlibat"), choices=JointProgramme.Group.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = JointProgramme
        fields = ["title", "year", "agreed_on", "groups", "content", "notes"]
        widgets = {"agreed_on": DateInput(), "content": forms.Textarea({"rows": 5})}

    def clean_groups(self) -> list[str]:
        groups: list[str] = self.cleaned_data["groups"]
        if not {JointProgramme.Group.BPJS_EXAMINERS, JointProgramme.Group.LABOUR_INSPECTORS} <= set(groups):
            raise forms.ValidationError(
                _("Program kerja bersama sedikitnya melibatkan petugas pemeriksa BPJS dan pengawas ketenagakerjaan.")
            )
        return groups

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not 2025 <= year <= 2100:
            raise forms.ValidationError(_("Tahun program di luar jangka waktu Nota Kesepakatan."))
        return year


class TrainingForm(forms.ModelForm):
    participants = forms.CharField(
        label=_("Peserta (per baris: Nama; Jabatan; Instansi atau NPP perusahaan)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Training
        fields = ["kind", "title", "starts_on", "ends_on", "location", "organizer", "notes"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean_participants(self) -> list[dict[str, str]]:
        participants = parse_participants(self.cleaned_data["participants"])
        if not participants:
            raise forms.ValidationError(_("Isi sedikitnya satu peserta."))
        return participants

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


FORMS: dict[str, type[forms.ModelForm]] = {  # type: ignore[type-arg]
    "pemeriksaan": InspectionForm,
    "kecelakaan": WorkAccidentForm,
    "program-kerja": JointProgrammeForm,
    "pelatihan": TrainingForm,
}


class Program3FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
