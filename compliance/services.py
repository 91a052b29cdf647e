"""Work on sanction cases that spans records: opening cases, flagging overdue steps."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g

from accounts.models import Role, User
from compliance.letters import write_letter
from compliance.models import (
    CaseEvent,
    CaseLetter,
    EvidenceFile,
    NameReview,
    SanctionCase,
    ServiceFollowUp,
    coordination_ended_on,
    step_deadline,
)
from compliance.states import Status, TransitionRefused
from core.formatting import tanggal
from registry.models import Employer, MatchDecision
from registry.services import MergeRefused, employer_merge, merge_conflicts


@transaction.atomic
def case_identify(
    *,
    employer: Employer,
    category: str,
    opened_on: datetime.date,
    by: User | None,
    reference_period: str = "",
    registered_workers: int | None = None,
    expected_workers: int | None = None,
    arrears_amount: Decimal | None = None,
) -> tuple[SanctionCase, bool]:
    """The open case for this employer and category, opened now if there is none.

    Idempotent: a second call (a list uploaded twice) returns the same case and changes only
    the figures it carries. Returns ``(case, created)``.
    """
    figures = {
        "reference_period": reference_period,
        "registered_workers": registered_workers,
        "expected_workers": expected_workers,
        "arrears_amount": arrears_amount,
    }
    case = SanctionCase.objects.select_for_update().open().filter(employer=employer, category=category).first()
    if case is not None:
        changed = [name for name, value in figures.items() if value not in (None, "") and getattr(case, name) != value]
        for name in changed:
            setattr(case, name, figures[name])
        if changed:
            case.save(update_fields=[*changed, "updated_at"])
        return case, False
    case = SanctionCase.objects.create(
        employer=employer,
        category=category,
        opened_on=opened_on,
        deadline=step_deadline(Status.IDENTIFIED, opened_on),
        **{name: value for name, value in figures.items() if value is not None},
    )
    CaseEvent.objects.create(
        case=case, action=CaseEvent.OPENED, from_status=Status.IDENTIFIED, to_status=Status.IDENTIFIED, actor=by
    )
    return case, True


@transaction.atomic
def cases_propose_revocation(*, employer_ids: Iterable[int], source: str) -> list[SanctionCase]:
    """Propose lifting TMP2T for employers a data exchange shows active and compliant.

    For each case whose sanction is active (recommendation issued or services withheld) the
    timeline gets one proposal entry per ``source`` (e.g. "Pertukaran data 2a triwulan III 2025")
    and the BPJS officers get one inbox notice. Nothing moves: BPJS still requests the revocation
    with the evidence the law asks for. Idempotent: the same source proposes a case once.
    Returns the cases proposed now.
    """
    from notifications.services import notify

    note = _g("Usulan dari %(source)s: pemberi kerja tercatat aktif dan patuh.") % {"source": source}
    active = [Status.RECOMMENDED, Status.SERVICES_WITHHELD]
    cases = SanctionCase.objects.filter(status__in=active, employer_id__in=set(employer_ids)).with_employer()
    done = set(
        CaseEvent.objects.filter(case__in=cases, action=CaseEvent.REVOCATION_PROPOSED, note=note).values_list(
            "case_id", flat=True
        )
    )
    proposed = [case for case in cases if case.pk not in done]
    CaseEvent.objects.bulk_create(
        CaseEvent(case=c, action=CaseEvent.REVOCATION_PROPOSED, from_status=c.status, to_status=c.status, note=note)
        for c in proposed
    )
    officers = list(User.objects.filter(role=Role.BPJS_OFFICER, is_active=True))
    for case in proposed:
        notify(
            users=officers,
            key=f"compliance.revocation-proposal:{case.pk}:{source}"[:200],
            subject=_g("Usulan pencabutan TMP2T: %(employer)s") % {"employer": case.employer.name},
            body=note,
            url=reverse("compliance:case", args=[case.pk]),
        )
    return proposed


@dataclass(frozen=True)
class OverdueResult:
    cases: int
    followups: int


@transaction.atomic
def cases_flag_overdue(*, today: datetime.date) -> OverdueResult:
    """Mark the open steps whose deadline passed before ``today``, once each, with a timeline entry.

    After the MoU's termination (Pasal 13) only deadlines that fell before its effective date are
    flagged: the coordination that flags and escalates ended, the sanction itself (PP 86/2013) did
    not, so cases stay open and can still move (docs/compliance.md, "After termination").
    Idempotent: a step already flagged is left alone, so the task may run twice a day or be
    retried. A step's flag clears when the case or follow-up moves on.
    """
    ended = coordination_ended_on()
    before_end = {} if ended is None else {"deadline__lt": ended}
    cases = list(
        SanctionCase.objects.overdue(today)
        .filter(overdue_since__isnull=True, **before_end)
        .select_for_update(skip_locked=True)
    )
    events = [_overdue_event(case, case.deadline) for case in cases]
    for case in cases:
        case.overdue_since = today
    SanctionCase.objects.bulk_update(cases, ["overdue_since"])

    followups = list(
        ServiceFollowUp.objects.filter(due_on__lt=min(today, ended or today), overdue_since__isnull=True)
        .exclude(status=ServiceFollowUp.Status.RELEASED)
        .select_related("case", "unit")
        .select_for_update(skip_locked=True, of=("self",))
    )
    events += [_overdue_event(followup.case, followup.due_on, followup) for followup in followups]
    for followup in followups:
        followup.overdue_since = today
    ServiceFollowUp.objects.bulk_update(followups, ["overdue_since"])
    CaseEvent.objects.bulk_create(events)
    return OverdueResult(cases=len(cases), followups=len(followups))


def _overdue_event(case: SanctionCase, due: datetime.date | None, followup: ServiceFollowUp | None = None) -> CaseEvent:
    if followup is None:
        note = _g("Tahap '%(status)s' melewati batas waktu %(due)s.") % {
            "status": case.get_status_display(),
            "due": tanggal(due),
        }
    else:
        note = _g("%(unit)s belum mencatat '%(status)s' sampai batas waktu %(due)s.") % {
            "unit": followup.unit.short_name,
            "status": _g("layanan ditahan")
            if followup.status == followup.Status.REQUESTED
            else _g("layanan dipulihkan"),
            "due": tanggal(due),
        }
    return CaseEvent(
        case=case,
        action=CaseEvent.OVERDUE,
        from_status=case.status,
        to_status=case.status,
        note=note,
        followup=followup,
    )


@transaction.atomic
def case_issue_recommendation(
    *,
    case: SanctionCase,
    by: User,
    number: str,
    services: Iterable[str],
    issued_on: datetime.date | None = None,
    note: str = "",
    evidence: Sequence[EvidenceFile] = (),
) -> CaseLetter:
    """Issue the TMP2T recommendation (the case step) and its letter to the service units, as one act."""
    case.issue_recommendation(
        by=by, number=number, services=services, issued_on=issued_on, note=note, evidence=evidence
    )
    followups = list(case.followups.select_related("unit"))
    subject = "Rekomendasi Pengenaan Sanksi Administratif Tidak Mendapat Pelayanan Publik Tertentu"
    return write_letter(case=case, kind=CaseLetter.Kind.RECOMMENDATION, followups=followups, subject=subject)


@transaction.atomic
def case_revoke(
    *,
    case: SanctionCase,
    by: User,
    number: str,
    revoked_on: datetime.date | None = None,
    note: str = "",
    evidence: Sequence[EvidenceFile] = (),
) -> CaseLetter:
    """Revoke TMP2T (the case step) and write the letter asking the units to serve the employer again."""
    case.revoke(by=by, number=number, revoked_on=revoked_on, note=note, evidence=evidence)
    followups = list(case.followups.select_related("unit"))
    withheld = [f for f in followups if f.status == ServiceFollowUp.Status.WITHHELD]
    subject = "Pencabutan Sanksi Administratif Tidak Mendapat Pelayanan Publik Tertentu"
    return write_letter(case=case, kind=CaseLetter.Kind.REVOCATION, followups=withheld or followups, subject=subject)


# -- One entry point for the pages and the API ----------------------------------------------

Step = Callable[[SanctionCase, "User", dict[str, Any], list[EvidenceFile]], object]

STEPS: dict[str, Step] = {
    "mulai_pembinaan": lambda c, u, v, e: c.start_guidance(by=u, note=v.get("note", ""), evidence=e),
    "teguran_1": lambda c, u, v, e: c.issue_first_warning(
        by=u, issued_on=v.get("issued_on"), note=v.get("note", ""), evidence=e
    ),
    "teguran_2": lambda c, u, v, e: c.issue_second_warning(
        by=u, issued_on=v.get("issued_on"), note=v.get("note", ""), evidence=e
    ),
    "denda": lambda c, u, v, e: c.impose_fine(
        by=u,
        amount=v.get("amount"),
        contributions_owed=v.get("contributions_owed"),
        imposed_on=v.get("imposed_on"),
        note=v.get("note", ""),
        evidence=e,
    ),
    "ajukan_tmp2t": lambda c, u, v, e: c.request_tmp2t(by=u, evidence=e, note=v.get("note", "")),
    "mulai_verifikasi": lambda c, u, v, e: c.start_verification(by=u, note=v.get("note", ""), evidence=e),
    "terbitkan_rekomendasi": lambda c, u, v, e: case_issue_recommendation(
        case=c,
        by=u,
        number=v["number"],
        services=v["services"],
        issued_on=v.get("issued_on"),
        note=v.get("note", ""),
        evidence=e,
    ),
    "ajukan_pencabutan": lambda c, u, v, e: c.request_revocation(by=u, evidence=e, note=v.get("note", "")),
    "tolak_pencabutan": lambda c, u, v, e: c.refuse_revocation(by=u, note=v.get("note", "")),
    "cabut": lambda c, u, v, e: case_revoke(
        case=c, by=u, number=v["number"], revoked_on=v.get("revoked_on"), note=v.get("note", ""), evidence=e
    ),
    "nyatakan_patuh": lambda c, u, v, e: c.mark_compliant(by=u, note=v.get("note", ""), evidence=e),
    "batal": lambda c, u, v, e: c.mark_data_error(by=u, note=v.get("note", "")),
    "rujuk_pidana": lambda c, u, v, e: c.refer_to_criminal(by=u, note=v.get("note", "")),
}


def case_take_step(
    *, case: SanctionCase, by: User, action: str, values: dict[str, Any], evidence: list[EvidenceFile]
) -> object:
    """Take the step ``action`` (a key of ``compliance.states.TRANSITIONS``) with parsed input.

    The one method or service behind each step does the checking; a refusal raises
    ``TransitionRefused``. ``values`` holds what the step's form or serializer parsed.
    """
    if action not in STEPS:
        raise TransitionRefused(_g("Langkah '%(step)s' tidak dikenal.") % {"step": action})
    return STEPS[action](case, by, values, evidence)


# --- The review queue of similar names --------------------------------------------------------


@transaction.atomic
def name_review_decide(*, review: NameReview, same: bool, by: User) -> NameReview:
    """Answer a similar-name review: "same employer" merges the new one into the registered one.

    Either answer is remembered in the registry (``MatchDecision``) for the listed name in its
    region, so no later list or exchange file asks again. "Same" moves the new employer's cases
    (an open case that duplicates the registered employer's open case of that category is
    closed as a duplicate) and keeps its name as an alias. Refused when already answered or
    when the two records' identifiers differ.
    """
    review = NameReview.objects.select_for_update(of=("self",)).with_pair().get(pk=review.pk)
    if not review.is_pending:
        raise TransitionRefused(_g("Tinjauan ini sudah diputuskan."))
    new, registered = review.employer, review.candidate
    review.status = NameReview.Status.SAME if same else NameReview.Status.DIFFERENT
    review.decided_by, review.decided_at = by, timezone.now()
    review.save()
    if same and new is not None:
        _merge_new_employer(new=new, into=registered, by=by, review=review)
        review.employer = registered  # what the merge left in the row
    answer = registered if same else new
    review.decision = MatchDecision.objects.remember(
        name=review.listed_value("name"), region_id=review.region_id, employer=answer, by=by
    )
    review.save(update_fields=["decision"])
    return review


def _merge_new_employer(*, new: Employer, into: Employer, by: User, review: NameReview) -> None:
    note = _g("Digabung ke %(employer)s (tinjauan nama mirip, baris %(row)s).") % {
        "employer": into,
        "row": review.row,
    }
    if conflicts := merge_conflicts(duplicate=new, into=into):
        raise TransitionRefused(_g("Tidak dapat digabung: %(why)s.") % {"why": "; ".join(conflicts)})
    taken = set(into.sanction_cases.open().values_list("category", flat=True))
    for case in new.sanction_cases.open():
        if case.category in taken:
            case.mark_data_error(by=by, note=_g("Duplikat kasus pemberi kerja yang sama. ") + note)
    cases = list(new.sanction_cases.all())
    try:
        employer_merge(duplicate=new, into=into, source=_g("Tinjauan nama mirip #%(pk)s") % {"pk": review.pk})
    except MergeRefused as refused:
        raise TransitionRefused(str(refused)) from refused
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=c, action=CaseEvent.EMPLOYER_MERGED, from_status=c.status, to_status=c.status, actor=by, note=note
        )
        for c in cases
    )
