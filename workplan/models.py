"""The agreement, its parties and units, and its work plan (the annex, Dokumen Rencana Kerja).

The annex is a table of 16 columns: program and activity (tahapan kegiatan), location,
funding, the years ticked, for each party its responsible units (penanggung jawab) and its own
activity text, output and outcome. ``Activity`` is one row; ``Responsibility`` is one party's
half of it, with its ordered ``ResponsibleUnit`` rows.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import join_id
from core.templatetags.indonesia import tanggal, tanggal_jam


class Institution(models.TextChoices):
    PEMPROV = "pemprov", _("Pemerintah Provinsi DKI Jakarta")
    BPJS = "bpjs", _("BPJS Ketenagakerjaan")


class Side(models.IntegerChoices):
    """The MoU's own names for the parties."""

    FIRST = 1, _("PIHAK KESATU")
    SECOND = 2, _("PIHAK KEDUA")


class Agreement(models.Model):
    class Status(models.TextChoices):
        IN_FORCE = "berlaku", _("Berlaku")
        EXPIRED = "berakhir", _("Berakhir (jangka waktu habis)")
        TERMINATED = "diakhiri", _("Diakhiri (Pasal 13)")

    number = models.CharField(_("nomor PIHAK KESATU"), max_length=100, unique=True)
    second_number = models.CharField(_("nomor PIHAK KEDUA"), max_length=100)
    title = models.TextField(_("judul"))
    signed_on = models.DateField(_("tanggal penandatanganan"))
    signed_place = models.CharField(_("tempat penandatanganan"), max_length=100)
    term_years = models.PositiveSmallIntegerField(_("jangka waktu (tahun)"), default=5)
    starts_on = models.DateField(_("mulai berlaku"))
    ends_on = models.DateField(_("berlaku sampai dengan"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    object_text = models.TextField(_("objek (Pasal 3)"), blank=True)
    scope = ArrayField(models.TextField(), verbose_name=_("ruang lingkup (Pasal 4)"), default=list, blank=True)
    legal_basis = ArrayField(models.TextField(), verbose_name=_("dasar hukum"), default=list, blank=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("nota kesepakatan")
        verbose_name_plural = _("nota kesepakatan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="agreement_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Nota Kesepakatan Nomor {self.number} / {self.second_number}"

    @staticmethod
    def last_day_of_term(starts_on: datetime.date, years: int) -> datetime.date:
        """The last day in force of a term of ``years`` counted from ``starts_on``."""
        try:
            anniversary = starts_on.replace(year=starts_on.year + years)
        except ValueError:  # 29 February
            anniversary = starts_on.replace(year=starts_on.year + years, day=28) + datetime.timedelta(days=1)
        return anniversary - datetime.timedelta(days=1)

    def days_left(self, today: datetime.date) -> int:
        return max((self.ends_on - today).days, 0)

    @property
    def plan_years(self) -> list[int]:
        return list(range(self.starts_on.year, self.starts_on.year + self.term_years))


class Party(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    side = models.PositiveSmallIntegerField(_("pihak"), choices=Side.choices)
    institution = models.CharField(_("lembaga"), max_length=20, choices=Institution.choices)
    name = models.CharField(_("nama"), max_length=300)
    signatory_name = models.CharField(_("penandatangan"), max_length=200)
    signatory_title = models.TextField(_("jabatan penandatangan"))
    signatory_authority = models.TextField(_("dasar kewenangan"), blank=True)
    office_address = models.TextField(_("kedudukan"))

    class Meta:
        ordering = ["agreement", "side"]
        verbose_name = _("pihak")
        verbose_name_plural = _("para pihak")
        constraints = [models.UniqueConstraint(fields=["agreement", "side"], name="party_one_per_side")]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.name}"


def name_key(text: str) -> str:
    """What two spellings of a unit name share: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", text.casefold())


class NameKey(models.Func):
    """``name_key()`` in SQL, for one text column."""

    template = "regexp_replace(lower(%(expressions)s), '[^[:alnum:]]+', '', 'g')"
    output_field = models.TextField()


class AliasKeys(models.Func):
    """``name_key()`` of every element of a text array column, as an array."""

    template = (
        "ARRAY(SELECT regexp_replace(lower(alias), '[^[:alnum:]]+', '', 'g') FROM unnest(%(expressions)s) AS alias)"
    )
    output_field = ArrayField(models.TextField())


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def by_name(self, text: str) -> OrganizationQuerySet:
        """Units whose short name, official name or an alias is ``text``, ignoring case, spaces and punctuation."""
        key = name_key(text)
        if not key:
            return self.none()
        matches = models.Q(short_key=key) | models.Q(name_key=key) | models.Q(alias_keys__contains=[key])
        return self.alias(
            short_key=NameKey("short_name"), name_key=NameKey("name"), alias_keys=AliasKeys("aliases")
        ).filter(matches)


class Organization(models.Model):
    """A unit that carries responsibilities: a Pemprov perangkat daerah or a BPJS office."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        BPJS_REGIONAL = "kanwil", _("Kantor Wilayah BPJS Ketenagakerjaan")
        BPJS_BRANCH = "kantor_cabang", _("Kantor Cabang BPJS Ketenagakerjaan")

    name = models.CharField(_("nama resmi"), max_length=300, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40)
    institution = models.CharField(_("lembaga"), max_length=20, choices=Institution.choices)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kantor induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        help_text=_("Kantor cabang BPJS di bawah Kantor Wilayah (Pasal 6 ayat 3)."),
    )
    aliases = ArrayField(
        models.CharField(max_length=300),
        verbose_name=_("nama lain"),
        default=list,
        blank=True,
        help_text=_("Ejaan lain yang dipakai dokumen, dikenali saat impor."),
    )
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        constraints = [
            models.UniqueConstraint(Lower("short_name"), name="organization_short_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.short_name


class FundingSource(models.Model):
    """A funding source as the annex writes it (column 5), recognised on import."""

    name = models.CharField(_("nama"), max_length=300, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("sumber dana")
        verbose_name_plural = _("sumber dana")

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="programs")
    number = models.PositiveSmallIntegerField(_("nomor"))
    title = models.TextField(_("program"))

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="program_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_agreement(self, agreement: Agreement) -> ActivityQuerySet:
        return self.filter(program__agreement=agreement)

    def in_year(self, year: int) -> ActivityQuerySet:
        return self.filter(years__contains=[year])

    def for_organization(self, organization: Organization) -> ActivityQuerySet:
        """Activities ``organization`` is responsible for under the plan now (retired units left out)."""
        units = models.Q(responsibilities__units__organization=organization)
        return self.filter(units, responsibilities__units__retired_on__isnull=True).distinct()

    def with_plan(self, *, year: int | None = None) -> ActivityQuerySet:
        """Everything the work-plan table shows, in a fixed number of queries: the plan now, so
        units an amendment retired are left out (``ResponsibleUnit.objects.retired()`` has them);
        with ``year``, the units that were on the plan in that year (``ResponsibleUnit.objects.in_year``)."""
        units = ResponsibleUnit.objects.current() if year is None else ResponsibleUnit.objects.in_year(year)
        units = units.select_related("organization").order_by("position", "pk")
        return self.select_related("program", "program__agreement").prefetch_related(
            models.Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.order_by("side").prefetch_related(
                    models.Prefetch("units", queryset=units)
                ),
            )
        )


class Activity(models.Model):
    """One row of the annex: a tahapan kegiatan such as ``2e``."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="activities")
    letter = models.CharField(_("huruf"), max_length=2)
    title = models.TextField(_("tahapan kegiatan"))
    location = models.CharField(_("lokasi"), max_length=200)
    funding = ArrayField(models.CharField(max_length=300), verbose_name=_("sumber dana"), default=list, blank=True)
    years = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("tahun"), default=list)
    output = models.TextField(_("output"))
    outcome = models.TextField(_("outcome"))

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["program__number", "letter"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        constraints = [models.UniqueConstraint(fields=["program", "letter"], name="activity_letter_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def code(self) -> str:
        return f"{self.program.number}{self.letter}"

    @property
    def funding_text(self) -> str:
        """Column 5 as the annex writes it: ``APBN, APBD dan Anggaran Belanja PIHAK KEDUA``."""
        return join_id(list(self.funding))

    def responsibility(self, side: int) -> Responsibility | None:
        return next((r for r in self.responsibilities.all() if r.side == side), None)

    @property
    def first_party(self) -> Responsibility | None:
        return self.responsibility(Side.FIRST)

    @property
    def second_party(self) -> Responsibility | None:
        return self.responsibility(Side.SECOND)


class Responsibility(models.Model):
    """One party's half of an annex row: its responsible units and its own activity text."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="responsibilities")
    side = models.PositiveSmallIntegerField(_("pihak"), choices=Side.choices)
    text = models.TextField(_("kegiatan"))

    class Meta:
        ordering = ["activity", "side"]
        verbose_name = _("tugas dan tanggung jawab")
        verbose_name_plural = _("tugas dan tanggung jawab")
        constraints = [models.UniqueConstraint(fields=["activity", "side"], name="responsibility_one_per_side")]

    def __str__(self) -> str:
        return f"{self.activity.code} {self.get_side_display()}"

    @property
    def organizations(self) -> list[Organization]:
        return [unit.organization for unit in self.units.all()]


class ResponsibleUnitQuerySet(models.QuerySet["ResponsibleUnit"]):
    def current(self) -> ResponsibleUnitQuerySet:
        """The units of the plan now: not retired by an amendment."""
        return self.filter(retired_on__isnull=True)

    def retired(self) -> ResponsibleUnitQuerySet:
        return self.filter(retired_on__isnull=False)

    def in_year(self, year: int) -> ResponsibleUnitQuerySet:
        """The units on the plan in ``year``: those that owe a report on at least one of its triwulan
        (:meth:`ResponsibleUnit.owes`), whatever a later amendment did. A unit owes the triwulan that
        ended before it was retired and those that ended on or after the day it joined, so it is in
        the year when it was retired after the first triwulan's end and joined by the last one's."""
        left_after = models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=quarter_end(year, 1))
        joined_by = models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=quarter_end(year, 4))
        return self.filter(left_after, joined_by)


class ResponsibleUnit(models.Model):
    """A penanggung jawab of one party for one activity, in the annex's order.

    An amendment that takes a unit off an activity it has already reported on retires the row
    (``retired_on``, the amendment's effective date) instead of deleting it, so its reports stay
    readable; from that date the unit owes no more reports (:meth:`owes`). A unit an amendment adds
    (``joined_on``, its effective date) owes reports from the triwulan in which it took effect.
    """

    responsibility = models.ForeignKey(Responsibility, on_delete=models.CASCADE, related_name="units")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="responsibilities")
    position = models.PositiveSmallIntegerField(_("urutan"))
    retired_on = models.DateField(_("tidak lagi bertugas sejak"), null=True, blank=True)
    retired_basis = models.CharField(_("dasar penghentian"), max_length=200, blank=True)
    joined_on = models.DateField(_("bertugas sejak"), null=True, blank=True)
    joined_basis = models.CharField(_("dasar penambahan"), max_length=200, blank=True)

    objects = ResponsibleUnitQuerySet.as_manager()

    class Meta:
        ordering = ["responsibility", "position"]
        verbose_name = _("penanggung jawab")
        verbose_name_plural = _("penanggung jawab")
        constraints = [
            models.UniqueConstraint(fields=["responsibility", "organization"], name="responsible_unit_once"),
            # Retired units keep the position they had; only the current ones are numbered 1..n.
            models.UniqueConstraint(
                fields=["responsibility", "position"],
                condition=models.Q(retired_on__isnull=True),
                name="responsible_unit_position_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(retired_on__isnull=True) | ~models.Q(retired_basis=""),
                name="responsible_unit_retired_has_basis",
            ),
            models.CheckConstraint(
                condition=models.Q(joined_on__isnull=True) | ~models.Q(joined_basis=""),
                name="responsible_unit_joined_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.responsibility} {self.organization.short_name}"

    def owes(self, year: int, quarter: int) -> bool:
        return not self.not_owed_reason(year, quarter)

    def not_owed_reason(self, year: int, quarter: int) -> str:
        """Why the unit owes no report on the triwulan ("" when it does).

        Only triwulan within the agreement's term count (a termination shortens ``ends_on``:
        Pasal 13 closes the later ones), a retired unit owes only those that ended before it left,
        and a unit added by an amendment only those that ended on or after the day it took effect: the
        triwulan in which an amendment takes effect belongs to the amended plan, for both.
        """
        agreement = self.responsibility.activity.program.agreement
        starts = datetime.date(year, 3 * quarter - 2, 1)
        if quarter_end(year, quarter) < agreement.starts_on or starts > agreement.ends_on:
            return _("Triwulan ini di luar jangka waktu Nota Kesepakatan (berlaku sampai dengan %(day)s).") % {
                "day": tanggal(agreement.ends_on)
            }
        if self.retired_on is not None and quarter_end(year, quarter) >= self.retired_on:
            return f"{self.organization.short_name}: {self.retired_label}"
        if self.joined_on is not None and quarter_end(year, quarter) < self.joined_on:
            return f"{self.organization.short_name}: {self.joined_label}"
        return ""

    @property
    def joined_label(self) -> str:
        if self.joined_on is None:
            return ""
        return _("Menjadi penanggung jawab sejak %(day)s (%(basis)s).") % {
            "day": tanggal(self.joined_on),
            "basis": self.joined_basis,
        }

    @property
    def retired_label(self) -> str:
        if self.retired_on is None:
            return ""
        return _("Tidak lagi menjadi penanggung jawab sejak %(day)s (%(basis)s).") % {
            "day": tanggal(self.retired_on),
            "basis": self.retired_basis,
        }


class LiaisonOfficer(models.Model):
    """A party's pejabat penghubung and address for correspondence (Pasal 14)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="liaisons")
    side = models.PositiveSmallIntegerField(_("pihak"), choices=Side.choices)
    position = models.TextField(_("pejabat penghubung"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="liaison_roles")
    address = models.TextField(_("alamat"))
    phones = ArrayField(models.CharField(max_length=40), verbose_name=_("nomor telepon"), default=list)
    email = models.EmailField(_("email"))
    valid_from = models.DateField(_("berlaku sejak"))

    class Meta:
        ordering = ["agreement", "side", "-valid_from"]
        verbose_name = _("pejabat penghubung")
        verbose_name_plural = _("pejabat penghubung")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "side", "valid_from"], name="liaison_one_per_side_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.position}"


# --- Progress tracking (e-Monev, DOMAIN.md section 7): quarterly reports, evidence, yearly status ---


class Quarter(models.IntegerChoices):
    """Triwulan I-IV."""

    Q1 = 1, _("Triwulan I")
    Q2 = 2, _("Triwulan II")
    Q3 = 3, _("Triwulan III")
    Q4 = 4, _("Triwulan IV")


def quarter_end(year: int, quarter: int) -> datetime.date:
    """The last day of a triwulan: 31 March, 30 June, 30 September, 31 December."""
    next_month = datetime.date(year, 3 * quarter, 1) + datetime.timedelta(days=31)
    return next_month.replace(day=1) - datetime.timedelta(days=1)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


class WorkStatus(models.TextChoices):
    """Where an activity stands for one unit: the e-Monev ``status`` of a report and the yearly status."""

    PLANNED = "direncanakan", _("Direncanakan")
    IN_PROGRESS = "berjalan", _("Sedang berjalan")
    DONE = "selesai", _("Selesai")
    NOT_DONE = "tidak_terlaksana", _("Tidak terlaksana")


# Capaian bands (PermenPANRB e-Monev; DOMAIN.md section 7): the lowest achievement % of each band.
ACHIEVEMENT_BANDS = (
    (Decimal(91), _("Sangat Baik")),
    (Decimal(76), _("Baik")),
    (Decimal(66), _("Cukup")),
    (Decimal(51), _("Kurang")),
    (Decimal(0), _("Sangat Kurang")),
)


class TransitionError(Exception):
    """A workflow step that the report's state or the user's role does not allow; the message says why."""


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def for_organization(self, organization: Organization) -> ProgressReportQuerySet:
        return self.filter(unit__organization=organization)

    def for_institution(self, institution: str) -> ProgressReportQuerySet:
        return self.filter(unit__organization__institution=institution)

    def in_year(self, year: int) -> ProgressReportQuerySet:
        return self.filter(year=year)

    def awaiting_review(self) -> ProgressReportQuerySet:
        return self.filter(state=ProgressReport.State.SUBMITTED)

    def with_context(self) -> ProgressReportQuerySet:
        """The unit, its activity and program, and the people on the report, in one query."""
        return self.select_related(
            "unit__organization",
            "unit__responsibility__activity__program",
            "created_by",
            "submitted_by",
            "approved_by",
            "returned_by",
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True)
class ProgressReport(models.Model):
    """One responsible unit's e-Monev report for one triwulan: status, realisation, achievement, kendala.

    The workflow is ``draft -> submitted -> approved`` or ``submitted -> returned -> submitted``.
    Each step is a method (``submit``, ``approve``, ``return_``) that checks :attr:`TRANSITIONS`.
    An approved report is locked; :attr:`lock_reason` says by whom and since when.
    """

    class State(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Diajukan, menunggu verifikasi")
        APPROVED = "disetujui", _("Disetujui")
        RETURNED = "dikembalikan", _("Dikembalikan untuk perbaikan")

    # The workflow: for each step, the states it starts from, the roles that may take it, where it ends.
    # Which unit's reports a reporter may touch is decided in workplan/access.py.
    TRANSITIONS: dict[str, dict[str, Any]] = {
        "submit": {"from": {"draf", "dikembalikan"}, "roles": {"staf_dinas", "petugas_bpjs"}, "to": "diajukan"},
        "approve": {"from": {"diajukan"}, "roles": {"sekretariat"}, "to": "disetujui"},
        "return": {"from": {"diajukan"}, "roles": {"sekretariat"}, "to": "dikembalikan"},
    }
    EDITABLE_STATES = frozenset({"draf", "dikembalikan"})
    REPORTER_ROLES = frozenset({"staf_dinas", "petugas_bpjs"})

    unit = models.ForeignKey(
        ResponsibleUnit, verbose_name=_("penanggung jawab"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    work_status = models.CharField(
        _("status kegiatan"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.IN_PROGRESS
    )
    realisation = models.TextField(_("realisasi"), blank=True)
    achievement = models.DecimalField(
        _("capaian (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    obstacles = models.TextField(_("kendala"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    state = models.CharField(_("tahap"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    # Kept through returns and resubmissions: timeliness counts from the first submission.
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    # The work-plan version (clauses, Pasal 15) in force at the end of the triwulan when the report
    # was made; the report is read against it even if a later amendment is dated back. Empty for
    # reports older than the field: they are read against the version in force at the quarter's end.
    plan_version = models.PositiveSmallIntegerField(_("versi rencana kerja"), null=True, blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "unit"]
        verbose_name = _("laporan triwulan")
        verbose_name_plural = _("laporan triwulan")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="progress_report_one_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="progress_report_quarter"),
            models.CheckConstraint(
                condition=models.Q(achievement__isnull=True) | models.Q(achievement__gte=0, achievement__lte=100),
                name="progress_report_achievement_percent",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="dikembalikan") | ~models.Q(return_reason=""),
                name="progress_report_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="disetujui") | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="progress_report_approved_has_approver",
            ),
        ]
        indexes = [
            # The secretariat's review queue: submitted reports, oldest first.
            models.Index(fields=["state", "submitted_at"], name="progress_report_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_quarter_display()} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def lock_reason(self) -> str:
        """Why the report cannot be changed now; empty when it can."""
        if self.state == self.State.APPROVED:
            return _("Terkunci: disetujui oleh %(who)s pada %(when)s.") % {
                "who": self.approved_by,
                "when": tanggal_jam(self.approved_at),
            }
        if self.state == self.State.SUBMITTED:
            return _("Terkunci selama verifikasi: diajukan oleh %(who)s pada %(when)s.") % {
                "who": self.submitted_by,
                "when": tanggal_jam(self.submitted_at),
            }
        return ""

    @property
    def due_date(self) -> datetime.date:
        return quarter_due_date(self.year, self.quarter)

    @property
    def submitted_late(self) -> bool:
        """Whether the first submission came after the due date, in Jakarta days."""
        first = self.first_submitted_at
        return first is not None and timezone.localdate(first) > self.due_date

    @property
    def achievement_band(self) -> str:
        """The e-Monev band of the achievement (DOMAIN.md section 7), e.g. "Baik" for 76-90 %."""
        if self.achievement is None:
            return ""
        return next(str(label) for floor, label in ACHIEVEMENT_BANDS if self.achievement >= floor)

    def check_transition(self, step: str, by: Any) -> None:
        """Raise :class:`TransitionError` unless ``by`` may take ``step`` from the current state."""
        rule = self.TRANSITIONS[step]
        if not (by.role in rule["roles"] or (by.is_superuser and "sekretariat" in rule["roles"])):
            raise TransitionError(
                _("Peran %(role)s tidak boleh melakukan langkah ini.") % {"role": by.get_role_display()}
            )
        if self.state not in rule["from"]:
            raise TransitionError(
                _("Laporan berstatus “%(state)s” tidak dapat diproses dengan langkah ini.")
                % {"state": self.get_state_display()}
            )
        if by.role in self.REPORTER_ROLES:
            from workplan.access import may_report_for

            if not may_report_for(by, self.unit):
                raise TransitionError(_("Anda hanya dapat mengajukan laporan unit kerja Anda sendiri."))

    CONTENT_FIELDS = ("work_status", "realisation", "achievement", "obstacles", "follow_up")

    def edit(self, *, by: Any, **values: Any) -> None:
        """Change the e-Monev fields of a draft or returned report."""
        if not self.is_editable:
            raise TransitionError(self.lock_reason)
        from workplan.access import may_report_for

        if not may_report_for(by, self.unit):
            raise TransitionError(_("Anda hanya dapat mengubah laporan unit kerja Anda sendiri."))
        for name in self.CONTENT_FIELDS:
            if name in values:
                setattr(self, name, values[name])
        with pghistory.context(user=by.pk, step="edit"):
            self.save()

    def submit(self, *, by: Any) -> None:
        self.check_transition("submit", by)
        if self.achievement is None or not self.realisation.strip():
            raise TransitionError(_("Isi realisasi dan capaian (%) sebelum mengajukan laporan."))
        now = timezone.now()
        self._move("submit", by, submitted_by=by, submitted_at=now, first_submitted_at=self.first_submitted_at or now)

    def approve(self, *, by: Any) -> None:
        self.check_transition("approve", by)
        self._move("approve", by, approved_by=by, approved_at=timezone.now())

    def return_(self, *, by: Any, reason: str) -> None:
        self.check_transition("return", by)
        if not reason.strip():
            raise TransitionError(_("Alasan pengembalian wajib diisi."))
        self._move("return", by, returned_by=by, returned_at=timezone.now(), return_reason=reason.strip())

    def _move(self, step: str, by: Any, **fields: Any) -> None:
        self.state = self.TRANSITIONS[step]["to"]
        for name, value in fields.items():
            setattr(self, name, value)
        with pghistory.context(user=by.pk, step=step):
            self.save()


def quarter_due_date(year: int, quarter: int, calendar: Any = None) -> datetime.date:
    """The report deadline: ``PROGRESS_REPORT_DUE_WORKING_DAYS`` hari kerja after the triwulan ends."""
    from core.workdays import WorkdayCalendar

    end = quarter_end(year, quarter)
    days = settings.PROGRESS_REPORT_DUE_WORKING_DAYS
    calendar = calendar or WorkdayCalendar.around(end, days)
    return calendar.add(end, days)


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    # Never the uploader's file name on disk: it is kept in ``original_name`` instead.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"bukti-dukung/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True)
class EvidenceFile(models.Model):
    """A bukti dukung attached to a report; served only through an access-checked view."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("berkas"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=10)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        constraints = [
            models.UniqueConstraint(fields=["report", "sha256"], name="evidence_once_per_report"),
        ]

    def __str__(self) -> str:
        return self.original_name


class YearlyStatusQuerySet(models.QuerySet["YearlyStatus"]):
    def for_agreement(self, agreement: Agreement) -> YearlyStatusQuerySet:
        return self.filter(unit__responsibility__activity__program__agreement=agreement)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True)
class YearlyStatus(models.Model):
    """Where one responsible unit stands on its activity for one year; set by the unit.

    No row means "planned". The rules that check it against the quarterly reports are in
    ``workplan.progress.yearly_status_set``.
    """

    unit = models.ForeignKey(
        ResponsibleUnit, verbose_name=_("penanggung jawab"), on_delete=models.PROTECT, related_name="yearly_statuses"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED)
    reason = models.TextField(_("alasan"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("ditetapkan"), auto_now=True)

    objects = YearlyStatusQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "year"]
        verbose_name = _("status tahunan")
        verbose_name_plural = _("status tahunan")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="yearly_status_one_per_year"),
            models.CheckConstraint(
                condition=~models.Q(status="tidak_terlaksana") | ~models.Q(reason=""),
                name="yearly_status_not_done_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.get_status_display()}"


# The reference data keeps the same append-only, trigger-written history as the progress records,
# so a seed run, an admin edit or an annex import leaves a trail (who, when, before, after).
for _tracked in (Agreement, Party, Organization, Program, Activity, Responsibility, ResponsibleUnit, LiaisonOfficer):
    pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True)(
        _tracked
    )
