"""The other Program 3 activities of the annex: integrated inspections (3a), work accidents handled
through the URC (3b), the joint work programme (3d) and the trainings (3e, 3f).

Each record can be attached to the matching activity's quarterly report as evidence
(``compliance.program3_services.record_attach_to_report``): its record sheet, a PDF, becomes a
bukti dukung of the report through the work plan's own evidence service, and ``ReportAttachment``
remembers which record went to which report.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.formatting import join_id, tanggal
from registry.models import Employer


class Program3QuerySet(models.QuerySet[Any]):
    def in_year(self, year: int) -> Program3QuerySet:
        return self.filter(**{f"{self.model.DATE_FIELD}__year": year})

    def search(self, text: str) -> Program3QuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(self.model.search_filter(text))

    def for_listing(self) -> Program3QuerySet:
        """What a list page or the API shows of each record, in a fixed number of queries."""
        return self.select_related(*self.model.LIST_RELATED).prefetch_related(*self.model.LIST_PREFETCH)


class Program3Record(models.Model):
    """What every Program 3 record shares: who recorded it and when, and its annex row."""

    LETTER: ClassVar[str]
    DATE_FIELD: ClassVar[str]
    LABEL: ClassVar[Any]
    # Relations a list shows (Program3QuerySet.for_listing); a kind with an employer adds it.
    LIST_RELATED: ClassVar[tuple[str, ...]] = ("recorded_by",)
    LIST_PREFETCH: ClassVar[tuple[str, ...]] = ()

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    notes = models.TextField(_("catatan"), blank=True)

    objects = Program3QuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def letter(self) -> str:
        return self.LETTER

    @property
    def activity_code(self) -> str:
        return f"3{self.letter}"

    @property
    def day(self) -> datetime.date:
        """The date that places the record in a triwulan of the work plan."""
        value: datetime.date = getattr(self, self.DATE_FIELD)
        return value

    @classmethod
    def search_filter(cls, text: str) -> Q:
        return Q(employer__name__icontains=text) | Q(employer__npp__iexact=text)

    def title_text(self) -> str:
        return str(getattr(self, "employer", ""))

    def sheet_rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the detail page and the record sheet PDF."""
        raise NotImplementedError


def _lines(values: list[str]) -> str:
    return join_id(list(values)) or "-"


class Inspection(Program3Record):
    """3a: a pemeriksaan terpadu by a joint team of labour inspectors and BPJS examiners (Pasal 1 o, p)."""

    LETTER, DATE_FIELD, LABEL = "a", "inspected_on", _("Pemeriksaan terpadu")
    LIST_RELATED = ("employer", "recorded_by")

    class Result(models.TextChoices):
        COMPLIANT = "patuh", _("Patuh")
        NON_COMPLIANT = "tidak_patuh", _("Tidak patuh: nota pemeriksaan diterbitkan")

    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField(_("tanggal pemeriksaan"))
    labour_inspectors = ArrayField(models.CharField(max_length=200), verbose_name=_("pengawas ketenagakerjaan"))
    bpjs_examiners = ArrayField(models.CharField(max_length=200), verbose_name=_("petugas pemeriksa BPJS"))
    findings = models.TextField(_("temuan"))
    result = models.CharField(_("hasil"), max_length=20, choices=Result.choices)
    note_number = models.CharField(_("nomor nota pemeriksaan"), max_length=100, blank=True)
    note_on = models.DateField(_("tanggal nota pemeriksaan"), null=True, blank=True)
    case = models.ForeignKey(
        "compliance.SanctionCase",
        verbose_name=_("kasus sanksi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
    )

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("pemeriksaan terpadu")
        verbose_name_plural = _("pemeriksaan terpadu")
        constraints = [
            # A joint team (Pasal 1 huruf o): at least one of each side.
            models.CheckConstraint(
                condition=~Q(labour_inspectors=[]) & ~Q(bpjs_examiners=[]), name="inspection_joint_team"
            ),
            models.CheckConstraint(
                condition=~Q(result="tidak_patuh") | (~Q(note_number="") & Q(note_on__isnull=False)),
                name="inspection_noncompliant_has_note",
            ),
            models.CheckConstraint(
                condition=Q(note_on__isnull=True) | Q(note_on__gte=F("inspected_on")), name="inspection_note_after"
            ),
        ]
        indexes = [models.Index(fields=["inspected_on"], name="inspection_date_idx")]

    def __str__(self) -> str:
        return f"{self.employer.name} {self.inspected_on:%Y-%m-%d}"

    def sheet_rows(self) -> list[tuple[str, str]]:
        note = f"{self.note_number}, {tanggal(self.note_on)}" if self.note_number else "-"
        return [
            (str(_("Pemberi kerja")), f"{self.employer.name} (NPP {self.employer.npp or '-'})"),
            (str(_("Tanggal pemeriksaan")), tanggal(self.inspected_on)),
            (str(_("Pengawas ketenagakerjaan")), _lines(self.labour_inspectors)),
            (str(_("Petugas pemeriksa BPJS")), _lines(self.bpjs_examiners)),
            (str(_("Temuan")), self.findings),
            (str(_("Hasil")), self.get_result_display()),
            (str(_("Nota pemeriksaan")), note),
        ]


class WorkAccident(Program3Record):
    """3b: a work-accident case handled through the URC (Unit Reaksi Cepat) of the labour inspectorate."""

    LETTER, DATE_FIELD, LABEL = "b", "occurred_on", _("Kecelakaan kerja (URC)")
    LIST_RELATED = ("employer", "recorded_by")

    class Severity(models.TextChoices):
        MINOR = "ringan", _("Luka ringan")
        SERIOUS = "berat", _("Luka berat")
        DISABILITY = "cacat", _("Cacat")
        FATAL = "meninggal", _("Meninggal dunia")

    class Coverage(models.TextChoices):
        COVERED = "terdaftar", _("Korban terdaftar program JKK")
        NOT_COVERED = "tidak_terdaftar", _("Korban tidak terdaftar program JKK")
        UNKNOWN = "belum_diketahui", _("Belum diketahui")

    class Status(models.TextChoices):
        REPORTED = "dilaporkan", _("Dilaporkan")
        HANDLING = "ditangani", _("Ditangani URC")
        CLOSED = "selesai", _("Selesai")

    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja"), on_delete=models.PROTECT, related_name="work_accidents"
    )
    occurred_on = models.DateField(_("tanggal kejadian"))
    reported_on = models.DateField(_("tanggal laporan"))
    location = models.CharField(_("lokasi kejadian"), max_length=300)
    description = models.TextField(_("uraian kejadian"))
    workers_affected = models.PositiveSmallIntegerField(_("jumlah korban"))
    severity = models.CharField(_("akibat terberat"), max_length=20, choices=Severity.choices)
    coverage = models.CharField(_("kepesertaan JKK"), max_length=20, choices=Coverage.choices)
    urc_team = ArrayField(models.CharField(max_length=200), verbose_name=_("tim URC pengawas"))
    bpjs_officers = ArrayField(
        models.CharField(max_length=200), verbose_name=_("petugas BPJS"), default=list, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    actions = models.TextField(_("penanganan"), blank=True)
    closed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("kasus kecelakaan kerja")
        verbose_name_plural = _("kasus kecelakaan kerja")
        constraints = [
            models.CheckConstraint(condition=Q(reported_on__gte=F("occurred_on")), name="accident_reported_after"),
            models.CheckConstraint(condition=Q(workers_affected__gte=1), name="accident_has_victim"),
            models.CheckConstraint(condition=~Q(urc_team=[]), name="accident_urc_team"),
            models.CheckConstraint(
                condition=~Q(status="selesai") | Q(closed_on__isnull=False), name="accident_closed_has_date"
            ),
        ]
        indexes = [models.Index(fields=["occurred_on"], name="accident_date_idx")]

    def __str__(self) -> str:
        return f"{self.employer.name} {self.occurred_on:%Y-%m-%d}"

    def sheet_rows(self) -> list[tuple[str, str]]:
        return [
            (str(_("Pemberi kerja")), f"{self.employer.name} (NPP {self.employer.npp or '-'})"),
            (str(_("Tanggal kejadian")), tanggal(self.occurred_on)),
            (str(_("Tanggal laporan")), tanggal(self.reported_on)),
            (str(_("Lokasi")), self.location),
            (str(_("Uraian kejadian")), self.description),
            (str(_("Jumlah korban")), str(self.workers_affected)),
            (str(_("Akibat terberat")), self.get_severity_display()),
            (str(_("Kepesertaan JKK")), self.get_coverage_display()),
            (str(_("Tim URC pengawas")), _lines(self.urc_team)),
            (str(_("Petugas BPJS")), _lines(self.bpjs_officers)),
            (str(_("Status")), self.get_status_display()),
            (str(_("Penanganan")), self.actions or "-"),
            (str(_("Tanggal selesai")), tanggal(self.closed_on) or "-"),
        ]


class JointProgramme(Program3Record):
    """3d: the joint work programme of BPJS examiners, labour inspectors, mediators and PPNS."""

    LETTER, DATE_FIELD, LABEL = "d", "agreed_on", _("Program kerja bersama")

    class Group(models.TextChoices):
        BPJS_EXAMINERS = "petugas_pemeriksa", _("Petugas Pemeriksa BPJS Ketenagakerjaan")
        LABOUR_INSPECTORS = "pengawas", _("Pengawas Ketenagakerjaan")
        MEDIATORS = "mediator", _("Mediator Hubungan Industrial")
        PPNS = "ppns", _("PPNS Ketenagakerjaan")

    title = models.CharField(_("judul"), max_length=300)
    year = models.PositiveSmallIntegerField(_("tahun program"))
    agreed_on = models.DateField(_("tanggal disepakati"))
    groups = ArrayField(models.CharField(max_length=20, choices=Group.choices), verbose_name=_("unsur yang terlibat"))
    content = models.TextField(_("isi program kerja"))

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        verbose_name = _("program kerja bersama")
        verbose_name_plural = _("program kerja bersama")
        constraints = [
            # Joint: BPJS examiners and labour inspectors at least (annex row 3d names all four).
            models.CheckConstraint(
                condition=Q(groups__contains=["petugas_pemeriksa", "pengawas"]), name="programme_joint_groups"
            ),
            models.CheckConstraint(condition=Q(year__gte=2025, year__lte=2100), name="programme_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @classmethod
    def search_filter(cls, text: str) -> Q:
        return Q(title__icontains=text)

    def title_text(self) -> str:
        return self.title

    def groups_text(self) -> str:
        labels = dict(self.Group.choices)
        return _lines([str(labels.get(group, group)) for group in self.groups])

    def sheet_rows(self) -> list[tuple[str, str]]:
        return [
            (str(_("Judul")), self.title),
            (str(_("Tahun program")), str(self.year)),
            (str(_("Tanggal disepakati")), tanggal(self.agreed_on)),
            (str(_("Unsur yang terlibat")), self.groups_text()),
            (str(_("Isi program kerja")), self.content),
        ]


class Training(Program3Record):
    """3e (inspection procedure for BPJS examiners) and 3f (Kader Norma for employers' HR managers)."""

    DATE_FIELD, LABEL = "starts_on", _("Pelatihan")
    LIST_PREFETCH = ("participants",)

    class Kind(models.TextChoices):
        EXAMINERS = "e", _("3e: Tata cara pemeriksaan bagi Petugas Pemeriksa BPJS Ketenagakerjaan")
        NORM_CADRE = "f", _("3f: Kader Norma Ketenagakerjaan bagi manajer SDM/kepatuhan pemberi kerja")

    kind = models.CharField(_("jenis pelatihan"), max_length=1, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=300)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    location = models.CharField(_("tempat"), max_length=300)
    organizer = models.CharField(_("penyelenggara"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["e", "f"]), name="training_kind_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="training_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d})"

    @property
    def letter(self) -> str:
        return self.kind

    @classmethod
    def search_filter(cls, text: str) -> Q:
        return Q(title__icontains=text) | Q(participants__organization__icontains=text)

    def title_text(self) -> str:
        return self.title

    def employers_text(self) -> str:
        names = {p.employer.name if p.employer else p.organization for p in self.participants.all()}
        return _lines(sorted(name for name in names if name))

    def sheet_rows(self) -> list[tuple[str, str]]:
        days = tanggal(self.starts_on)
        if self.ends_on != self.starts_on:
            days = f"{days} - {tanggal(self.ends_on)}"
        return [
            (str(_("Jenis")), self.get_kind_display()),
            (str(_("Judul")), self.title),
            (str(_("Tanggal")), days),
            (str(_("Tempat")), self.location),
            (str(_("Penyelenggara")), self.organizer or "-"),
            (str(_("Jumlah peserta")), str(self.participants.count())),
            (str(_("Instansi/pemberi kerja peserta")), self.employers_text()),
        ]


class TrainingParticipant(models.Model):
    """One participant: a BPJS examiner (3e) or an employer's HR/compliance manager or auditor (3f)."""

    training = models.ForeignKey(
        Training, verbose_name=_("pelatihan"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    organization = models.CharField(_("instansi/perusahaan"), max_length=300, blank=True)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("pemberi kerja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_participants",
    )

    class Meta:
        ordering = ["training", "pk"]
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")

    def __str__(self) -> str:
        return self.name


# The URL slug of each kind of record, in the annex's order.
KINDS: dict[str, type[Program3Record]] = {
    "pemeriksaan": Inspection,
    "kecelakaan": WorkAccident,
    "program-kerja": JointProgramme,
    "pelatihan": Training,
}
RECORD_FIELDS = {Inspection: "inspection", WorkAccident: "accident", JointProgramme: "programme", Training: "training"}


def _exactly_one(names: list[str]) -> Q:
    conditions = []
    for name in names:
        others = {f"{other}__isnull": True for other in names if other != name}
        conditions.append(Q(**{f"{name}__isnull": False}, **others))
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


class ReportAttachment(models.Model):
    """A Program 3 record attached, as its record sheet, to a work-plan quarterly report."""

    evidence = models.OneToOneField(
        "workplan.EvidenceFile", verbose_name=_("bukti dukung"), on_delete=models.CASCADE, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    accident = models.ForeignKey(
        WorkAccident, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    programme = models.ForeignKey(
        JointProgramme, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    training = models.ForeignKey(Training, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(_("dilampirkan"), auto_now_add=True)

    class Meta:
        ordering = ["attached_at", "pk"]
        verbose_name = _("lampiran ke laporan triwulan")
        verbose_name_plural = _("lampiran ke laporan triwulan")
        constraints = [
            models.CheckConstraint(condition=_exactly_one(list(RECORD_FIELDS.values())), name="attachment_one_record")
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id}"
