"""Who may see and do what in the data exchange: the only place these rules live.

* dinas staff see the streams their unit sends or receives, their own unit's periods and submissions and
  the periods of the streams their unit receives (Disnakertransgi: 2a, 2b, 2d, 2f; Diskominfotik: 2c);
  they upload for their unit and see their lists' matching results (masked, or unmasked with a reason);
* BPJS officers see the streams their office sends or receives, the periods of those streams, and
  upload BPJS's own deliveries and the membership extract;
* the secretariat and leadership see everything, read-only, NIKs masked;
* anybody else gets 404 (``Http404``); a reader who may not act gets 403 (``PermissionDenied``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from dataexchange.models import ExchangePeriod, ExchangePeriodQuerySet, Stream, Submission

SEE_ALL = frozenset({Role.SECRETARIAT, Role.LEADERSHIP})


def sees_all(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role in SEE_ALL or user.is_superuser))


def _office(user: Any) -> int | None:
    """The organization a dinas clerk or BPJS officer acts for; ``None`` for anyone else."""
    if user.is_authenticated and user.role in {Role.DINAS_STAFF, Role.BPJS_OFFICER}:
        return user.organization_id  # type: ignore[no-any-return]
    return None


def streams_visible_to(user: Any) -> Any:
    streams = Stream.objects.filter(is_active=True)
    if sees_all(user):
        return streams
    office = _office(user)
    if office is None:
        return streams.none()
    return streams.filter(Q(receiver_id=office) | Q(senders=office)).distinct()


def periods_visible_to(user: Any) -> ExchangePeriodQuerySet:
    periods = ExchangePeriod.objects.select_related("stream", "unit")
    if sees_all(user):
        return periods
    office = _office(user)
    if office is None:
        return periods.none()
    return periods.filter(Q(unit_id=office) | Q(stream__receiver_id=office))


def may_upload(user: Any, period: ExchangePeriod) -> bool:
    return _office(user) == period.unit_id and user.role in {Role.DINAS_STAFF, Role.BPJS_OFFICER}


def get_period_for_user(user: Any, pk: int, *, write: bool = False) -> ExchangePeriod:
    period = periods_visible_to(user).filter(pk=pk).first()
    if period is None:
        raise Http404
    if write and not may_upload(user, period):
        raise PermissionDenied
    return period


def get_submission_for_user(user: Any, pk: int) -> Submission:
    submission = (
        Submission.objects.select_related("period__stream", "period__unit", "schema__stream").filter(pk=pk).first()
    )
    if submission is None:
        raise Http404
    if submission.period_id is None:  # BPJS's membership extract: BPJS and the secretariat only
        if not (sees_all(user) or _office(user) == submission.organization_id):
            raise Http404
        return submission
    get_period_for_user(user, submission.period_id)
    return submission


def may_upload_membership(user: Any, stream: Stream) -> bool:
    return bool(user.is_authenticated and user.role == Role.BPJS_OFFICER and user.organization_id == stream.receiver_id)


def may_see_membership(user: Any, stream: Stream) -> bool:
    return sees_all(user) or may_upload_membership(user, stream)


def get_membership_stream_for_user(user: Any, code: str, *, write: bool = False) -> Stream:
    """The stream whose BPJS membership extract (2e) the receiving BPJS office uploads; read-only for SEE_ALL.

    404 for anybody else and for a stream that takes no extract; 403 to a reader who tries to upload.
    """
    stream = Stream.objects.filter(is_active=True, code=code, schemas__version__gte=1000).distinct().first()
    if stream is None or not may_see_membership(user, stream):
        raise Http404
    if write and not may_upload_membership(user, stream):
        raise PermissionDenied
    return stream


def may_unmask(user: Any, submission: Submission) -> bool:
    """The sender owns its list; the receiving BPJS office needs the NIKs to encourage registration."""
    if submission.period_id is None or submission.purged_at is not None:
        return False
    office = _office(user)
    return office is not None and office in {submission.period.unit_id, submission.period.stream.receiver_id}  # type: ignore[union-attr]


def check_unmask(user: Any, submission: Submission) -> None:
    if not may_unmask(user, submission):
        raise PermissionDenied


def may_review_companies(user: Any) -> bool:
    """The secretariat (Disnakertransgi, which receives 2a/2d) decides uncertain company pairs."""
    return bool(user.is_authenticated and (user.role == Role.SECRETARIAT or user.is_superuser))


def check_review_companies(user: Any) -> None:
    if not user.is_authenticated or user.role not in {Role.SECRETARIAT, Role.LEADERSHIP, Role.BPJS_OFFICER}:
        raise Http404
    if not may_review_companies(user):
        raise PermissionDenied
