"""Program 2 of the annex as data exchanges: streams, their quarterly periods, uploads, the lists and matching.

* :class:`Stream`: one per annex activity 2a-2f (who sends, who receives, cadence, purpose and
  lawful basis for personal data), with its versioned column declarations (:class:`SchemaVersion`).
* :class:`ExchangePeriod`: one stream x quarter (``2025Q1``) x sending unit, with its due date in
  working days; opened by the beat schedule, reminded, marked overdue.
* :class:`Submission`: one uploaded file (SHA-256 recognises a re-upload), accepted or rejected
  whole; its problems are :class:`SubmissionError` rows, downloadable as CSV/XLSX.
* :class:`PersonRecord`: one person of an accepted 2e list (NIK as a keyed HMAC token and a mask;
  the clear NIK only in the kept file until the retention purge), with the matching verdict
  against BPJS's :class:`MembershipRecord` extract.
* :class:`AccessLog`: every unmasked view or export of personal data (UU PDP, Pasal 10 MoU).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workplan.models import Agreement, Organization, quarter_end


class Cadence(models.TextChoices):
    QUARTERLY = "triwulanan", _("Setiap 3 bulan (triwulanan)")
    AD_HOC = "sewaktu_waktu", _("Sewaktu-waktu")


class LawfulBasis(models.TextChoices):
    """UU 27/2022 Pasal 20 ayat (2); DOMAIN.md section 6."""

    NONE = "", _("Tanpa data pribadi")
    LEGAL_OBLIGATION = "20_2_c", _("Pasal 20 ayat (2) huruf c UU PDP: kewajiban hukum")
    PUBLIC_TASK = "20_2_e", _("Pasal 20 ayat (2) huruf e UU PDP: tugas dan kepentingan umum")


class Stream(models.Model):
    """One data exchange of the annex (Program 2), identified by the annex code (``2e``)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="streams")
    code = models.CharField(_("kode"), max_length=4)
    title = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    senders = models.ManyToManyField(Organization, related_name="streams_sent", verbose_name=_("unit pengirim"))
    receiver = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="streams_received", verbose_name=_("penerima")
    )
    cadence = models.CharField(_("frekuensi"), max_length=20, choices=Cadence.choices)
    due_working_days = models.PositiveSmallIntegerField(_("batas kirim (hari kerja sejak triwulan dibuka)"), default=20)
    personal_data = models.BooleanField(_("berisi data pribadi"), default=False)
    purpose = models.TextField(_("tujuan pemrosesan"), blank=True)
    lawful_basis = models.CharField(
        _("dasar pemrosesan"), max_length=10, choices=LawfulBasis.choices, blank=True, default=LawfulBasis.NONE
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("alur pertukaran data")
        verbose_name_plural = _("alur pertukaran data")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="stream_code_unique"),
            models.CheckConstraint(
                condition=Q(personal_data=False) | (~Q(lawful_basis="") & ~Q(purpose="")),
                name="stream_personal_data_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def current_schema(self) -> SchemaVersion:
        return self.schemas.filter(version__lt=1000).order_by("-version").first()  # type: ignore[return-value]


class SchemaVersion(models.Model):
    """The columns a stream's file carries, as declared in ``dataexchange.schemas``, frozen per version."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="schemas")
    version = models.PositiveSmallIntegerField(_("versi"))
    columns = models.JSONField(_("kolom"), help_text=_("Nama baku, nama lain yang dikenali, wajib atau tidak."))
    valid_from = models.DateField(_("berlaku sejak"))

    class Meta:
        ordering = ["stream", "version"]
        verbose_name = _("versi skema")
        verbose_name_plural = _("versi skema")
        constraints = [models.UniqueConstraint(fields=["stream", "version"], name="schema_version_unique")]

    def __str__(self) -> str:
        return f"{self.stream.code} v{self.version}"


class ExchangePeriodQuerySet(models.QuerySet["ExchangePeriod"]):
    def for_sender(self, organization: Organization) -> ExchangePeriodQuerySet:
        return self.filter(unit=organization)

    def for_receiver(self, organization: Organization) -> ExchangePeriodQuerySet:
        return self.filter(stream__receiver=organization)

    def open(self) -> ExchangePeriodQuerySet:
        return self.filter(delivered_at__isnull=True)

    def due_between(self, start: datetime.date, end: datetime.date) -> ExchangePeriodQuerySet:
        return self.filter(due_on__range=(start, end))

    def on_time_rates(self, *, today: datetime.date) -> list[dict[str, Any]]:
        """Per stream, unit and quarter: periods due by ``today``, delivered on time, and the rate (%).

        A delivery is on time when its working-day lateness is zero (``delivered_on <= due_on``);
        ``due_on`` is itself counted in working days, so the rate is in working days.
        """
        rows = (
            self.filter(due_on__lte=today)
            .values("stream__code", "unit__short_name", "year", "quarter")
            .annotate(
                due=Count("pk"),
                on_time=Count("pk", filter=Q(delivered_on__lte=F("due_on"))),
                late=Count("pk", filter=Q(delivered_on__gt=F("due_on"))),
            )
            .order_by("stream__code", "unit__short_name", "year", "quarter")
        )
        return [{**row, "rate": round(100 * row["on_time"] / row["due"], 1)} for row in rows]


class ExchangePeriod(models.Model):
    """One sending unit's delivery for one stream and quarter."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="periods")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="exchange_periods")
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    opens_on = models.DateField(_("dibuka"))
    due_on = models.DateField(_("batas kirim"))
    delivered_on = models.DateField(_("dikirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("waktu kirim"), null=True, blank=True)
    reminded_on = models.DateField(_("diingatkan"), null=True, blank=True)
    overdue_marked_on = models.DateField(_("ditandai terlambat"), null=True, blank=True)

    objects = ExchangePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "stream__code", "unit__short_name"]
        verbose_name = _("periode pertukaran")
        verbose_name_plural = _("periode pertukaran")
        constraints = [
            # a second beat tick, or a second beat, opens nothing twice
            models.UniqueConstraint(fields=["stream", "year", "quarter", "unit"], name="period_one_per_unit_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_4"),
            models.CheckConstraint(condition=Q(due_on__gte=F("opens_on")), name="period_due_after_open"),
        ]
        indexes = [models.Index(fields=["due_on"], name="period_due_open_idx", condition=Q(delivered_at=None))]

    def __str__(self) -> str:
        return f"{self.stream.code} {self.label} {self.unit.short_name}"

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def ends_on(self) -> datetime.date:
        return quarter_end(self.year, self.quarter)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.delivered_at is None and today > self.due_on

    def mark_delivered(self, when: datetime.datetime) -> None:
        """The first accepted submission delivers the period; a later one changes nothing."""
        if self.delivered_at is None:
            self.delivered_at = when
            self.delivered_on = timezone.localdate(when)
            self.save(update_fields=["delivered_at", "delivered_on"])


def parse_period_label(label: str) -> tuple[int, int]:
    """``2025Q3`` -> ``(2025, 3)``; ``ValueError`` with an Indonesian message otherwise."""
    text = label.strip().upper()
    year, _sep, quarter = text.partition("Q")
    if not (year.isdigit() and len(year) == 4 and quarter in {"1", "2", "3", "4"}):
        raise ValueError(_("Periode %(label)s tidak dikenali; tulis seperti 2025Q3.") % {"label": label})
    return int(year), int(quarter)


class Submission(models.Model):
    """One uploaded file, processed all or nothing: accepted (its rows stored) or rejected (its errors kept)."""

    class Kind(models.TextChoices):
        LIST = "daftar", _("Daftar dari pengirim")
        MEMBERSHIP = "kepesertaan", _("Ekstrak kepesertaan BPJS")

    class Status(models.TextChoices):
        RECEIVED = "diterima_berkas", _("Berkas diterima, menunggu diproses")
        PROCESSING = "diproses", _("Sedang diproses")
        ACCEPTED = "diterima", _("Diterima")
        REJECTED = "ditolak", _("Ditolak")

    class Source(models.TextChoices):
        WEB = "web", _("Peramban")
        API = "api", _("API")
        CLI = "cli", _("Perintah")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.LIST)
    period = models.ForeignKey(
        ExchangePeriod, on_delete=models.PROTECT, related_name="submissions", null=True, blank=True
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="exchange_submissions")
    schema = models.ForeignKey(SchemaVersion, on_delete=models.PROTECT, related_name="submissions")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.WEB)
    filename = models.CharField(_("nama berkas"), max_length=255)
    file = models.FileField(_("berkas"), upload_to="pertukaran/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("ukuran (byte)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    purpose = models.TextField(_("tujuan pemrosesan"), blank=True)
    rows = models.PositiveIntegerField(_("baris"), default=0)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    matched_active = models.PositiveIntegerField(_("terdaftar aktif"), null=True, blank=True)
    matched_inactive = models.PositiveIntegerField(_("terdaftar tidak aktif"), null=True, blank=True)
    not_registered = models.PositiveIntegerField(_("belum terdaftar"), null=True, blank=True)
    matched_at = models.DateTimeField(_("dipadankan"), null=True, blank=True)
    created_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    purged_at = models.DateTimeField(_("daftar mentah dihapus"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kiriman")
        verbose_name_plural = _("kiriman")
        constraints = [
            # the same file for the same period is the same submission: a re-upload is recognised
            models.UniqueConstraint(fields=["period", "sha256"], name="submission_file_once_per_period"),
            models.UniqueConstraint(
                fields=["organization", "sha256"],
                condition=Q(kind="kepesertaan"),
                name="membership_file_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="kepesertaan") | Q(period__isnull=False), name="list_submission_has_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.ACCEPTED, self.Status.REJECTED}

    def summary(self, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The JSON summary of the command and the API: ``rows``, ``accepted``, ``errors``."""
        data: dict[str, Any] = {
            "submission": self.pk,
            "status": self.status,
            "rows": self.rows,
            "accepted": self.status == self.Status.ACCEPTED,
            "error_count": self.error_count,
            "errors": errors if errors is not None else [],
        }
        if self.matched_at:
            data["matching"] = {
                "registered_active": self.matched_active,
                "registered_inactive": self.matched_inactive,
                "not_registered": self.not_registered,
            }
        return data


class SubmissionError(models.Model):
    """One problem of a rejected file: row and column as the user sees them (row ``None``: the whole file)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField(_("baris"), null=True)
    column = models.CharField(_("kolom"), max_length=200, blank=True)
    value = models.TextField(_("nilai"), blank=True)
    message = models.TextField(_("pesan"))

    class Meta:
        ordering = ["submission", "row", "pk"]
        verbose_name = _("kesalahan kiriman")
        verbose_name_plural = _("kesalahan kiriman")

    def __str__(self) -> str:
        return f"{self.row or '-'} {self.column}: {self.message}"


class DataRow(models.Model):
    """One row of an accepted company or aggregate file (2a-2d, 2f), its values normalised by column key."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="data_rows", db_index=False)
    row = models.PositiveIntegerField(_("baris"))
    values = models.JSONField(_("isian"))
    employer = models.ForeignKey(
        "registry.Employer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    match_key = models.CharField(_("dipadankan lewat"), max_length=20, blank=True)

    class Meta:
        ordering = ["submission", "row"]
        verbose_name = _("baris data")
        verbose_name_plural = _("baris data")
        indexes = [models.Index(fields=["submission", "row"], name="datarow_file_order_idx")]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.row}"


class ReviewItem(models.Model):
    """An uncertain pair (a company row and the most similar employer) waiting for a person's decision."""

    data_row = models.OneToOneField(DataRow, on_delete=models.CASCADE, related_name="review")
    candidate = models.ForeignKey("registry.Employer", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("kemiripan"))
    decision = models.ForeignKey(
        "registry.MatchDecision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["data_row__submission", "data_row__row"]
        verbose_name = _("antrean tinjauan pemadanan")
        verbose_name_plural = _("antrean tinjauan pemadanan")

    def __str__(self) -> str:
        return f"{self.data_row} ~ {self.candidate_id}"


class MatchStatus(models.TextChoices):
    ACTIVE = "aktif", _("Terdaftar, aktif")
    INACTIVE = "nonaktif", _("Terdaftar, tidak aktif")
    NOT_REGISTERED = "belum", _("Belum terdaftar")


class PersonRecord(models.Model):
    """One person of an accepted 2e list. The NIK itself is never stored in clear (Pasal 10, UU PDP)."""

    # No database-level FK on the million-row tables: PostgreSQL's deferred FK trigger costs one lookup per
    # row at COMMIT (measured: 11 s per million rows on the 2-CPU machine under load). Rows are only written
    # by dataexchange.pipeline, in the transaction that holds the submission's row lock.
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="people", db_index=False, db_constraint=False
    )
    row = models.PositiveIntegerField(_("baris"))
    name = models.CharField(_("nama"), max_length=200)
    nik_hash = models.BinaryField(_("token NIK (HMAC-SHA256)"))
    nik_masked = models.CharField(_("NIK tersamar"), max_length=16)
    phone_masked = models.CharField(_("HP tersamar"), max_length=20, blank=True)
    match_status = models.CharField(_("hasil pemadanan"), max_length=10, choices=MatchStatus.choices, blank=True)

    class Meta:
        ordering = ["submission", "row"]
        verbose_name = _("orang dalam daftar")
        verbose_name_plural = _("orang dalam daftar")
        # One NIK once per list is checked before storing (a duplicate is a row error with both rows
        # named); a unique index on random 32-byte tokens would cost seconds per million rows.
        indexes = [models.Index(fields=["submission", "row"], name="person_list_order_idx")]

    def __str__(self) -> str:
        return f"{self.nik_masked} ({self.get_match_status_display()})"


class MembershipRecord(models.Model):
    """One NIK of BPJS's membership extract: status and last month paid (only the HMAC token is kept)."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="members",
        db_constraint=False,  # see PersonRecord
    )
    nik_hash = models.BinaryField(_("token NIK (HMAC-SHA256)"))
    active = models.BooleanField(_("aktif"))
    last_paid_month = models.DateField(_("bulan iuran terakhir"), null=True)

    class Meta:
        verbose_name = _("data kepesertaan")
        verbose_name_plural = _("data kepesertaan")

    def __str__(self) -> str:
        return f"{self.submission_id}: {'aktif' if self.active else 'non aktif'}"


class AccessLog(models.Model):
    """Who saw or exported personal data unmasked, when and why. Append-only."""

    class Action(models.TextChoices):
        VIEW = "lihat", _("Lihat tanpa samaran")
        EXPORT = "ekspor", _("Ekspor tanpa samaran")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="access_logs")
    action = models.CharField(_("tindakan"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("alasan"))
    records = models.PositiveIntegerField(_("jumlah baris"))
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("log akses data pribadi")
        verbose_name_plural = _("log akses data pribadi")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="access_log_has_reason")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class KpjWageCeiling(models.Model):
    """The Kartu Pekerja Jakarta income limit of a year: the provincial minimum wage (UMP) + 15 %.

    The governor sets each year's UMP by decree late in the year before; the secretariat enters it in
    the admin. A year without its own figure is reconciled against the latest earlier one, and the
    KPJ page says so (``dataexchange.kpj.wage_ceiling``).
    """

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    ump = models.PositiveIntegerField(_("UMP Provinsi DKI Jakarta (Rp)"))
    decree = models.CharField(_("dasar penetapan"), max_length=255, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("batas upah KPJ")
        verbose_name_plural = _("batas upah KPJ")

    def __str__(self) -> str:
        return f"{self.year}: UMP Rp {self.ump:,}".replace(",", ".")

    @property
    def ceiling(self) -> int:
        """UMP + 15 %, whole Rupiah rounded down (2025: Rp 5.396.761 -> Rp 6.206.275)."""
        return self.ump * 115 // 100
