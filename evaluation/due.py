"""Final annual reports awaiting a party's approval, as due items (notifications).

One item per final report and party that has not approved it yet, for the users who approve for
that party (``APPROVER_ROLES``: the secretariat for PIHAK KESATU, BPJS officers for PIHAK KEDUA;
see ``evaluation.access.may_approve``). Each party has ``EVALUATION_APPROVAL_WORKING_DAYS`` hari
kerja (default 10) after the report is made final, counted with ``core.workdays`` (one calendar
for the run). A terminated agreement has no items (docs/notifications.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import cast

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.workdays import WorkdayCalendar
from evaluation.models import APPROVER_ROLES, EvaluationReport
from notifications.registry import DueItem
from workplan.models import Agreement, Side

DEFAULT_APPROVAL_WORKING_DAYS = 10


def _days() -> int:
    return int(getattr(settings, "EVALUATION_APPROVAL_WORKING_DAYS", DEFAULT_APPROVAL_WORKING_DAYS))


def _finalised_on(report: EvaluationReport) -> datetime.date:
    # a final report always records when (evaluation_report_final_has_who)
    return timezone.localdate(cast(datetime.datetime, report.finalised_at))


def approval_due_on(report: EvaluationReport, calendar: WorkdayCalendar | None = None) -> datetime.date:
    """The day both parties should have approved a final report by."""
    day = _finalised_on(report)
    return (calendar or WorkdayCalendar.around(day, _days())).add(day, _days())


def evaluation_due_items(*, until: datetime.date) -> Iterator[DueItem]:
    """Missing party approvals of final reports due on or before ``until`` (three queries, plus holidays)."""
    reports = list(
        EvaluationReport.objects.final()
        .filter(approved_at__isnull=True)
        .exclude(agreement__status=Agreement.Status.TERMINATED)
        .prefetch_related("approvals")
    )
    if not reports:
        return
    # one calendar for every report, so the holidays are read once
    first = min(_finalised_on(report) for report in reports)
    calendar = WorkdayCalendar.around(first, _days())
    approvers: dict[str, set[int]] = {}
    people = User.objects.filter(is_active=True, role__in=APPROVER_ROLES.values())
    for pk, role in people.values_list("pk", "role"):
        approvers.setdefault(role, set()).add(pk)
    for report in reports:
        due_on = approval_due_on(report, calendar)
        if due_on > until:
            continue
        approved = {approval.side for approval in report.approvals.all()}
        for side, role in APPROVER_ROLES.items():
            if side in approved:
                continue
            yield DueItem(
                key=f"evaluation.approval:{report.pk}:{side}",
                title=_("Persetujuan %(side)s: laporan monev %(year)s")
                % {"side": Side(side).label, "year": report.year},
                due_on=due_on,
                url=reverse("evaluation:report", args=[report.pk]),
                recipients=frozenset(approvers.get(role, ())),
            )
