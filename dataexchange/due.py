"""Undelivered exchange periods as due items for the digest, the calendar and escalation (notifications).

A period is open until its sending unit delivers it (``ExchangePeriod.delivered_at``, set by an
accepted submission); its due date is the one the schedule gave it. Periods that open after the
agreement's ``ends_on`` (a termination shortens it) are left out, and a terminated agreement has
no items at all (docs/notifications.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from dataexchange.models import ExchangePeriod
from notifications.registry import DueItem
from workplan.models import Agreement


def exchange_due_items(*, until: datetime.date) -> Iterator[DueItem]:
    """Periods due on or before ``until`` that their sender has not delivered (two queries)."""
    periods = list(
        ExchangePeriod.objects.open()
        .filter(due_on__lte=until, opens_on__lte=F("stream__agreement__ends_on"))
        .exclude(stream__agreement__status=Agreement.Status.TERMINATED)
        .select_related("stream", "unit")
    )
    staff: dict[int, set[int]] = {}
    people = User.objects.filter(is_active=True, organization_id__in={p.unit_id for p in periods})
    for pk, organization_id in people.values_list("pk", "organization_id"):
        staff.setdefault(organization_id, set()).add(pk)
    for period in periods:
        yield DueItem(
            key=f"dataexchange.period:{period.pk}",
            title=_("Kirim data %(code)s %(label)s (%(unit)s)")
            % {"code": period.stream.code, "label": period.label, "unit": period.unit.short_name},
            due_on=period.due_on,
            url=reverse("dataexchange:period", args=[period.pk]),
            recipients=frozenset(staff.get(period.unit_id, ())),
            organization_id=period.unit_id,
        )
