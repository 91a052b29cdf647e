"""Shared reference data: the working-day calendar's holidays."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayQuerySet(models.QuerySet["Holiday"]):
    """Reads the working-day calendar needs: one query per date range."""

    def active(self) -> HolidayQuerySet:
        return self.filter(is_active=True)

    def between(self, start: datetime.date, end: datetime.date) -> HolidayQuerySet:
        """Rows dated from ``start`` to ``end``, both inclusive."""
        return self.filter(date__range=(start, end))

    def in_years(self, years: list[int]) -> HolidayQuerySet:
        return self.filter(date__year__in=years)


class HolidayKind(models.TextChoices):
    NATIONAL = "libur_nasional", _("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    EXTRA = "tambahan", _("Hari libur tambahan (keputusan khusus)")


class HolidaySource(models.TextChoices):
    PACKAGE = "paket", _("Paket holidays")
    ADMIN = "admin", _("Ditambahkan administrator")


class Holiday(models.Model):
    """A day that is not a working day although it falls on Monday-Friday.

    Seeded from the ``holidays`` package (Indonesia, public and government categories) and
    extended by administrators: the package lacks cuti bersama for future years and only
    estimates religious dates, so a decree (SKB 3 Menteri, Keppres) is entered here.
    """

    Kind = HolidayKind
    Source = HolidaySource

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.EXTRA)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    is_active = models.BooleanField(
        _("berlaku"),
        default=True,
        help_text=_("Matikan bila keputusan pemerintah membatalkan atau memindahkan hari libur ini."),
    )
    basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        # The sync and the calendar compare these values; a typo from a raw insert must fail.
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=HolidayKind.values), name="holiday_kind_known"),
            models.CheckConstraint(condition=models.Q(source__in=HolidaySource.values), name="holiday_source_known"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
