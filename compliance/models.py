"""Sanction cases (annex row 3c): one per employer and violation, through the PP 86/2013 steps to TMP2T.

The states and who may take which step are in ``compliance.states``. Every step is one
method here that checks the table, moves the case, sets its deadline and records a
``CaseEvent`` with the evidence files; a refused step raises ``TransitionRefused`` saying why.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from compliance.states import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    REVOCATION_EVIDENCE,
    SECRETARIAT,
    TRANSITIONS,
    WARNING_STATUSES,
    WARNING_WORKING_DAYS,
    Category,
    EvidenceKind,
    Status,
    Transition,
    TransitionRefused,
    fine_months,
)
from compliance.states import fine_amount as compute_fine
from core.formatting import join_id, rupiah, tanggal
from registry.models import Employer
from workplan.models import Agreement, Organization

if TYPE_CHECKING:
    from accounts.models import User


class SanctionStepSLA(models.Model):
    """How many working days a step may take, where the law sets no limit (a local SLA).

    Written warnings are not here: PP 86/2013 fixes them at 10 working days. The row for
    "dicabut" is the time the service units have to restore a service after revocation.
    """

    status = models.CharField(_("tahap"), max_length=30, choices=Status.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"))
    basis = models.CharField(_("dasar"), max_length=300, blank=True, help_text=_("Keputusan atau kesepakatan SLA ini."))

    class Meta:
        ordering = ["status"]
        verbose_name = _("SLA tahap sanksi")
        verbose_name_plural = _("SLA tahap sanksi")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=sorted(WARNING_STATUSES | CLOSED_STATUSES - {Status.REVOKED})),
                name="sla_not_for_warnings_or_closed",
            ),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="sla_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.working_days} hari kerja"


def coordination_ended_on() -> datetime.date | None:
    """The day the MoU's coordination ended (Pasal 13 termination), or None while an agreement is in force.

    A terminated agreement's ``ends_on`` is its termination's effective date (clauses.services).
    """
    agreements = Agreement.objects.all()
    if agreements.filter(status=Agreement.Status.IN_FORCE).exists():
        return None
    ended: datetime.date | None = agreements.filter(status=Agreement.Status.TERMINATED).aggregate(
        day=models.Max("ends_on")
    )["day"]
    return ended


def step_deadline(status: str, start: datetime.date) -> datetime.date | None:
    """The last working day of a step entered on ``start``; None when the step has no limit.

    Warnings keep their 10 working days of law (PP 86/2013 Pasal 6) whatever the MoU's fate; the
    local SLAs are the MoU's coordination and give no deadline to a step entered after it ended.
    """
    from core.workdays import add_working_days

    if status in WARNING_STATUSES:
        return add_working_days(start, WARNING_WORKING_DAYS)
    ended = coordination_ended_on()
    if ended is not None and start >= ended:
        return None
    sla = SanctionStepSLA.objects.filter(status=status).first()
    return add_working_days(start, sla.working_days) if sla else None


@dataclass(frozen=True)
class EvidenceFile:
    """A file given with a step, and what it proves."""

    kind: str
    file: File


def _may(user: User, transition: Transition) -> bool:
    if user.is_superuser:
        return bool(transition.roles & SECRETARIAT)
    return user.role in transition.roles


def _labels(values: Iterable[str], choices: type[models.TextChoices]) -> str:
    wanted = set(values)
    return join_id([str(choice.label) for choice in choices if choice.value in wanted])


class SanctionCaseQuerySet(models.QuerySet["SanctionCase"]):
    def open(self) -> SanctionCaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> SanctionCaseQuerySet:
        return self.open().filter(deadline__lt=today)

    def sent_to(self, unit: Organization) -> SanctionCaseQuerySet:
        """Cases with a follow-up for this service unit (what a follow-up agency may see)."""
        return self.filter(followups__unit=unit).distinct()

    def with_employer(self) -> SanctionCaseQuerySet:
        return self.select_related("employer", "employer__region")


def _case_upload_to(instance: models.Model, filename: str) -> str:
    case_id = getattr(instance, "case_id", None)
    return f"kepatuhan/kasus/{case_id}/{filename}"


class SanctionCase(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja"), on_delete=models.PROTECT, related_name="sanction_cases"
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.IDENTIFIED)
    opened_on = models.DateField(_("tanggal teridentifikasi"))
    status_changed_at = models.DateTimeField(_("status berubah"), default=timezone.now)
    deadline = models.DateField(_("batas waktu tahap"), null=True, blank=True)
    overdue_since = models.DateField(_("terlambat sejak"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    reference_period = models.CharField(_("periode data"), max_length=20, blank=True)
    registered_workers = models.PositiveIntegerField(_("tenaga kerja terdaftar"), null=True, blank=True)
    expected_workers = models.PositiveIntegerField(_("tenaga kerja seharusnya"), null=True, blank=True)
    arrears_amount = models.DecimalField(_("tunggakan (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    warning_1_on = models.DateField(_("tanggal teguran I"), null=True, blank=True)
    warning_2_on = models.DateField(_("tanggal teguran II"), null=True, blank=True)
    fine_on = models.DateField(_("tanggal penetapan denda"), null=True, blank=True)
    fine_amount = models.DecimalField(_("denda (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    fine_basis = models.DecimalField(
        _("iuran terutang dasar denda (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    recommendation_number = models.CharField(_("nomor surat rekomendasi"), max_length=100, blank=True)
    recommendation_on = models.DateField(_("tanggal rekomendasi"), null=True, blank=True)
    revocation_number = models.CharField(_("nomor surat pencabutan"), max_length=100, blank=True)
    revocation_on = models.DateField(_("tanggal pencabutan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = SanctionCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("kasus sanksi")
        verbose_name_plural = _("kasus sanksi")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "category"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="sanction_case_one_open_per_employer_category",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="sanction_case_status_valid"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="sanction_case_category_valid"),
        ]
        indexes = [
            # The overdue scan: open cases whose step deadline has passed.
            models.Index(
                fields=["deadline"], condition=Q(status__in=sorted(OPEN_STATUSES)), name="sanction_case_open_deadline"
            ),
            models.Index(fields=["status", "category"], name="sanction_case_funnel_idx"),
            # The case list's ORDER BY opened_on DESC, id DESC (and Meta.ordering): read in index order.
            models.Index(fields=["-opened_on", "-id"], name="sanction_case_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employer.name}: {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def available_transitions(self, user: User) -> list[Transition]:
        """The steps ``user`` may try from the current state (buttons on the case page)."""
        return [t for t in TRANSITIONS.values() if self.status in t.sources and _may(user, t)]

    # -- the checks and the record every step shares ------------------------------------------

    def _check(self, action: str, by: User) -> Transition:
        transition = TRANSITIONS[action]
        if not _may(by, transition):
            raise TransitionRefused(
                _g("Peran Anda (%(role)s) tidak berwenang untuk langkah '%(step)s'.")
                % {"role": by.get_role_display(), "step": transition.label}
            )
        current = SanctionCase.objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        if current != self.status:
            raise TransitionRefused(_g("Kasus ini baru saja diubah oleh pengguna lain. Muat ulang halaman."))
        if self.status not in transition.sources:
            raise TransitionRefused(
                _g("Langkah '%(step)s' tidak dapat dilakukan pada kasus berstatus '%(status)s'; hanya dari: %(from)s.")
                % {
                    "step": transition.label,
                    "status": self.get_status_display(),
                    "from": _labels(transition.sources, Status),
                }
            )
        return transition

    def _move(
        self,
        transition: Transition,
        *,
        by: User | None,
        to: str | None = None,
        on: datetime.date | None = None,
        note: str = "",
        evidence: Sequence[EvidenceFile] = (),
        followup: ServiceFollowUp | None = None,
    ) -> CaseEvent:
        if transition.needs_note and not note.strip():
            raise TransitionRefused(_g("Langkah '%(step)s' memerlukan catatan alasan.") % {"step": transition.label})
        target = to or transition.target or self.status
        source, now = self.status, timezone.now()
        if target != source:
            self.status, self.status_changed_at, self.overdue_since = target, now, None
            closed = target in CLOSED_STATUSES
            self.deadline = None if closed else step_deadline(target, on or timezone.localdate())
            self.closed_at = now if closed else None
        self.save()
        event = CaseEvent.objects.create(
            case=self,
            action=transition.action,
            from_status=source,
            to_status=target,
            actor=by,
            note=note.strip(),
            followup=followup,
        )
        for item in evidence:
            CaseEvidence.store(event=event, kind=item.kind, file=item.file)
        return event

    @staticmethod
    def _not_in_future(day: datetime.date | None, what: str) -> datetime.date:
        today = timezone.localdate()
        if day is None:
            return today
        if day > today:
            raise TransitionRefused(_g("Tanggal %(what)s tidak boleh melewati hari ini.") % {"what": what})
        return day

    # -- BPJS: guidance, warnings, fine, the TMP2T request -------------------------------------

    @transaction.atomic
    def start_guidance(self, *, by: User, note: str = "", evidence: Sequence[EvidenceFile] = ()) -> CaseEvent:
        return self._move(self._check("mulai_pembinaan", by), by=by, note=note, evidence=evidence)

    @transaction.atomic
    def issue_first_warning(
        self, *, by: User, issued_on: datetime.date | None = None, note: str = "", evidence: Sequence[EvidenceFile] = ()
    ) -> CaseEvent:
        """Teguran tertulis I: the employer has 10 working days from ``issued_on``."""
        transition = self._check("teguran_1", by)
        self.warning_1_on = self._not_in_future(issued_on, _g("teguran"))
        return self._move(transition, by=by, on=self.warning_1_on, note=note, evidence=evidence)

    @transaction.atomic
    def issue_second_warning(
        self, *, by: User, issued_on: datetime.date | None = None, note: str = "", evidence: Sequence[EvidenceFile] = ()
    ) -> CaseEvent:
        """Teguran tertulis II, only once the first has run its 10 working days (PP 86/2013 Pasal 6)."""
        transition = self._check("teguran_2", by)
        issued_on = self._not_in_future(issued_on, _g("teguran"))
        self._require_expired(issued_on, _g("Teguran tertulis I"))
        self.warning_2_on = issued_on
        return self._move(transition, by=by, on=issued_on, note=note, evidence=evidence)

    @transaction.atomic
    def impose_fine(
        self,
        *,
        by: User,
        amount: Decimal | None = None,
        contributions_owed: Decimal | None = None,
        imposed_on: datetime.date | None = None,
        note: str = "",
        evidence: Sequence[EvidenceFile] = (),
    ) -> CaseEvent:
        """Denda, only once the second warning has run out (PP 86/2013 Pasal 7).

        With the contributions owed the fine is computed (0.1% a month since the second warning
        ended, ``states.fine_amount``); an amount given as well must be that one.
        """
        transition = self._check("denda", by)
        imposed_on = self._not_in_future(imposed_on, _g("penetapan denda"))
        warning_ended = self.deadline
        self._require_expired(imposed_on, _g("Teguran tertulis II"))
        amount = self._fine(amount, contributions_owed, warning_ended, imposed_on)
        self.fine_on, self.fine_amount, self.fine_basis = imposed_on, amount, contributions_owed
        return self._move(transition, by=by, on=imposed_on, note=note, evidence=evidence)

    @staticmethod
    def _fine(
        amount: Decimal | None, owed: Decimal | None, warning_ended: datetime.date | None, on: datetime.date
    ) -> Decimal | None:
        if (amount is not None and amount < 0) or (owed is not None and owed < 0):
            raise TransitionRefused(_g("Besar denda dan iuran terutang tidak boleh negatif."))
        if owed is None or warning_ended is None:
            return amount
        computed = compute_fine(contributions_owed=owed, warning_ended=warning_ended, on=on)
        if amount is not None and amount != computed:
            raise TransitionRefused(
                _g("Denda menurut PP 86/2013 Pasal 7 adalah %(fine)s (0,1%% x %(owed)s x %(months)s bulan).")
                % {
                    "fine": rupiah(computed),
                    "owed": rupiah(owed),
                    "months": fine_months(warning_ended=warning_ended, on=on),
                }
            )
        return computed

    def _require_expired(self, day: datetime.date, warning: str) -> None:
        if self.deadline is not None and day <= self.deadline:
            raise TransitionRefused(
                _g("%(warning)s masih berjalan sampai %(deadline)s; langkah berikutnya baru boleh sesudah itu.")
                % {"warning": warning, "deadline": tanggal(self.deadline)}
            )

    @transaction.atomic
    def request_tmp2t(self, *, by: User, evidence: Sequence[EvidenceFile], note: str = "") -> CaseEvent:
        """BPJS asks Pemprov for TMP2T, with the warnings and the fine notice as evidence (PP 86/2013 Pasal 8)."""
        transition = self._check("ajukan_tmp2t", by)
        if not evidence:
            raise TransitionRefused(
                _g("Lampirkan surat teguran dan pemberitahuan denda sebagai bukti pengajuan TMP2T.")
            )
        return self._move(transition, by=by, note=note, evidence=evidence)

    @transaction.atomic
    def mark_compliant(self, *, by: User, note: str = "", evidence: Sequence[EvidenceFile] = ()) -> CaseEvent:
        return self._move(self._check("nyatakan_patuh", by), by=by, note=note, evidence=evidence)

    @transaction.atomic
    def mark_data_error(self, *, by: User, note: str) -> CaseEvent:
        return self._move(self._check("batal", by), by=by, note=note)

    # -- Disnakertransgi: verification, recommendation, revocation ----------------------------

    @transaction.atomic
    def start_verification(self, *, by: User, note: str = "", evidence: Sequence[EvidenceFile] = ()) -> CaseEvent:
        return self._move(self._check("mulai_verifikasi", by), by=by, note=note, evidence=evidence)

    @transaction.atomic
    def issue_recommendation(
        self,
        *,
        by: User,
        number: str,
        services: Iterable[str],
        issued_on: datetime.date | None = None,
        note: str = "",
        evidence: Sequence[EvidenceFile] = (),
    ) -> CaseEvent:
        """The Kepala Dinas recommends TMP2T; one follow-up opens for each service unit addressed."""
        transition = self._check("terbitkan_rekomendasi", by)
        services = sorted(set(services))
        if not number.strip():
            raise TransitionRefused(_g("Nomor surat rekomendasi wajib diisi."))
        if not services:
            raise TransitionRefused(_g("Pilih sedikitnya satu layanan yang ditahan."))
        units = {service: ServiceFollowUp.unit_for(service) for service in services}
        self.recommendation_number = number.strip()
        self.recommendation_on = self._not_in_future(issued_on, _g("rekomendasi"))
        event = self._move(transition, by=by, on=self.recommendation_on, note=note, evidence=evidence)
        for service, unit in units.items():
            ServiceFollowUp.objects.create(case=self, service=service, unit=unit, due_on=self.deadline)
        return event

    @transaction.atomic
    def request_revocation(self, *, by: User, evidence: Sequence[EvidenceFile], note: str = "") -> CaseEvent:
        """BPJS confirms the employer put things right; the evidence the category needs must all be there."""
        transition = self._check("ajukan_pencabutan", by)
        missing = REVOCATION_EVIDENCE[self.category] - {item.kind for item in evidence}
        if missing:
            raise TransitionRefused(
                _g("Bukti pencabutan belum lengkap. Yang belum dilampirkan: %(missing)s.")
                % {"missing": _labels(missing, EvidenceKind)}
            )
        return self._move(transition, by=by, note=note, evidence=evidence)

    @transaction.atomic
    def refuse_revocation(self, *, by: User, note: str) -> CaseEvent:
        transition = self._check("tolak_pencabutan", by)
        withheld = self.followups.filter(status=ServiceFollowUp.Status.WITHHELD).exists()
        back_to = Status.SERVICES_WITHHELD if withheld else Status.RECOMMENDED
        return self._move(transition, by=by, to=back_to, note=note)

    @transaction.atomic
    def revoke(
        self,
        *,
        by: User,
        number: str,
        revoked_on: datetime.date | None = None,
        note: str = "",
        evidence: Sequence[EvidenceFile] = (),
    ) -> CaseEvent:
        """The sanction is lifted; each unit that withheld a service now has to restore it."""
        transition = self._check("cabut", by)
        if not number.strip():
            raise TransitionRefused(_g("Nomor surat pencabutan wajib diisi."))
        self.revocation_number = number.strip()
        self.revocation_on = self._not_in_future(revoked_on, _g("pencabutan"))
        event = self._move(transition, by=by, on=self.revocation_on, note=note, evidence=evidence)
        # The SLA row for "dicabut" is the time the units have to restore their services.
        release_by = step_deadline(Status.REVOKED, self.revocation_on)
        followups = self.followups.all()
        followups.filter(status=ServiceFollowUp.Status.WITHHELD).update(due_on=release_by, overdue_since=None)
        followups.filter(status=ServiceFollowUp.Status.REQUESTED).update(due_on=None, overdue_since=None)
        return event

    @transaction.atomic
    def refer_to_criminal(self, *, by: User, note: str) -> CaseEvent:
        return self._move(self._check("rujuk_pidana", by), by=by, note=note)


class ServiceFollowUp(models.Model):
    """One service unit's part of a recommendation: it withholds its service, later restores it."""

    class Service(models.TextChoices):
        BUSINESS_LICENCE = "perizinan_berusaha", _("Perizinan terkait usaha")
        BUILDING_APPROVAL = "pbg", _("Persetujuan Bangunan Gedung (PBG)")
        TENDER = "tender", _("Izin mengikuti tender proyek")

    class Status(models.TextChoices):
        REQUESTED = "diminta", _("Diminta menahan layanan")
        WITHHELD = "ditahan", _("Layanan ditahan")
        RELEASED = "dipulihkan", _("Layanan dipulihkan")

    # Annex row 3c names the units; the service each withholds follows DOMAIN.md §1.2.
    SERVICE_UNITS = {
        Service.BUSINESS_LICENCE: "DPMPTSP",
        Service.BUILDING_APPROVAL: "Citata",
        Service.TENDER: "BPPBJ",
    }

    case = models.ForeignKey(SanctionCase, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="followups")
    service = models.CharField(_("layanan"), max_length=30, choices=Service.choices)
    unit = models.ForeignKey(
        Organization, verbose_name=_("unit layanan"), on_delete=models.PROTECT, related_name="tmp2t_followups"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    due_on = models.DateField(_("batas waktu"), null=True, blank=True)
    overdue_since = models.DateField(_("terlambat sejak"), null=True, blank=True)
    withheld_reference = models.CharField(_("nomor surat penahanan"), max_length=100, blank=True)
    withheld_on = models.DateField(_("tanggal penahanan"), null=True, blank=True)
    released_reference = models.CharField(_("nomor surat pemulihan"), max_length=100, blank=True)
    released_on = models.DateField(_("tanggal pemulihan"), null=True, blank=True)

    class Meta:
        ordering = ["case", "service"]
        verbose_name = _("tindak lanjut unit layanan")
        verbose_name_plural = _("tindak lanjut unit layanan")
        constraints = [
            models.UniqueConstraint(fields=["case", "service"], name="followup_one_per_case_service"),
            models.CheckConstraint(
                condition=Q(status="diminta") | (~Q(withheld_reference="") & Q(withheld_on__isnull=False)),
                name="followup_withheld_has_reference_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="dipulihkan") | (~Q(released_reference="") & Q(released_on__isnull=False)),
                name="followup_released_has_reference_and_date",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="followup_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.case} · {self.unit.short_name}"

    @classmethod
    def unit_for(cls, service: str) -> Organization:
        if service not in cls.Service.values:
            raise TransitionRefused(_g("Layanan '%(service)s' tidak dikenal.") % {"service": service})
        short_name = cls.SERVICE_UNITS[cls.Service(service)]
        unit = Organization.objects.by_name(short_name).first()
        if unit is None:
            raise TransitionRefused(_g("Unit %(unit)s belum terdaftar sebagai unit kerja.") % {"unit": short_name})
        return unit

    def _check_unit(self, by: User, action: str) -> tuple[SanctionCase, Transition]:
        case = self.case
        transition = case._check(action, by)
        if not (by.is_superuser or by.role in SECRETARIAT) and by.organization_id != self.unit_id:
            raise TransitionRefused(
                _g("Hanya %(unit)s yang mencatat tindak lanjut ini.") % {"unit": self.unit.short_name}
            )
        return case, transition

    @transaction.atomic
    def record_withheld(
        self,
        *,
        by: User,
        reference_number: str,
        withheld_on: datetime.date | None = None,
        note: str = "",
        evidence: Sequence[EvidenceFile] = (),
    ) -> CaseEvent:
        """The unit withholds its service; the first unit to do so makes the sanction active."""
        case, transition = self._check_unit(by, "layanan_ditahan")
        if self.status != self.Status.REQUESTED:
            raise TransitionRefused(_g("Penahanan layanan ini sudah dicatat."))
        if not reference_number.strip():
            raise TransitionRefused(_g("Nomor surat penahanan layanan wajib diisi."))
        self.withheld_on = SanctionCase._not_in_future(withheld_on, _g("penahanan"))
        self.status, self.withheld_reference = self.Status.WITHHELD, reference_number.strip()
        self.due_on, self.overdue_since = None, None
        self.save()
        return case._move(transition, by=by, on=self.withheld_on, note=note, evidence=evidence, followup=self)

    @transaction.atomic
    def record_released(
        self,
        *,
        by: User,
        reference_number: str,
        released_on: datetime.date | None = None,
        note: str = "",
        evidence: Sequence[EvidenceFile] = (),
    ) -> CaseEvent:
        """After revocation the unit serves the employer again."""
        case, transition = self._check_unit(by, "layanan_dipulihkan")
        if self.status == self.Status.RELEASED:
            raise TransitionRefused(_g("Pemulihan layanan ini sudah dicatat."))
        if not reference_number.strip():
            raise TransitionRefused(_g("Nomor surat pemulihan layanan wajib diisi."))
        self.released_on = SanctionCase._not_in_future(released_on, _g("pemulihan"))
        self.status, self.released_reference, self.overdue_since = self.Status.RELEASED, reference_number.strip(), None
        self.save()
        return case._move(transition, by=by, note=note, evidence=evidence, followup=self)


class CaseEvent(models.Model):
    """One step of a case's timeline: who, when, from which state to which, why."""

    OPENED = "identifikasi"
    OVERDUE = "terlambat"
    REVOCATION_PROPOSED = "usulan_pencabutan"
    EMPLOYER_MERGED = "gabung_pemberi_kerja"

    case = models.ForeignKey(SanctionCase, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("langkah"), max_length=40)
    from_status = models.CharField(_("dari status"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("ke status"), max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
        help_text=_("Kosong untuk catatan sistem (misalnya keterlambatan)."),
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)
    followup = models.ForeignKey(
        ServiceFollowUp, verbose_name=_("tindak lanjut"), on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("riwayat kasus")
        verbose_name_plural = _("riwayat kasus")
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        if self.action == self.OPENED:
            return _g("Kasus dibuka")
        if self.action == self.OVERDUE:
            return _g("Batas waktu terlewati")
        if self.action == self.REVOCATION_PROPOSED:
            return _g("Pencabutan diusulkan (data pertukaran)")
        if self.action == self.EMPLOYER_MERGED:
            return _g("Pemberi kerja digabung (tinjauan nama mirip)")
        transition = TRANSITIONS.get(self.action)
        return str(transition.label) if transition else self.action


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class CaseEvidence(models.Model):
    """A file given with a step; its SHA-256 shows later that it was not changed."""

    case = models.ForeignKey(SanctionCase, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="evidence")
    event = models.ForeignKey(CaseEvent, verbose_name=_("langkah"), on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("jenis bukti"), max_length=30, choices=EvidenceKind.choices)
    file = models.FileField(_("berkas"), upload_to=_case_upload_to)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def store(cls, *, event: CaseEvent, kind: str, file: File) -> CaseEvidence:
        if kind not in EvidenceKind.values:
            raise TransitionRefused(_g("Jenis bukti '%(kind)s' tidak dikenal.") % {"kind": kind})
        name = (file.name or "bukti").rsplit("/", 1)[-1][:200]
        evidence = cls(
            event=event, case=event.case, kind=kind, original_name=name, sha256=_sha256(file), size=file.size
        )
        evidence.file.save(f"{event.pk}-{name}", file, save=False)
        evidence.save()
        return evidence


class CaseLetter(models.Model):
    """A letter the case produced (recommendation, revocation), kept as the PDF that was issued.

    One letter per case and kind, addressed to every service unit concerned, with its SHA-256
    so that a copy can later be checked against the original.
    """

    class Kind(models.TextChoices):
        RECOMMENDATION = "rekomendasi", _("Surat rekomendasi TMP2T")
        REVOCATION = "pencabutan", _("Surat pencabutan TMP2T")

    case = models.ForeignKey(SanctionCase, verbose_name=_("kasus"), on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=100)
    issued_on = models.DateField(_("tanggal"))
    file = models.FileField(_("berkas PDF"), upload_to=_case_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["case", "issued_on", "pk"]
        verbose_name = _("surat kasus")
        verbose_name_plural = _("surat kasus")
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="case_letter_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def _list_upload_to(instance: models.Model, filename: str) -> str:
    return f"kepatuhan/daftar/{timezone.now():%Y/%m}/{filename}"


class NonComplianceUpload(models.Model):
    """One non-compliance list BPJS sent (accepted or not), with what it did."""

    class Source(models.TextChoices):
        BROWSER = "browser", _("Peramban")
        API = "api", _("API")
        COMMAND = "perintah", _("Perintah manage.py")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(_("waktu unggah"), default=timezone.now)
    source = models.CharField(_("melalui"), max_length=10, choices=Source.choices)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    file = models.FileField(_("berkas"), upload_to=_list_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    accepted = models.BooleanField(_("diterima"))
    rows = models.PositiveIntegerField(_("baris data"), default=0)
    summary = models.JSONField(_("ringkasan"), default=dict)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("unggahan daftar ketidakpatuhan")
        verbose_name_plural = _("unggahan daftar ketidakpatuhan")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


# The other Program 3 activities (3a, 3b, 3d, 3e, 3f) live in their own module.
from compliance.program3 import (  # noqa: E402, F401
    Inspection,
    JointProgramme,
    ReportAttachment,
    Training,
    TrainingParticipant,
    WorkAccident,
)

# The review queue of similar names (a new employer close to a registered one).
from compliance.reviews import NameReview  # noqa: E402, F401
