"""The clauses' workflows: every deadline through :mod:`core.workdays`, every notice through
:mod:`notifications`. Keyword-only, typed, atomic where they write, safe to run twice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from clauses.models import (
    ActivityAdjustment,
    AddressChange,
    ClauseError,
    DisclosureRequest,
    ForceMajeure,
    Letter,
    LetterAttachment,
    TermExtension,
    Termination,
    TermReminder,
)
from clauses.signals import agreement_terminated
from core.formatting import tanggal
from core.workdays import add_working_days
from notifications.services import notify
from workplan.models import Activity, Agreement, LiaisonOfficer, Organization, Side

# Pasal 12(2) and (3), Pasal 14(3): the MoU's own numbers of hari kerja.
FORCE_MAJEURE_NOTICE_WORKING_DAYS = 14
FORCE_MAJEURE_RESPONSE_WORKING_DAYS = 14
ADDRESS_CHANGE_NOTICE_WORKING_DAYS = 7


# --- The liaison directory (Pasal 14) ---------------------------------------------------------


def liaison_on(*, agreement: Agreement, side: int, day: datetime.date) -> LiaisonOfficer | None:
    """The liaison address valid on ``day``: the latest row that took effect on or before it."""
    rows = LiaisonOfficer.objects.filter(agreement=agreement, side=side, valid_from__lte=day)
    return rows.select_related("organization").order_by("-valid_from").first()


def liaison_organizations(*, agreement: Agreement) -> set[int]:
    """Every unit that is or was a party's liaison: their users read the clause records."""
    return set(LiaisonOfficer.objects.filter(agreement=agreement).values_list("organization_id", flat=True))


def clause_contacts(*, agreement: Agreement, day: datetime.date) -> QuerySet[Any]:
    """Who hears about a clause event: the secretariat and the users of both parties' current liaison units."""
    organizations = [
        row.organization_id for side in Side.values if (row := liaison_on(agreement=agreement, side=side, day=day))
    ]
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(role=Role.SECRETARIAT) | Q(organization_id__in=organizations))


def earliest_address_change(notified_on: datetime.date) -> datetime.date:
    """The first day a new address may take effect: 7 working days after the written notice."""
    return add_working_days(notified_on, ADDRESS_CHANGE_NOTICE_WORKING_DAYS)


@transaction.atomic
def liaison_change_record(
    *,
    agreement: Agreement,
    side: int,
    notice_number: str,
    notified_on: datetime.date,
    effective_on: datetime.date,
    position: str,
    organization: Organization,
    address: str,
    phones: Sequence[str],
    email: str,
    by: Any,
) -> AddressChange:
    """Record a notified change of liaison address; refuse one that takes effect too early (Pasal 14(3)).

    Until the new row takes effect the previous one stays valid (Pasal 14(4)), so the directory
    answers "which address on day X" from ``valid_from`` alone.
    """
    earliest = earliest_address_change(notified_on)
    if effective_on < earliest:
        raise ClauseError(
            _(
                "Perubahan alamat wajib diberitahukan paling lambat 7 hari kerja sebelumnya (Pasal 14 ayat 3). "
                "Untuk pemberitahuan tanggal %(notified)s, tanggal berlaku paling cepat %(earliest)s."
            )
            % {"notified": tanggal(notified_on), "earliest": tanggal(earliest)}
        )
    if LiaisonOfficer.objects.filter(agreement=agreement, side=side, valid_from=effective_on).exists():
        raise ClauseError(
            _("Sudah ada alamat pejabat penghubung yang berlaku sejak %(day)s.") % {"day": tanggal(effective_on)}
        )
    liaison = LiaisonOfficer.objects.create(
        agreement=agreement,
        side=side,
        position=position,
        organization=organization,
        address=address,
        phones=list(phones),
        email=email,
        valid_from=effective_on,
    )
    change = AddressChange.objects.create(
        agreement=agreement,
        side=side,
        notice_number=notice_number,
        notified_on=notified_on,
        effective_on=effective_on,
        liaison=liaison,
        recorded_by=by,
    )
    subject = _("Perubahan alamat %(side)s berlaku sejak %(day)s") % {
        "side": Side(side).label,
        "day": tanggal(effective_on),
    }
    notify(
        users=clause_contacts(agreement=agreement, day=notified_on),
        key=f"clauses.address:{change.pk}",
        subject=subject,
        body=f"{position}\n{address}\n{email}",
        url=reverse("clauses:dashboard"),
    )
    return change


# --- Term (Pasal 7) ------------------------------------------------------------------------------


@transaction.atomic
def term_extend(
    *, agreement: Agreement, new_ends_on: datetime.date, basis_document: str, agreed_on: datetime.date, by: Any
) -> TermExtension:
    """Record an extension agreed by both parties and apply it to the agreement's end date."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == Agreement.Status.TERMINATED:
        raise ClauseError(_("Nota Kesepakatan yang telah diakhiri tidak dapat diperpanjang."))
    if new_ends_on <= agreement.ends_on:
        raise ClauseError(_("Tanggal berakhir yang baru harus setelah %(day)s.") % {"day": tanggal(agreement.ends_on)})
    extension = TermExtension.objects.create(
        agreement=agreement,
        previous_ends_on=agreement.ends_on,
        new_ends_on=new_ends_on,
        basis_document=basis_document,
        agreed_on=agreed_on,
        recorded_by=by,
    )
    agreement.ends_on = new_ends_on
    agreement.status = Agreement.Status.IN_FORCE
    agreement.save(update_fields=["ends_on", "status"])
    return extension


def term_reminders_send(*, today: datetime.date) -> list[TermReminder]:
    """Remind the liaisons and the secretariat to decide on an extension, at the configured points.

    Only the nearest point already reached is sent (a missed run does not send three reminders
    at once); the points before it are recorded as passed. Each point is sent once per end date.
    """
    sent = []
    for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE, ends_on__gte=today):
        days_left = (agreement.ends_on - today).days
        reached = sorted(d for d in settings.CLAUSES_TERM_REMINDER_DAYS if d >= days_left)
        done = set(
            TermReminder.objects.filter(agreement=agreement, ends_on=agreement.ends_on).values_list(
                "days_before", flat=True
            )
        )
        if not reached or reached[0] in done:
            continue
        with transaction.atomic():
            rows = [
                TermReminder(agreement=agreement, ends_on=agreement.ends_on, days_before=d, sent_on=today)
                for d in reached
                if d not in done
            ]
            TermReminder.objects.bulk_create(rows, ignore_conflicts=True)
            subject = _("Jangka waktu Nota Kesepakatan berakhir %(day)s (%(n)s hari lagi): putuskan perpanjangan") % {
                "day": tanggal(agreement.ends_on),
                "n": days_left,
            }
            notify(
                users=clause_contacts(agreement=agreement, day=today),
                subject=subject,
                url=reverse("clauses:dashboard"),
                key=f"clauses.term:{agreement.pk}:{agreement.ends_on:%Y%m%d}:{reached[0]}",
            )
            sent.append(rows[0])
    return sent


def term_expire(*, today: datetime.date) -> list[Agreement]:
    """Agreements whose term ended without an extension become "berakhir" (Pasal 7), once.

    Their clause deadlines stop (only agreements in force have them); an extension agreed
    later still applies and puts the agreement back in force.
    """
    ended = []
    for pk in Agreement.objects.filter(status=Agreement.Status.IN_FORCE, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().filter(pk=pk, status=Agreement.Status.IN_FORCE).first()
            if agreement is None or agreement.ends_on >= today:
                continue
            agreement.status = Agreement.Status.EXPIRED
            agreement.save(update_fields=["status"])
            subject = _("Jangka waktu Nota Kesepakatan %(number)s berakhir pada %(day)s") % {
                "number": agreement.number,
                "day": tanggal(agreement.ends_on),
            }
            notify(
                users=clause_contacts(agreement=agreement, day=agreement.ends_on),
                key=f"clauses.expired:{agreement.pk}:{agreement.ends_on:%Y%m%d}",
                subject=subject,
                url=reverse("clauses:dashboard"),
            )
            ended.append(agreement)
    return ended


# --- Force majeure (Pasal 12) --------------------------------------------------------------------


@transaction.atomic
def force_majeure_record(
    *,
    agreement: Agreement,
    affected_side: int,
    event_date: datetime.date,
    description: str,
    notice_number: str,
    notice_sent_on: datetime.date,
    notice_received_on: datetime.date,
    by: Any,
) -> ForceMajeure:
    """Record a force majeure and its written notice; compute both 14-working-day deadlines.

    A notice sent after the 14th working day from the event is recorded and flagged late, not
    refused (Pasal 12(2) states the duty, not a forfeiture). The other party must respond
    within 14 working days of receipt, else the event is deemed agreed (Pasal 12(3)).
    """
    if notice_sent_on < event_date:
        raise ClauseError(_("Tanggal pemberitahuan tidak boleh sebelum tanggal keadaan kahar."))
    if notice_received_on < notice_sent_on:
        raise ClauseError(_("Tanggal diterima tidak boleh sebelum tanggal dikirim."))
    notice_due_on = add_working_days(event_date, FORCE_MAJEURE_NOTICE_WORKING_DAYS)
    event = ForceMajeure.objects.create(
        agreement=agreement,
        affected_side=affected_side,
        event_date=event_date,
        description=description,
        notice_number=notice_number,
        notice_sent_on=notice_sent_on,
        notice_received_on=notice_received_on,
        notice_due_on=notice_due_on,
        notice_late=notice_sent_on > notice_due_on,
        response_due_on=add_working_days(notice_received_on, FORCE_MAJEURE_RESPONSE_WORKING_DAYS),
        recorded_by=by,
    )
    subject = _("Pemberitahuan keadaan kahar %(number)s: tanggapan paling lambat %(day)s") % {
        "number": notice_number,
        "day": tanggal(event.response_due_on),
    }
    notify(
        users=clause_contacts(agreement=agreement, day=notice_received_on),
        key=f"clauses.fm-new:{event.pk}",
        subject=subject,
        body=description,
        url=reverse("clauses:force-majeure", args=[event.pk]),
    )
    return event


def force_majeure_deem_agreed(*, today: datetime.date) -> list[ForceMajeure]:
    """Mark every notice whose response period lapsed as "dianggap telah disetujui", once.

    Each row is locked and re-checked, so two runs at the same moment cannot both mark it; the
    notice keys make the notifications once-only as well. Both parties are notified.
    """
    marked = []
    for pk in ForceMajeure.objects.response_lapsed(today).values_list("pk", flat=True):
        with transaction.atomic():
            event = ForceMajeure.objects.select_for_update().filter(pk=pk).response_lapsed(today).first()
            if event is None:
                continue
            event.status = ForceMajeure.Status.DEEMED_AGREED
            event.deemed_agreed_at = timezone.now()
            event.save(update_fields=["status", "deemed_agreed_at"])
            subject = _("Keadaan kahar %(number)s dianggap telah disetujui (Pasal 12 ayat 3)") % {
                "number": event.notice_number
            }
            body = _("Tidak ada tanggapan sampai %(day)s, 14 hari kerja sejak pemberitahuan diterima.") % {
                "day": tanggal(event.response_due_on)
            }
            notify(
                users=clause_contacts(agreement=event.agreement, day=today),
                key=f"clauses.fm-deemed:{event.pk}",
                subject=subject,
                body=body,
                url=reverse("clauses:force-majeure", args=[event.pk]),
            )
            marked.append(event)
    return marked


def force_majeure_adjust_activity(
    *, event: ForceMajeure, activity: Activity, change: str, reason: str, by: Any
) -> ActivityAdjustment:
    """Keep an adjustment of an activity made because of the force majeure, with its reason."""
    if activity.program.agreement_id != event.agreement_id:
        raise ClauseError(_("Kegiatan ini bukan bagian dari Nota Kesepakatan yang sama."))
    if event.status == ForceMajeure.Status.DISPUTED:
        raise ClauseError(_("Keadaan kahar ini ditolak; kegiatan tidak disesuaikan atas dasarnya."))
    if not change.strip() or not reason.strip():
        raise ClauseError(_("Penyesuaian kegiatan wajib disertai uraian penyesuaian dan alasannya."))
    return ActivityAdjustment.objects.create(
        force_majeure=event, activity=activity, change=change.strip(), reason=reason.strip(), recorded_by=by
    )


# --- Correspondence (Pasal 14) -------------------------------------------------------------------


@transaction.atomic
def letter_register(*, agreement: Agreement, files: Iterable[UploadedFile] = (), by: Any, **fields: Any) -> Letter:
    """Enter a letter or email in the register, with its attachments."""
    letter = Letter.objects.create(agreement=agreement, recorded_by=by, **fields)
    for upload in files:
        LetterAttachment.objects.create(letter=letter, file=upload, name=upload.name[:255] if upload.name else "")
    return letter


# --- Termination (Pasal 13) ----------------------------------------------------------------------


@transaction.atomic
def termination_record(
    *,
    agreement: Agreement,
    number: str,
    ground: str,
    ground_detail: str,
    signed_on: datetime.date,
    effective_on: datetime.date,
    first_party_signatory: str,
    second_party_signatory: str,
    by: Any,
) -> Termination:
    """Store the Berita Acara Pengakhiran, end the agreement, and tell every app to close its schedules.

    The records stay readable; confidentiality (Pasal 10(3)) still binds, so
    :func:`disclosure_allowed` keeps refusing exports without written consent.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == Agreement.Status.TERMINATED:
        raise ClauseError(_("Nota Kesepakatan ini sudah diakhiri."))
    if not (first_party_signatory.strip() and second_party_signatory.strip()):
        raise ClauseError(_("Berita Acara Pengakhiran harus ditandatangani oleh PARA PIHAK."))
    if effective_on < signed_on:
        raise ClauseError(_("Tanggal berakhir tidak boleh sebelum Berita Acara ditandatangani."))
    termination = Termination.objects.create(
        agreement=agreement,
        number=number,
        ground=ground,
        ground_detail=ground_detail,
        signed_on=signed_on,
        effective_on=effective_on,
        first_party_signatory=first_party_signatory.strip(),
        second_party_signatory=second_party_signatory.strip(),
        recorded_by=by,
    )
    agreement.status = Agreement.Status.TERMINATED
    if agreement.starts_on < effective_on < agreement.ends_on:
        # every schedule that reads the term (exchange periods, work-plan reports, evaluation) stops here
        agreement.ends_on = effective_on
    agreement.save(update_fields=["status", "ends_on"])
    subject = _("Nota Kesepakatan diakhiri sejak %(day)s (Berita Acara %(number)s)") % {
        "day": tanggal(effective_on),
        "number": number,
    }
    notify(
        users=clause_contacts(agreement=agreement, day=signed_on),
        key=f"clauses.termination:{termination.pk}",
        subject=subject,
        url=reverse("clauses:dashboard"),
    )
    transaction.on_commit(
        lambda: agreement_terminated.send(
            sender=Termination, agreement=agreement, termination=termination, effective_on=effective_on
        )
    )
    return termination


# --- Confidentiality (Pasal 10) ------------------------------------------------------------------


def disclosure_allowed(*, agreement: Agreement, recipient: str, dataset: str, on: datetime.date | None = None) -> bool:
    """May ``dataset`` exchanged under ``agreement`` go to the third party ``recipient``?

    Only with the other party's written consent on record, valid on ``on`` (today by default).
    Termination changes nothing (Pasal 10(3)). Exports for third parties call this and refuse
    when it is False.
    """
    day = on or timezone.localdate()
    consents = DisclosureRequest.objects.consented().filter(
        agreement=agreement,
        recipient__iexact=recipient.strip(),
        dataset__iexact=dataset.strip(),
        decided_on__lte=day,
    )
    return consents.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day)).exists()
