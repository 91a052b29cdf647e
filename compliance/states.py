"""The sanction case's states, and who may move a case from which state to which (DOMAIN.md §1.3).

PP 86/2013 fixes the order (written warnings, at most two of 10 working days each, then the
fine, then TMP2T at BPJS's request) and what lifts the sanction (the fine paid and the
registration or the data put right). The steps after the request (verification by the labour
inspectorate, the recommendation, the follow-up by the service units) are the MoU's annex row
3c. Time limits the law does not fix are local SLAs (``SanctionStepSLA``).

This module holds data only; ``SanctionCase`` has one method per transition that reads it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# PP 86/2013 Pasal 6: a written warning lasts at most 10 working days, and there are at most two.
WARNING_WORKING_DAYS = 10
# The fine (PP 86/2013 Pasal 7; DOMAIN.md §1.1): 0.1% a month of the contributions that should have
# been paid, counted from the end of the second warning, imposed within 30 days of that end.
FINE_RATE_PER_MONTH = Decimal("0.001")
FINE_WINDOW_DAYS = 30


def fine_months(*, warning_ended: datetime.date, on: datetime.date) -> int:
    """Months of fine from the day the second warning ended up to ``on``; a month begun counts, at least one.

    Interpretation (the regulation's text says "per bulan" from the end of the warning): the day
    after the end starts month one; confirm with BPJS and Disnakertransgi legal.
    """
    months = (on.year - warning_ended.year) * 12 + on.month - warning_ended.month
    return max(1, months + (on.day > warning_ended.day))


def fine_amount(*, contributions_owed: Decimal, warning_ended: datetime.date, on: datetime.date) -> Decimal:
    """0.1% x contributions owed x months since the second warning ended, in whole Rupiah."""
    months = fine_months(warning_ended=warning_ended, on=on)
    return (contributions_owed * FINE_RATE_PER_MONTH * months).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


class Category(models.TextChoices):
    """BPJS's non-compliance categories (DOMAIN.md §2); one employer may carry several."""

    PWBD = "pwbd", _("PWBD (perusahaan wajib belum daftar)")
    PDS_TK = "pds_tk", _("PDS Tenaga Kerja (daftar sebagian tenaga kerja)")
    PDS_UPAH = "pds_upah", _("PDS Upah (daftar sebagian upah)")
    PDS_PROGRAM = "pds_program", _("PDS Program (daftar sebagian program)")
    ARREARS = "tunggakan", _("Tunggakan iuran (piutang)")


class Status(models.TextChoices):
    IDENTIFIED = "teridentifikasi", _("Teridentifikasi")
    GUIDANCE = "pembinaan", _("Pembinaan")
    WARNING_1 = "teguran_1", _("Teguran tertulis I")
    WARNING_2 = "teguran_2", _("Teguran tertulis II")
    FINE = "denda", _("Denda")
    TMP2T_REQUESTED = "tmp2t_diajukan", _("TMP2T diajukan")
    VERIFICATION = "verifikasi", _("Verifikasi pengawas ketenagakerjaan")
    RECOMMENDED = "rekomendasi_terbit", _("Rekomendasi TMP2T terbit")
    SERVICES_WITHHELD = "layanan_ditahan", _("Layanan ditahan (TMP2T aktif)")
    REVOCATION_REQUESTED = "pencabutan_diajukan", _("Pencabutan diajukan")
    REVOKED = "dicabut", _("Sanksi dicabut")
    COMPLIANT = "patuh", _("Selesai: patuh")
    DATA_ERROR = "batal", _("Batal: kesalahan data")
    CRIMINAL = "pidana", _("Dirujuk ke proses pidana")


CLOSED_STATUSES = frozenset({Status.REVOKED, Status.COMPLIANT, Status.DATA_ERROR, Status.CRIMINAL})
OPEN_STATUSES = frozenset(set(Status) - CLOSED_STATUSES)
WARNING_STATUSES = frozenset({Status.WARNING_1, Status.WARNING_2})


class EvidenceKind(models.TextChoices):
    WARNING_LETTER = "surat_teguran", _("Surat teguran")
    FINE_NOTICE = "pemberitahuan_denda", _("Pemberitahuan denda")
    INSPECTION_NOTE = "nota_pemeriksaan", _("Nota pemeriksaan")
    PAYMENT = "bukti_pembayaran", _("Bukti pembayaran denda dan iuran")
    REGISTRATION = "bukti_pendaftaran", _("Bukti pendaftaran kepesertaan")
    DATA = "bukti_data", _("Bukti penyampaian data yang lengkap dan benar")
    SERVICE_NOTICE = "surat_layanan", _("Surat unit layanan")
    OTHER = "lainnya", _("Lainnya")


# What lifts TMP2T, per category (PP 86/2013; Permenaker 4/2018): the fine paid in full, and the
# registration done (employer or workers or programmes not registered) or complete and correct
# data supplied (wages or workers reported wrongly). Unregistered employers and partly
# registered workforces need both registration and the workers' data.
REVOCATION_EVIDENCE: dict[str, frozenset[str]] = {
    Category.PWBD: frozenset({EvidenceKind.PAYMENT, EvidenceKind.REGISTRATION, EvidenceKind.DATA}),
    Category.PDS_TK: frozenset({EvidenceKind.PAYMENT, EvidenceKind.REGISTRATION, EvidenceKind.DATA}),
    Category.PDS_PROGRAM: frozenset({EvidenceKind.PAYMENT, EvidenceKind.REGISTRATION}),
    Category.PDS_UPAH: frozenset({EvidenceKind.PAYMENT, EvidenceKind.DATA}),
    Category.ARREARS: frozenset({EvidenceKind.PAYMENT}),
}

BPJS = frozenset({Role.BPJS_OFFICER})
SECRETARIAT = frozenset({Role.SECRETARIAT})
AGENCY = frozenset({Role.FOLLOWUP_AGENCY})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[Status]
    # None: the method decides (a follow-up's record leaves the case where it is; a refused
    # revocation returns it to the state before the request).
    target: Status | None
    roles: frozenset[str]
    needs_note: bool = False


def _t(
    action: str, label: str | Promise, sources: set[Status], target: Status | None, roles: frozenset[str], **kw: bool
) -> Transition:
    return Transition(action, label, frozenset(sources), target, roles, **kw)


S = Status
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("mulai_pembinaan", _("Mulai pembinaan"), {S.IDENTIFIED}, S.GUIDANCE, BPJS),
        _t("teguran_1", _("Terbitkan teguran tertulis I"), {S.IDENTIFIED, S.GUIDANCE}, S.WARNING_1, BPJS),
        _t("teguran_2", _("Terbitkan teguran tertulis II"), {S.WARNING_1}, S.WARNING_2, BPJS),
        _t("denda", _("Tetapkan denda"), {S.WARNING_2}, S.FINE, BPJS),
        _t("ajukan_tmp2t", _("Ajukan sanksi TMP2T"), {S.FINE}, S.TMP2T_REQUESTED, BPJS),
        _t("mulai_verifikasi", _("Mulai verifikasi"), {S.TMP2T_REQUESTED}, S.VERIFICATION, SECRETARIAT),
        _t("terbitkan_rekomendasi", _("Terbitkan rekomendasi TMP2T"), {S.VERIFICATION}, S.RECOMMENDED, SECRETARIAT),
        _t(
            "layanan_ditahan",
            _("Catat layanan ditahan"),
            {S.RECOMMENDED, S.SERVICES_WITHHELD},
            S.SERVICES_WITHHELD,
            AGENCY | SECRETARIAT,
        ),
        _t(
            "ajukan_pencabutan",
            _("Ajukan pencabutan sanksi"),
            {S.RECOMMENDED, S.SERVICES_WITHHELD},
            S.REVOCATION_REQUESTED,
            BPJS,
        ),
        _t(
            "tolak_pencabutan",
            _("Tolak pengajuan pencabutan"),
            {S.REVOCATION_REQUESTED},
            None,
            SECRETARIAT,
            needs_note=True,
        ),
        _t("cabut", _("Cabut sanksi TMP2T"), {S.REVOCATION_REQUESTED}, S.REVOKED, SECRETARIAT),
        _t("layanan_dipulihkan", _("Catat layanan dipulihkan"), {S.REVOKED}, None, AGENCY | SECRETARIAT),
        _t(
            "nyatakan_patuh",
            _("Nyatakan patuh"),
            {S.IDENTIFIED, S.GUIDANCE, S.WARNING_1, S.WARNING_2, S.FINE, S.TMP2T_REQUESTED, S.VERIFICATION},
            S.COMPLIANT,
            BPJS,
        ),
        _t(
            "batal",
            _("Batalkan: kesalahan data"),
            set(OPEN_STATUSES),
            S.DATA_ERROR,
            BPJS | SECRETARIAT,
            needs_note=True,
        ),
        _t(
            "rujuk_pidana",
            _("Rujuk ke proses pidana"),
            {S.FINE, S.TMP2T_REQUESTED, S.VERIFICATION, S.RECOMMENDED, S.SERVICES_WITHHELD},
            S.CRIMINAL,
            SECRETARIAT,
            needs_note=True,
        ),
    ]
}


class TransitionRefused(Exception):
    """A step the case refuses; ``str(error)`` tells the user why, in their language."""
