"""Sanction steps as due items for the digest, the calendar and the escalation ladder (notifications).

Each open step with a deadline is one item for the people who must take the next step: BPJS
officers for warnings and the fine, the secretariat for verification and revocation, the
service unit's staff for withholding or restoring its service (one item per follow-up, so
DPMPTSP is never reminded of Citata's part). The key names the step and when it began, so a
case that comes back to a state gets a fresh item.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from typing import cast

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from compliance.models import SanctionCase, ServiceFollowUp, coordination_ended_on
from compliance.states import Status
from notifications.registry import DueItem

BPJS_STEPS = frozenset({Status.IDENTIFIED, Status.GUIDANCE, Status.WARNING_1, Status.WARNING_2, Status.FINE})
SECRETARIAT_STEPS = frozenset({Status.TMP2T_REQUESTED, Status.VERIFICATION, Status.REVOCATION_REQUESTED})


def _people(role: str) -> tuple[frozenset[int], int | None]:
    """Active users of a role, and their most common unit (whose head is the next escalation step)."""
    rows = list(User.objects.filter(role=role, is_active=True).values_list("pk", "organization_id"))
    units = Counter(unit for _pk, unit in rows if unit)
    return frozenset(pk for pk, _unit in rows), (units.most_common(1)[0][0] if units else None)


def compliance_due_items(*, until: datetime.date) -> Iterator[DueItem]:
    """Open case steps and unit follow-ups due on or before ``until``.

    None once the MoU's termination has taken effect: reminding and escalating is its coordination
    (Pasal 13), as for the work-plan reports and the exchange periods; before that day, only steps
    due before it.
    """
    ended = coordination_ended_on()
    if ended is not None:
        if timezone.localdate() >= ended:
            return
        until = min(until, ended - datetime.timedelta(days=1))
    cases = SanctionCase.objects.open().filter(deadline__lte=until).with_employer()
    people = {Status.IDENTIFIED: _people(Role.BPJS_OFFICER), Status.VERIFICATION: _people(Role.SECRETARIAT)}
    for case in cases.filter(status__in=BPJS_STEPS | SECRETARIAT_STEPS):
        recipients, unit = people[Status.IDENTIFIED if case.status in BPJS_STEPS else Status.VERIFICATION]
        yield DueItem(
            key=f"compliance.case:{case.pk}:{case.status}:{case.status_changed_at:%Y%m%d%H%M%S}",
            title=_("%(employer)s: %(step)s") % {"employer": case.employer.name, "step": case.get_status_display()},
            due_on=cast(datetime.date, case.deadline),  # filtered on above
            url=reverse("compliance:case", args=[case.pk]),
            recipients=recipients,
            organization_id=unit,
        )
    followups = (
        ServiceFollowUp.objects.filter(due_on__lte=until)
        .exclude(status=ServiceFollowUp.Status.RELEASED)
        .select_related("case__employer", "unit")
    )
    staff: dict[int, set[int]] = {}
    agency = User.objects.filter(role=Role.FOLLOWUP_AGENCY, is_active=True, organization__isnull=False)
    for pk, unit in agency.values_list("pk", "organization_id"):
        staff.setdefault(unit, set()).add(pk)
    for followup in followups:
        what = _("tahan layanan") if followup.status == ServiceFollowUp.Status.REQUESTED else _("pulihkan layanan")
        yield DueItem(
            key=f"compliance.followup:{followup.pk}:{followup.status}",
            title=_("%(employer)s: %(what)s (%(unit)s)")
            % {"employer": followup.case.employer.name, "what": what, "unit": followup.unit.short_name},
            due_on=cast(datetime.date, followup.due_on),
            url=reverse("compliance:case", args=[followup.case_id]),
            recipients=frozenset(staff.get(followup.unit_id, ())),
            organization_id=followup.unit_id,
        )
