"""The MoU's own clauses as records: term extensions (Pasal 7), confidentiality consents (Pasal 10),
force majeure (Pasal 12), termination (Pasal 13), address changes and correspondence (Pasal 14).

The agreement, its liaison directory and its activities live in ``workplan``; these records point
at them. Deadlines are computed by :mod:`core.workdays` in :mod:`clauses.services`, never here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import tanggal
from workplan.models import Activity, Agreement, LiaisonOfficer, Side


class ClauseError(Exception):
    """A clause rule refuses the request; the message says why (and what would be accepted)."""


class TermExtension(models.Model):
    """An extension of the term agreed by both parties (Pasal 7), applied to ``Agreement.ends_on``."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="extensions")
    previous_ends_on = models.DateField(_("berlaku sampai (sebelumnya)"))
    new_ends_on = models.DateField(_("berlaku sampai (baru)"))
    basis_document = models.CharField(_("dokumen dasar"), max_length=300)
    agreed_on = models.DateField(_("tanggal kesepakatan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreement", "recorded_at"]
        verbose_name = _("perpanjangan jangka waktu")
        verbose_name_plural = _("perpanjangan jangka waktu")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_ends_on__gt=models.F("previous_ends_on")), name="extension_extends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: s.d. {self.new_ends_on}"


class TermReminder(models.Model):
    """A term-expiry reminder sent: once per agreement, end date and reminder point."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="term_reminders")
    ends_on = models.DateField()
    days_before = models.PositiveIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "ends_on", "days_before"], name="term_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: H-{self.days_before}"


class ForceMajeureQuerySet(models.QuerySet["ForceMajeure"]):
    def awaiting_response(self) -> ForceMajeureQuerySet:
        return self.filter(status=ForceMajeure.Status.AWAITING_RESPONSE)

    def response_lapsed(self, today: datetime.date) -> ForceMajeureQuerySet:
        """Notices whose 14 working days passed with no response: deemed agreed from ``today``."""
        return self.awaiting_response().filter(response_due_on__lt=today)


class ForceMajeure(models.Model):
    """A keadaan kahar and its written notice (Pasal 12)."""

    class Status(models.TextChoices):
        AWAITING_RESPONSE = "menunggu_tanggapan", _("Menunggu tanggapan")
        AGREED = "disetujui", _("Disetujui")
        DISPUTED = "ditolak", _("Ditolak / dimusyawarahkan")
        DEEMED_AGREED = "dianggap_disetujui", _("Dianggap telah disetujui")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="force_majeure_events")
    affected_side = models.PositiveSmallIntegerField(_("pihak yang terkena"), choices=Side.choices)
    event_date = models.DateField(_("tanggal terjadinya keadaan kahar"))
    description = models.TextField(_("uraian keadaan kahar"))
    notice_number = models.CharField(_("nomor surat pemberitahuan"), max_length=100)
    notice_sent_on = models.DateField(_("tanggal pemberitahuan dikirim"))
    notice_received_on = models.DateField(_("tanggal pemberitahuan diterima"))
    notice_due_on = models.DateField(_("batas pemberitahuan (14 hari kerja)"))
    notice_late = models.BooleanField(_("pemberitahuan terlambat"), default=False)
    response_due_on = models.DateField(_("batas tanggapan (14 hari kerja)"))
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.AWAITING_RESPONSE)
    responded_on = models.DateField(_("tanggal tanggapan"), null=True, blank=True)
    response_text = models.TextField(_("isi tanggapan"), blank=True)
    deemed_agreed_at = models.DateTimeField(_("dianggap disetujui pada"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ForceMajeureQuerySet.as_manager()

    class Meta:
        ordering = ["-event_date", "-pk"]
        verbose_name = _("keadaan kahar")
        verbose_name_plural = _("keadaan kahar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_received_on__gte=models.F("notice_sent_on")), name="fm_received_after_sent"
            ),
            models.CheckConstraint(
                condition=models.Q(notice_sent_on__gte=models.F("event_date")), name="fm_notice_after_event"
            ),
        ]
        indexes = [
            # The daily deemed-agreement run: open notices past their response deadline.
            models.Index(fields=["status", "response_due_on"], name="fm_open_by_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_number} ({self.get_affected_side_display()})"

    @property
    def receiving_side(self) -> int:
        return Side.SECOND if self.affected_side == Side.FIRST else Side.FIRST

    def record_response(self, *, agreed: bool, responded_on: datetime.date, text: str) -> None:
        """The other party answered within its 14 working days (Pasal 12(3))."""
        if self.status != self.Status.AWAITING_RESPONSE:
            raise ClauseError(_("Tanggapan hanya dapat dicatat untuk pemberitahuan yang menunggu tanggapan."))
        if responded_on < self.notice_received_on:
            raise ClauseError(_("Tanggal tanggapan tidak boleh sebelum pemberitahuan diterima."))
        if responded_on > self.response_due_on:
            # Pasal 12(3): past the 14th working day the force majeure is already deemed agreed.
            raise ClauseError(
                _("Batas tanggapan adalah %(day)s; keadaan kahar ini sudah dianggap telah disetujui.")
                % {"day": tanggal(self.response_due_on)}
            )
        self.status = self.Status.AGREED if agreed else self.Status.DISPUTED
        self.responded_on, self.response_text = responded_on, text
        self.save(update_fields=["status", "responded_on", "response_text"])


class ActivityAdjustment(models.Model):
    """An activity adjusted because of a force majeure (Pasal 12(1)), with the reason kept."""

    force_majeure = models.ForeignKey(ForceMajeure, on_delete=models.CASCADE, related_name="adjustments")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="force_majeure_adjustments")
    change = models.TextField(_("penyesuaian"))
    reason = models.TextField(_("alasan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("penyesuaian kegiatan")
        verbose_name_plural = _("penyesuaian kegiatan")

    def __str__(self) -> str:
        return f"{self.activity.code}: {self.change[:50]}"


class AddressChange(models.Model):
    """A written notice of a new liaison address (Pasal 14(3)); creates the directory row it announces."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="address_changes")
    side = models.PositiveSmallIntegerField(_("pihak"), choices=Side.choices)
    notice_number = models.CharField(_("nomor surat pemberitahuan"), max_length=100)
    notified_on = models.DateField(_("tanggal pemberitahuan"))
    effective_on = models.DateField(_("berlaku sejak"))
    liaison = models.OneToOneField(LiaisonOfficer, on_delete=models.PROTECT, related_name="change_notice")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_on"]
        verbose_name = _("perubahan alamat")
        verbose_name_plural = _("perubahan alamat")

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.effective_on}"


class Letter(models.Model):
    """One entry of the correspondence register (Pasal 14): a letter or email in or out."""

    class Direction(models.TextChoices):
        INCOMING = "masuk", _("Masuk")
        OUTGOING = "keluar", _("Keluar")

    class Channel(models.TextChoices):
        LETTER = "surat", _("Surat")
        REGISTERED = "surat_tercatat", _("Surat tercatat")
        EMAIL = "email", _("Email")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="letters")
    number = models.CharField(_("nomor"), max_length=100)
    date = models.DateField(_("tanggal"))
    direction = models.CharField(_("arah"), max_length=10, choices=Direction.choices)
    channel = models.CharField(_("sarana"), max_length=20, choices=Channel.choices, default=Channel.LETTER)
    sender = models.CharField(_("pengirim"), max_length=300)
    addressee = models.CharField(_("tujuan"), max_length=300)
    subject = models.CharField(_("perihal"), max_length=500)
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters", verbose_name=_("kegiatan")
    )
    # The case or exchange it concerns, in apps this one does not import.
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    concerns = GenericForeignKey("content_type", "object_id")
    force_majeure = models.ForeignKey(
        ForceMajeure, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("surat")
        verbose_name_plural = _("register surat")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "direction", "number"], name="letter_number_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="letter_concerns_idx")]

    def __str__(self) -> str:
        return f"{self.number}: {self.subject}"


class LetterAttachment(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("berkas"), upload_to="surat/%Y/")
    name = models.CharField(_("nama berkas"), max_length=255)

    class Meta:
        verbose_name = _("lampiran surat")
        verbose_name_plural = _("lampiran surat")

    def __str__(self) -> str:
        return self.name


class Termination(models.Model):
    """The Berita Acara Pengakhiran Nota Kesepakatan (Pasal 13), signed by both parties."""

    class Ground(models.TextChoices):
        MUTUAL = "kesepakatan", _("PARA PIHAK sepakat mengakhiri (Pasal 13 ayat 1 huruf a)")
        REGULATION = "peraturan", _("Ketentuan peraturan perundang-undangan atau kebijakan (Pasal 13 ayat 1 huruf b)")

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="termination")
    number = models.CharField(_("nomor berita acara"), max_length=100)
    ground = models.CharField(_("dasar pengakhiran"), max_length=20, choices=Ground.choices)
    ground_detail = models.TextField(_("uraian"), blank=True)
    signed_on = models.DateField(_("tanggal ditandatangani"))
    effective_on = models.DateField(_("berakhir sejak"))
    first_party_signatory = models.CharField(_("penandatangan PIHAK KESATU"), max_length=200)
    second_party_signatory = models.CharField(_("penandatangan PIHAK KEDUA"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("berita acara pengakhiran")
        verbose_name_plural = _("berita acara pengakhiran")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first_party_signatory="") & ~models.Q(second_party_signatory=""),
                name="termination_signed_by_both",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_on__gte=models.F("signed_on")), name="termination_after_signing"
            ),
        ]

    def __str__(self) -> str:
        return f"BA Pengakhiran {self.number}"


class DisclosureRequestQuerySet(models.QuerySet["DisclosureRequest"]):
    def consented(self) -> DisclosureRequestQuerySet:
        return self.filter(status=DisclosureRequest.Status.CONSENTED)


class DisclosureRequest(models.Model):
    """A request to disclose exchanged data to a third party and the other party's written answer (Pasal 10)."""

    class Status(models.TextChoices):
        PENDING = "diajukan", _("Diajukan")
        CONSENTED = "disetujui", _("Disetujui tertulis")
        REFUSED = "ditolak", _("Ditolak")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="disclosure_requests")
    requesting_side = models.PositiveSmallIntegerField(_("pihak yang meminta"), choices=Side.choices)
    recipient = models.CharField(_("pihak ketiga penerima"), max_length=300)
    dataset = models.CharField(_("data"), max_length=100, help_text=_("Kode data, mis. bpu-2e atau perusahaan-2a."))
    purpose = models.TextField(_("tujuan"))
    requested_on = models.DateField(_("tanggal permintaan"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    consent_letter_number = models.CharField(_("nomor surat persetujuan"), max_length=100, blank=True)
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("permintaan pengungkapan data")
        verbose_name_plural = _("permintaan pengungkapan data")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="disetujui") | ~models.Q(consent_letter_number=""),
                name="disclosure_consent_in_writing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} -> {self.recipient}"

    def decide(
        self, *, consent: bool, decided_on: datetime.date, letter_number: str, valid_until: datetime.date | None = None
    ) -> None:
        if self.status != self.Status.PENDING:
            raise ClauseError(_("Permintaan ini sudah diputuskan."))
        if consent and not letter_number.strip():
            raise ClauseError(_("Persetujuan harus tertulis: isi nomor surat persetujuan."))
        self.status = self.Status.CONSENTED if consent else self.Status.REFUSED
        self.decided_on, self.consent_letter_number, self.valid_until = decided_on, letter_number.strip(), valid_until
        self.save(update_fields=["status", "decided_on", "consent_letter_number", "valid_until"])


class AmendmentQuerySet(models.QuerySet["Amendment"]):
    def applied(self) -> AmendmentQuerySet:
        return self.filter(status=Amendment.Status.APPLIED)


class Amendment(models.Model):
    """A Perubahan/Adendum (Pasal 15) that changes the work plan through a revised annex.

    The annex spreadsheet is read and its difference shown before anything changes; applying it
    numbers the version and keeps the whole plan as it stood before and after, so every version
    of the work plan stays viewable.
    """

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf (belum diterapkan)")
        APPLIED = "diterapkan", _("Diterapkan")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.CharField(_("nomor adendum"), max_length=100)
    title = models.CharField(_("judul"), max_length=300)
    signed_on = models.DateField(_("tanggal ditandatangani"))
    effective_on = models.DateField(_("berlaku sejak"))
    annex_file = models.FileField(_("lampiran rencana kerja (XLSX/CSV)"), upload_to="adendum/%Y/")
    annex_name = models.CharField(_("nama berkas"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("versi rencana kerja"), null=True, blank=True)
    plan_before = models.JSONField(_("rencana kerja sebelum"), default=list, blank=True)
    plan_after = models.JSONField(_("rencana kerja sesudah"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "version", "created_at"]
        verbose_name = _("adendum")
        verbose_name_plural = _("adendum")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="amendment_version_unique"),
            models.CheckConstraint(
                condition=models.Q(status="draf", version__isnull=True)
                | models.Q(status="diterapkan", version__isnull=False),
                name="amendment_version_when_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"
