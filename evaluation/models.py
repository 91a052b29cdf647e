"""The Pasal 11 annual joint report: versions of one year's report, their frozen snapshot, PDF and sign-off.

Each generation is a new version of the year's report, built once from a snapshot of the data
(``evaluation.snapshot``) that is never rebuilt: re-rendering the same version, after the
recommendations change or once both parties approve, gives the same content. Version 1 is
the draft; later versions are revisions; the secretariat makes one version final, and each
party approves that version in the application (PIHAK KESATU through the secretariat,
PIHAK KEDUA through a BPJS officer). The approved PDF carries both approvals and a QR code
to the verification page, which compares an uploaded file's SHA-256 with the one stored here.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from workplan.models import Agreement, Side

# Who approves for which party (Pasal 11: a joint report of PARA PIHAK).
APPROVER_ROLES = {Side.FIRST: Role.SECRETARIAT, Side.SECOND: Role.BPJS_OFFICER}


class ReportRefused(Exception):
    """A step the report's state or the user's role does not allow; the message says why."""


class EvaluationReportQuerySet(models.QuerySet["EvaluationReport"]):
    def for_year(self, agreement: Agreement, year: int) -> EvaluationReportQuerySet:
        return self.filter(agreement=agreement, year=year)

    def final(self) -> EvaluationReportQuerySet:
        return self.filter(state=EvaluationReport.State.FINAL)

    def approved(self) -> EvaluationReportQuerySet:
        return self.final().filter(approved_at__isnull=False)

    def signed(self) -> EvaluationReportQuerySet:
        """Approved by both parties and rendered since: the stored PDF carries both approvals."""
        return self.approved().filter(job=EvaluationReport.Job.DONE, generated_at__gte=F("approved_at"))

    def history(self) -> EvaluationReportQuerySet:
        """Newest year and version first, with who asked for each."""
        return self.select_related("agreement", "requested_by").order_by("-year", "-version")


def report_upload_to(instance: EvaluationReport, filename: str) -> str:
    return f"evaluasi/{instance.year}/laporan-monev-{instance.year}-v{instance.version}-{uuid.uuid4().hex[:8]}.pdf"


class EvaluationReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draf", _("Draf")
        REVISED = "revisi", _("Revisi")
        FINAL = "final", _("Final")

    class Job(models.TextChoices):
        QUEUED = "antre", _("Menunggu giliran")
        RUNNING = "berjalan", _("Sedang dibuat")
        DONE = "selesai", _("Siap")
        FAILED = "gagal", _("Gagal")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("nota kesepakatan"), on_delete=models.PROTECT, related_name="evaluation_reports"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(_("versi"))
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField(_("data beku"), default=dict, blank=True, help_text=_("Dibuat sekali, tidak diubah."))
    snapshot_taken_at = models.DateTimeField(_("data diambil"), null=True, blank=True)
    recommendations = models.TextField(_("rekomendasi"), blank=True)
    pdf = models.FileField(_("berkas PDF"), upload_to=report_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    pages = models.PositiveIntegerField(_("jumlah halaman"), null=True, blank=True)
    job = models.CharField(_("pembuatan"), max_length=10, choices=Job.choices, default=Job.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    job_error = models.TextField(_("galat"), blank=True)
    scheduled = models.BooleanField(_("dibuat terjadwal"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    generated_at = models.DateTimeField(_("dibuat"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui kedua pihak"), null=True, blank=True)
    token = models.UUIDField(_("kode verifikasi"), default=uuid.uuid4, unique=True, editable=False)

    objects = EvaluationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("laporan pemantauan dan evaluasi")
        verbose_name_plural = _("laporan pemantauan dan evaluasi")
        constraints = [
            # One version number per year: two runs of the schedule cannot both create version 1.
            models.UniqueConstraint(fields=["agreement", "year", "version"], name="evaluation_report_version_once"),
            models.UniqueConstraint(
                fields=["agreement", "year"], condition=Q(state="final"), name="evaluation_report_one_final_per_year"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="evaluation_report_version_positive"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="evaluation_report_progress_percent"),
            models.CheckConstraint(
                condition=~Q(state="final") | Q(finalised_by__isnull=False, finalised_at__isnull=False),
                name="evaluation_report_final_has_who",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(state="final"), name="evaluation_report_approved_is_final"
            ),
        ]

    def __str__(self) -> str:
        return _g("Laporan Monev %(year)s versi %(version)s") % {"year": self.year, "version": self.version}

    @property
    def is_ready(self) -> bool:
        return self.job == self.Job.DONE and bool(self.pdf)

    @property
    def is_editable(self) -> bool:
        return self.state != self.State.FINAL

    @property
    def filename(self) -> str:
        suffix = "final" if self.approved_at else f"v{self.version}"
        return f"laporan-monev-{self.year}-{suffix}.pdf"

    @property
    def is_signed(self) -> bool:
        """The stored PDF is the signed one (both approvals, rendered after the second)."""
        if self.approved_at is None or self.generated_at is None or self.job != self.Job.DONE:
            return False
        return self.generated_at >= self.approved_at

    def set_recommendations(self, *, text: str, by: Any) -> None:
        """The secretariat's recommendations (chapter VI), until the version is made final."""
        self._require_secretariat(by)
        if not self.is_editable:
            raise ReportRefused(_g("Versi final tidak dapat diubah; buat versi baru bila perlu revisi."))
        self.recommendations = text.strip()
        self.save(update_fields=["recommendations"])

    def finalise(self, *, by: Any) -> None:
        """Make this version the year's final report; it then waits for both parties' approval."""
        self._require_secretariat(by)
        if self.state == self.State.FINAL:
            raise ReportRefused(_g("Versi ini sudah final."))
        if not self.is_ready:
            raise ReportRefused(_g("Laporan belum selesai dibuat."))
        if not self.recommendations.strip():
            raise ReportRefused(_g("Tulis rekomendasi (Bab VI) sebelum memfinalkan laporan."))
        if EvaluationReport.objects.for_year(self.agreement, self.year).final().exclude(pk=self.pk).exists():
            raise ReportRefused(_g("Laporan tahun %(year)s sudah memiliki versi final.") % {"year": self.year})
        self.state, self.finalised_by, self.finalised_at = self.State.FINAL, by, timezone.now()
        self.save(update_fields=["state", "finalised_by", "finalised_at"])

    def approve(self, *, by: Any) -> ReportApproval:
        """One party's approval of the final version; the second one completes the sign-off."""
        side = next((s for s, role in APPROVER_ROLES.items() if by.role == role), None)
        if side is None:
            raise ReportRefused(_g("Hanya sekretariat (PIHAK KESATU) dan petugas BPJS (PIHAK KEDUA) yang menyetujui."))
        if self.state != self.State.FINAL:
            raise ReportRefused(_g("Hanya versi final yang dapat disetujui."))
        if self.approvals.filter(side=side).exists():
            raise ReportRefused(_g("%(side)s sudah menyetujui laporan ini.") % {"side": Side(side).label})
        approval = ReportApproval.objects.create(report=self, side=side, approved_by=by)
        if self.approvals.count() == len(APPROVER_ROLES):
            self.approved_at = approval.approved_at
            self.save(update_fields=["approved_at"])
        return approval

    @staticmethod
    def _require_secretariat(by: Any) -> None:
        if not (by.role == Role.SECRETARIAT or by.is_superuser):
            raise ReportRefused(_g("Hanya sekretariat yang dapat melakukan langkah ini."))


class ReportApproval(models.Model):
    """One party's approval of a final report, as printed on its signature page."""

    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="approvals")
    side = models.PositiveSmallIntegerField(_("pihak"), choices=Side.choices)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("disetujui"), default=timezone.now)

    class Meta:
        ordering = ["report", "side"]
        verbose_name = _("persetujuan laporan")
        verbose_name_plural = _("persetujuan laporan")
        constraints = [models.UniqueConstraint(fields=["report", "side"], name="report_approval_once_per_side")]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_side_display()}"
