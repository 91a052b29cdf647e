"""The review queue of similar names: a list row that became a new employer although the registry
has a very similar name in the same city.

A BPJS officer or the secretariat answers "same employer" (the new record is merged into the
registered one, its name kept as an alias) or "different employers". Either answer is written to
the registry's shared memory (``registry.MatchDecision``), so a later list, or the data exchange,
never asks about the same normalised name in the same region again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import Employer, MatchDecision, Region


class NameReviewQuerySet(models.QuerySet["NameReview"]):
    def pending(self) -> NameReviewQuerySet:
        return self.filter(status=NameReview.Status.PENDING)

    def with_pair(self) -> NameReviewQuerySet:
        return self.select_related("employer", "candidate", "candidate__region", "region", "upload", "decided_by")


class NameReview(models.Model):
    """A new employer from a list and the registered employer whose name is very similar."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu tinjauan")
        SAME = "sama", _("Pemberi kerja yang sama (digabung)")
        DIFFERENT = "berbeda", _("Pemberi kerja berbeda")

    upload = models.ForeignKey(
        "compliance.NonComplianceUpload",
        verbose_name=_("unggahan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="name_reviews",
    )
    row = models.PositiveIntegerField(_("baris"))
    # The new employer; after "same" it is merged away and this points to the registered one.
    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja baru"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    listed = models.JSONField(_("data di daftar"), help_text=_("Nama, alamat dan nomor seperti tertulis di daftar."))
    candidate = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja terdaftar"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("kemiripan"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decision = models.ForeignKey(MatchDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), on_delete=models.PROTECT, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = NameReviewQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-created_at", "pk"]
        verbose_name = _("tinjauan nama mirip")
        verbose_name_plural = _("tinjauan nama mirip")
        constraints = [
            models.UniqueConstraint(
                fields=["employer"], condition=Q(status="menunggu"), name="name_review_one_pending_per_employer"
            ),
            models.CheckConstraint(
                condition=Q(status="menunggu") | Q(decided_at__isnull=False), name="name_review_decided_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listed.get('name', '')} ~ {self.candidate}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def listed_value(self, key: str) -> Any:
        return self.listed.get(key, "")
