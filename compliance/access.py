"""Who may see and act on sanction cases. Every view, API, export and PDF fetches through here.

* BPJS officers and the secretariat (Disnakertransgi) see every case and act on it.
* Leadership sees every case, read-only (403 on any write).
* A follow-up agency (DPMPTSP, Citata, BPPBJ) sees only cases with a follow-up for its own
  unit, and writes only its own follow-ups.
* Anyone else, other dinas staff included, sees no case: 404, as if it did not exist.

Program 3's other records (inspections, URC work accidents, the joint programme, trainings) are
read by BPJS officers, the secretariat, leadership and the staff of the Pemprov unit that leads
those rows in the work plan (Disnakertransgi), and written by all of them but leadership.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from compliance.models import (
    CaseEvidence,
    CaseLetter,
    NameReview,
    NonComplianceUpload,
    SanctionCase,
    SanctionCaseQuerySet,
    ServiceFollowUp,
)
from compliance.program3 import KINDS, Program3Record
from compliance.reviews import NameReviewQuerySet

SEE_ALL = frozenset({Role.BPJS_OFFICER, Role.SECRETARIAT, Role.LEADERSHIP})
READ_ONLY = frozenset({Role.LEADERSHIP})

AnyUser = User | AnonymousUser


def _agency_unit_id(user: AnyUser) -> int | None:
    if isinstance(user, User) and user.role == Role.FOLLOWUP_AGENCY:
        return user.organization_id
    return None


def cases_for_user(user: AnyUser) -> SanctionCaseQuerySet:
    """The cases ``user`` may see."""
    cases = SanctionCase.objects.all()
    if not isinstance(user, User) or not user.is_active:
        return cases.none()
    if user.is_superuser or user.role in SEE_ALL:
        return cases
    unit_id = _agency_unit_id(user)
    return cases.filter(followups__unit_id=unit_id).distinct() if unit_id else cases.none()


def can_write(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and (user.is_superuser or user.role not in READ_ONLY)


def get_case_for_user(user: AnyUser, pk: int, *, write: bool = False) -> SanctionCase:
    """The case, or 404 when ``user`` may not see it, or 403 when ``write`` and ``user`` only reads."""
    case = get_object_or_404(cases_for_user(user).with_employer(), pk=pk)
    if write and not can_write(user):
        raise PermissionDenied
    return case


def get_followup_for_user(user: AnyUser, pk: int, *, write: bool = False) -> ServiceFollowUp:
    """A follow-up: agencies see only their unit's; writing is for that unit and the secretariat."""
    followups = ServiceFollowUp.objects.select_related("case", "case__employer", "unit")
    unit_id = _agency_unit_id(user)
    if unit_id:
        followups = followups.filter(unit_id=unit_id)
    followup = get_object_or_404(followups.filter(case__in=cases_for_user(user)), pk=pk)
    if write and not can_record_followup(user, followup):
        raise PermissionDenied
    return followup


def can_record_followup(user: AnyUser, followup: ServiceFollowUp) -> bool:
    """The unit's own agency staff, and the secretariat on its behalf."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.role == Role.SECRETARIAT or _agency_unit_id(user) == followup.unit_id


def get_letter_for_user(user: AnyUser, pk: int) -> CaseLetter:
    """A letter of a case ``user`` may see (an agency sees only cases addressed to its unit)."""
    return get_object_or_404(CaseLetter.objects.select_related("case").filter(case__in=cases_for_user(user)), pk=pk)


def get_evidence_for_user(user: AnyUser, pk: int) -> CaseEvidence:
    return get_object_or_404(CaseEvidence.objects.filter(case__in=cases_for_user(user)), pk=pk)


def can_upload_lists(user: AnyUser) -> bool:
    """Non-compliance lists come from BPJS (annex row 3c); administrators may load them too."""
    return isinstance(user, User) and user.is_active and (user.is_superuser or user.role == Role.BPJS_OFFICER)


def uploads_for_user(user: AnyUser) -> QuerySet[NonComplianceUpload]:
    """The list uploads: BPJS officers, the secretariat and leadership see them; others none."""
    uploads = NonComplianceUpload.objects.select_related("uploaded_by")
    if isinstance(user, User) and user.is_active and (user.is_superuser or user.role in SEE_ALL):
        return uploads
    return uploads.none()


# --- The review queue of similar names ---------------------------------------------------------

# BPJS (who sent the list) and the secretariat answer; leadership reads.
NAME_DECIDERS = frozenset({Role.BPJS_OFFICER, Role.SECRETARIAT})


def reads_name_reviews(user: AnyUser) -> bool:
    """BPJS officers, the secretariat and leadership see the similar-name queue; others do not."""
    return isinstance(user, User) and user.is_active and (user.is_superuser or user.role in SEE_ALL)


def name_reviews_for_user(user: AnyUser) -> NameReviewQuerySet:
    reviews = NameReview.objects.with_pair()
    return reviews if reads_name_reviews(user) else reviews.none()


def can_decide_names(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and (user.is_superuser or user.role in NAME_DECIDERS)


def get_name_review_for_user(user: AnyUser, pk: int, *, write: bool = False) -> NameReview:
    """A review, 404 to whoever may not see the queue, 403 to leadership when answering."""
    review = get_object_or_404(name_reviews_for_user(user), pk=pk)
    if write and not can_decide_names(user):
        raise PermissionDenied
    return review


# --- The other Program 3 activities (3a, 3b, 3d, 3e, 3f) -------------------------------------

# Annex rows whose Pemprov lead (Disnakertransgi: labour inspectors, mediators, PPNS) records them.
PROGRAM3_LETTERS = ("a", "b", "d", "e", "f")


def _leads_program3(user: User) -> bool:
    """Dinas staff of a Pemprov unit responsible for 3a/3b/3d/3e/3f in the work plan."""
    from workplan.models import ResponsibleUnit

    if user.role != Role.DINAS_STAFF or not user.organization_id:
        return False
    return ResponsibleUnit.objects.filter(
        organization_id=user.organization_id,
        responsibility__activity__program__number=3,
        responsibility__activity__letter__in=PROGRAM3_LETTERS,
    ).exists()


def reads_program3(user: AnyUser) -> bool:
    """BPJS officers, the secretariat, leadership and the lead unit's staff; nobody else."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or user.role in SEE_ALL or _leads_program3(user)


def writes_program3(user: AnyUser) -> bool:
    return reads_program3(user) and can_write(user)


def check_program3(user: AnyUser, *, write: bool = False) -> None:
    """404 to whoever may not see Program 3 records, 403 to leadership on a write."""
    if not reads_program3(user):
        raise Http404
    if write and not writes_program3(user):
        raise PermissionDenied


def get_program3_record_for_user(user: AnyUser, kind: str, pk: int, *, write: bool = False) -> Program3Record:
    """One record of ``kind`` (a key of ``compliance.program3.KINDS``), through ``check_program3``."""
    if kind not in KINDS:
        raise Http404
    check_program3(user, write=write)
    model = KINDS[kind]
    related = ["recorded_by"] + (["employer"] if kind in {"pemeriksaan", "kecelakaan"} else [])
    return get_object_or_404(model.objects.select_related(*related), pk=pk)
