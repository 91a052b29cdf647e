"""The agreement, its parties and units, and its work plan (the annex, Dokumen Rencana Kerja).

The annex is a table of 16 columns: program and activity (tahapan kegiatan), location,
funding, the years ticked, for each party its responsible units (penanggung jawab) and its own
activity text, output and outcome. ``Activity`` is one row; ``Responsibility`` is one party's
half of it, with its ordered ``ResponsibleUnit`` rows.
"""

from __future__ import annotations

import datetime
import re

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.formatting import join_id


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
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="agreement_ends_after_start"),
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
        return self.filter(responsibilities__units__organization=organization).distinct()

    def with_plan(self) -> ActivityQuerySet:
        """Everything the work-plan table shows, in a fixed number of queries."""
        return self.select_related("program", "program__agreement").prefetch_related(
            models.Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.order_by("side").prefetch_related(
                    models.Prefetch(
                        "units", queryset=ResponsibleUnit.objects.select_related("organization").order_by("position")
                    )
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


class ResponsibleUnit(models.Model):
    """A penanggung jawab of one party for one activity, in the annex's order."""

    responsibility = models.ForeignKey(Responsibility, on_delete=models.CASCADE, related_name="units")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="responsibilities")
    position = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        ordering = ["responsibility", "position"]
        verbose_name = _("penanggung jawab")
        verbose_name_plural = _("penanggung jawab")
        constraints = [
            models.UniqueConstraint(fields=["responsibility", "organization"], name="responsible_unit_once"),
            models.UniqueConstraint(fields=["responsibility", "position"], name="responsible_unit_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.responsibility} {self.organization.short_name}"


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
