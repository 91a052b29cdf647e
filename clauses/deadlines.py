"""The clauses' deadlines as due items for the digest, the calendar and escalation (notifications.registry)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from clauses.models import ForceMajeure
from clauses.services import clause_contacts, liaison_on
from notifications.registry import DueItem
from workplan.models import Agreement


def clause_due_items(*, until: datetime.date) -> Iterator[DueItem]:
    """Open force-majeure response deadlines and term ends, for agreements still in force.

    A terminated agreement has no schedule any more, so its items disappear (Pasal 13).
    """
    events = (
        ForceMajeure.objects.awaiting_response()
        .filter(response_due_on__lte=until, agreement__status=Agreement.Status.IN_FORCE)
        .select_related("agreement")
    )
    for event in events:
        receiver = liaison_on(agreement=event.agreement, side=event.receiving_side, day=event.notice_received_on)
        yield DueItem(
            key=f"clauses.fm-response:{event.pk}",
            title=_("Batas tanggapan keadaan kahar %(number)s") % {"number": event.notice_number},
            due_on=event.response_due_on,
            url=reverse("clauses:force-majeure", args=[event.pk]),
            recipients=frozenset(
                clause_contacts(agreement=event.agreement, day=event.response_due_on).values_list("pk", flat=True)
            ),
            organization_id=receiver.organization_id if receiver else None,
        )
    for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE, ends_on__lte=until):
        yield DueItem(
            key=f"clauses.term-end:{agreement.pk}:{agreement.ends_on:%Y%m%d}",
            title=_("Jangka waktu Nota Kesepakatan %(number)s berakhir") % {"number": agreement.number},
            due_on=agreement.ends_on,
            url=reverse("clauses:dashboard"),
            recipients=frozenset(
                clause_contacts(agreement=agreement, day=agreement.ends_on).values_list("pk", flat=True)
            ),
        )
