"""Who may see and record the clause records: the only place these rules live.

* the secretariat (and superusers) record everything;
* leadership and the users of both parties' liaison units (current or past) read;
* everyone else gets 404: the records are not theirs to know about.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from clauses.models import ForceMajeure
from clauses.services import liaison_organizations
from workplan.models import Agreement


def current_agreement() -> Agreement | None:
    return Agreement.objects.order_by("-signed_on").first()


def can_edit(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role == Role.SECRETARIAT or user.is_superuser))


def reads_every_agreement(user: Any) -> bool:
    return bool(user.is_authenticated and (can_edit(user) or user.role == Role.LEADERSHIP))


def can_read(user: Any, agreement: Agreement) -> bool:
    if not user.is_authenticated:
        return False
    if reads_every_agreement(user):
        return True
    return bool(user.organization_id and user.organization_id in liaison_organizations(agreement=agreement))


def get_agreement_for_user(user: Any, *, write: bool = False) -> Agreement:
    """The agreement whose clauses ``user`` may read (404 otherwise) or, with ``write``, record (403)."""
    agreement = current_agreement()
    if agreement is None or not can_read(user, agreement):
        raise Http404
    if write and not can_edit(user):
        raise PermissionDenied
    return agreement


def get_force_majeure_for_user(user: Any, pk: int, *, write: bool = False) -> ForceMajeure:
    event = ForceMajeure.objects.select_related("agreement").filter(pk=pk).first()
    if event is None or not can_read(user, event.agreement):
        raise Http404
    if write and not can_edit(user):
        raise PermissionDenied
    return event
