"""The employer registry shared by the data exchange and compliance, and the DKI regions.

One ``Employer`` is one registration at BPJS Ketenagakerjaan (one NPP); a branch with its own
NPP is its own row under its head office (``parent``). ``EmployerAlias`` keeps every other
spelling of a name seen in an upload, so that the next upload matches it at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.names import normalize_company_name, normalize_nib, normalize_npp, normalize_npwp


class RegionQuerySet(models.QuerySet["Region"]):
    def recognise(self, text: str) -> Region | None:
        """The region a list calls ``3171`` (BPS), ``31.74`` (Kemendagri), ``Jakarta Selatan`` or ``Jaksel``.

        Four bare digits are read as a BPS code only: ``3174`` is Jakarta Barat for BPS but
        would be Jakarta Selatan as a Kemendagri code without its dot.
        """
        value = " ".join((text or "").split())
        if re.fullmatch(r"31\.[0-9]{2}", value):
            return self.filter(kode_kemendagri=value).first()
        if re.fullmatch(r"31[0-9]{2}", value):
            return self.filter(kode_bps=value).first()
        wanted = _region_key(value)
        if not wanted:
            return None
        return next((region for region in self.all() if wanted in region.spellings()), None)


def _region_key(name: str) -> str:
    """``Kota Administrasi Jakarta Selatan`` and ``Jakarta Selatan`` alike -> ``jakarta selatan``."""
    words = normalize_company_name(name).split()
    return " ".join(word for word in words if word not in _REGION_FILLER)


_REGION_FILLER = frozenset({"kota", "kabupaten", "kab", "adm", "administrasi", "dki", "provinsi", "wilayah"})
# Short forms used in lists and by the city offices themselves (Sudin Jaksel ...).
_REGION_SHORT = {
    "jakarta pusat": "jakpus",
    "jakarta utara": "jakut",
    "jakarta barat": "jakbar",
    "jakarta selatan": "jaksel",
    "jakarta timur": "jaktim",
    "kepulauan seribu": "kepseribu",
}


class Region(models.Model):
    """A kota or kabupaten administrasi of DKI Jakarta, with both code systems (DOMAIN.md §3).

    NIK and Kemendagri data use ``kode_kemendagri`` (Jakarta Selatan = 31.74); BPS
    statistics and Satu Data use ``kode_bps`` (Jakarta Selatan = 3171). They disagree for
    every kota, so neither is derived from the other.
    """

    class Kind(models.TextChoices):
        KOTA = "kota", _("Kota Administrasi")
        KABUPATEN = "kabupaten", _("Kabupaten Administrasi")

    kode_bps = models.CharField(_("kode BPS"), max_length=4, unique=True)
    kode_kemendagri = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["kode_bps"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(condition=Q(kode_bps__regex=r"^31[0-9]{2}$"), name="region_kode_bps_format"),
            models.CheckConstraint(
                condition=Q(kode_kemendagri__regex=r"^31\.[0-9]{2}$"), name="region_kode_kemendagri_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def spellings(self) -> set[str]:
        """The spellings :meth:`RegionQuerySet.recognise` accepts for this region."""
        key = _region_key(self.name)
        return {key, _REGION_SHORT.get(key, key)}


@dataclass(frozen=True)
class EmployerMatch:
    """An employer found for a row, and the key that found it (for the row's explanation)."""

    employer: Employer
    key: str  # "npp", "nib", "npwp", "nama" or "alias"


class EmployerQuerySet(models.QuerySet["Employer"]):
    def identify(
        self, *, npp: str = "", nib: str = "", npwp: str = "", name: str = "", region: Region | None = None
    ) -> EmployerMatch | None:
        """The employer these details describe: by NPP, then NIB, then NPWP, then exact name in region.

        Identifiers win over names because two companies may share a name but never an NPP.
        NIB and NPWP find the head office (branches share them). The name step compares
        normalised names of the employer and of its aliases, within the region only, and
        answers only when exactly one employer fits.
        """
        keys = (("npp", normalize_npp(npp)), ("nib", normalize_nib(nib)), ("npwp", normalize_npwp(npwp)))
        for field, value in keys:
            if value:
                filters = {field: value} if field == "npp" else {field: value, "parent__isnull": True}
                found = self.filter(**filters).first()
                if found is not None:
                    return EmployerMatch(found, field)
        return self._identify_by_name(name, region)

    def _identify_by_name(self, name: str, region: Region | None) -> EmployerMatch | None:
        normalized = normalize_company_name(name)
        if not normalized or region is None:
            return None
        in_region = self.filter(region=region)
        for key, candidates in (
            ("nama", in_region.filter(name_normalized=normalized)),
            ("alias", in_region.filter(aliases__name_normalized=normalized).distinct()),
        ):
            found = list(candidates[:2])
            if len(found) == 1:
                return EmployerMatch(found[0], key)
        return None

    def in_region(self, region: Region) -> EmployerQuerySet:
        return self.filter(region=region)


class Employer(models.Model):
    """A pemberi kerja as BPJS Ketenagakerjaan registers it. Identifiers are text, never numbers."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("kantor pusat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        help_text=_("Diisi untuk kantor cabang yang memiliki NPP sendiri."),
    )
    npp = models.CharField(_("NPP"), max_length=20, blank=True, help_text=_("Nomor Pendaftaran Perusahaan BPJS."))
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, help_text=_("Disimpan sebagai 16 digit."))
    name = models.CharField(_("nama perusahaan"), max_length=300)
    name_normalized = models.CharField(_("nama ternormalisasi"), max_length=300, editable=False)
    address = models.TextField(_("alamat"), blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, null=True, blank=True, related_name="employers"
    )
    kbli_code = models.CharField(_("kode KBLI"), max_length=5, blank=True)
    kbli_version = models.CharField(_("versi KBLI"), max_length=4, blank=True, help_text=_("Misalnya 2020 atau 2025."))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name_normalized", "pk"]
        verbose_name = _("pemberi kerja")
        verbose_name_plural = _("pemberi kerja")
        constraints = [
            models.UniqueConstraint(fields=["npp"], condition=~Q(npp=""), name="employer_npp_unique"),
            # Branches share the head office's NIB and NPWP; among head offices they are unique.
            models.UniqueConstraint(
                fields=["nib"], condition=~Q(nib="") & Q(parent__isnull=True), name="employer_nib_unique_head_office"
            ),
            models.UniqueConstraint(
                fields=["npwp"], condition=~Q(npwp="") & Q(parent__isnull=True), name="employer_npwp_unique_head_office"
            ),
            models.CheckConstraint(condition=Q(nib="") | Q(nib__regex=r"^[0-9]{13}$"), name="employer_nib_digits"),
            models.CheckConstraint(condition=Q(npwp="") | Q(npwp__regex=r"^[0-9]{16}$"), name="employer_npwp_digits"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="employer_not_own_parent"),
        ]
        indexes = [
            # Fuzzy name matching of uploads (pg_trgm similarity on the normalised name).
            GinIndex(fields=["name_normalized"], name="employer_name_trgm", opclasses=["gin_trgm_ops"]),
            # The name step of identify(): exact normalised name within one region.
            models.Index(fields=["region", "name_normalized"], name="employer_region_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.npp})" if self.npp else self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalize()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def normalize(self) -> None:
        """Derived columns only: the canonical identifiers and the name the matcher compares.

        ``save()`` calls it; code that uses ``bulk_create`` calls it itself.
        """
        self.npp, self.nib, self.npwp = normalize_npp(self.npp), normalize_nib(self.nib), normalize_npwp(self.npwp)
        self.name_normalized = normalize_company_name(self.name)

    def remember_alias(self, name: str, *, source: str = "") -> EmployerAlias | None:
        """Keep a spelling seen in an upload; nothing when it normalises to the employer's own name."""
        normalized = normalize_company_name(name)
        if not normalized or normalized == self.name_normalized:
            return None
        alias, _created = EmployerAlias.objects.get_or_create(
            employer=self, name_normalized=normalized, defaults={"name": name.strip()[:300], "source": source[:200]}
        )
        return alias


class EmployerAlias(models.Model):
    """Another name an upload used for this employer ("CV Maju Jaya" for "PT Maju Jaya Abadi")."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("nama"), max_length=300)
    name_normalized = models.CharField(_("nama ternormalisasi"), max_length=300)
    source = models.CharField(
        _("sumber"), max_length=200, blank=True, help_text=_("Unggahan tempat nama ini terlihat.")
    )
    created_at = models.DateTimeField(_("pertama terlihat"), auto_now_add=True)

    class Meta:
        ordering = ["employer", "name_normalized"]
        verbose_name = _("nama lain pemberi kerja")
        verbose_name_plural = _("nama lain pemberi kerja")
        constraints = [
            models.UniqueConstraint(fields=["employer", "name_normalized"], name="employer_alias_once"),
        ]
        indexes = [
            GinIndex(fields=["name_normalized"], name="employer_alias_name_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name


class MatchDecisionQuerySet(models.QuerySet["MatchDecision"]):
    def recall(self, pairs: set[tuple[int, str]]) -> dict[tuple[int, str], MatchDecision]:
        """Decisions already made, by (region id, normalised name), for a batch of rows."""
        names = {name for _region, name in pairs if name}
        found = self.filter(name_key__in=names, region_id__in={region for region, _name in pairs})
        return {(d.region_id, d.name_key): d for d in found if (d.region_id, d.name_key) in pairs}

    def remember(self, *, name: str, region_id: int, employer: Employer | None, by: object) -> MatchDecision:
        """Record (or correct) the answer for this name in this region: ``employer``, or none of the known ones."""
        decision, _created = self.update_or_create(
            name_key=normalize_company_name(name),
            region_id=region_id,
            defaults={"employer": employer, "decided_by": by, "decided_at": timezone.now()},
        )
        return decision


class MatchDecision(models.Model):
    """A reviewer's answer for a company name in a region: this employer, or none. Never asked again.

    Keyed on the normalised name (``registry.names.normalize_company_name``) and the region, so the
    same company in next quarter's exchange file or the next non-compliance list is linked without a
    question (OAR #1458). Shared by the data exchange and compliance: one memory for both.
    """

    name_key = models.CharField(_("nama ternormalisasi"), max_length=300)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("Kosong: bukan perusahaan yang diusulkan (perusahaan baru)."),
    )  # fmt: skip
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("diputuskan"), default=timezone.now)

    objects = MatchDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("keputusan pemadanan perusahaan")
        verbose_name_plural = _("keputusan pemadanan perusahaan")
        constraints = [models.UniqueConstraint(fields=["name_key", "region"], name="decision_once_per_name_region")]

    def __str__(self) -> str:
        return f"{self.name_key} -> {self.employer_id or '-'}"
