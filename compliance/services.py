"""Work on sanction cases that spans records: opening cases, flagging overdue steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _g

from compliance.models import CaseEvent, SanctionCase, ServiceFollowUp, step_deadline
from compliance.states import Status
from core.formatting import tanggal
from registry.models import Employer

if TYPE_CHECKING:
    from accounts.models import User


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


@dataclass(frozen=True)
class OverdueResult:
    cases: int
    followups: int


@transaction.atomic
def cases_flag_overdue(*, today: datetime.date) -> OverdueResult:
    """Mark the open steps whose deadline passed before ``today``, once each, with a timeline entry.

    Idempotent: a step already flagged is left alone, so the task may run twice a day or be
    retried. A step's flag clears when the case or follow-up moves on.
    """
    cases = list(
        SanctionCase.objects.overdue(today).filter(overdue_since__isnull=True).select_for_update(skip_locked=True)
    )
    events = [_overdue_event(case, case.deadline) for case in cases]
    for case in cases:
        case.overdue_since = today
    SanctionCase.objects.bulk_update(cases, ["overdue_since"])

    followups = list(
        ServiceFollowUp.objects.filter(due_on__lt=today, overdue_since__isnull=True)
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
