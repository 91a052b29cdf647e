"""Users belong to one organization and hold one role; access rules read both."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DINAS_STAFF = "staf_dinas", _("Staf perangkat daerah")
    BPJS_OFFICER = "petugas_bpjs", _("Petugas BPJS Ketenagakerjaan")
    SECRETARIAT = "sekretariat", _("Sekretariat (Disnakertransgi)")
    FOLLOWUP_AGENCY = "instansi_tindak_lanjut", _("Staf instansi tindak lanjut")
    LEADERSHIP = "pimpinan", _("Pimpinan (baca saja)")


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices, default=Role.DINAS_STAFF)
    organization = models.ForeignKey(
        "workplan.Organization",
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT or self.is_superuser
