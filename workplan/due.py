"""Quarterly progress reports as due items for the digest, the calendar and escalation (notifications).

One item per responsible unit, year and triwulan of the activity's plan whose report is due on or
before ``until`` (``workplan.models.quarter_due_date``: ``PROGRESS_REPORT_DUE_WORKING_DAYS`` hari
kerja after the triwulan ends) and is not yet submitted or approved; a returned report is open
again. Only triwulan that begin within the agreement's term count (a termination shortens
``ends_on``), a unit an amendment retired owes none from the triwulan it left in, and a
terminated agreement has no items at all (docs/notifications.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core.workdays import WorkdayCalendar
from notifications.registry import DueItem
from workplan.models import Agreement, ProgressReport, Quarter, ResponsibleUnit, quarter_due_date, quarter_end

DONE = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)


def _owed(unit: ResponsibleUnit) -> Iterator[tuple[int, int]]:
    """The (year, triwulan) of the unit's plan within its agreement's term and before its retirement."""
    for year in sorted(unit.responsibility.activity.years):
        for quarter in Quarter.values:
            if unit.owes(year, quarter):
                yield year, quarter


def workplan_due_items(*, until: datetime.date) -> Iterator[DueItem]:
    """Quarterly reports due on or before ``until`` that no one has submitted yet (four queries in all)."""
    units = list(
        ResponsibleUnit.objects.exclude(
            responsibility__activity__program__agreement__status=Agreement.Status.TERMINATED
        ).select_related("organization", "responsibility__activity__program__agreement")
    )
    years = [year for unit in units for year in unit.responsibility.activity.years]
    if not years:
        return
    done = set(ProgressReport.objects.filter(unit__in=units, state__in=DONE).values_list("unit_id", "year", "quarter"))
    staff: dict[int, set[int]] = {}
    people = User.objects.filter(is_active=True, organization_id__in={u.organization_id for u in units})
    for pk, organization_id in people.values_list("pk", "organization_id"):
        staff.setdefault(organization_id, set()).add(pk)
    first = min(years)
    days = settings.PROGRESS_REPORT_DUE_WORKING_DAYS
    calendar = WorkdayCalendar(quarter_end(first, 1), until + datetime.timedelta(days=days * 2 + 30))
    due: dict[tuple[int, int], datetime.date] = {}
    for unit in units:
        for year, quarter in _owed(unit):
            if quarter_end(year, quarter) >= until:
                continue  # due after the triwulan ends, so after ``until`` too
            if (year, quarter) not in due:
                due[year, quarter] = quarter_due_date(year, quarter, calendar)
            if due[year, quarter] > until or (unit.pk, year, quarter) in done:
                continue
            yield DueItem(
                key=f"workplan.report:{unit.pk}:{year}:{quarter}",
                title=_("Laporan %(quarter)s %(year)s: %(activity)s %(unit)s")
                % {
                    "quarter": Quarter(quarter).label,
                    "year": year,
                    "activity": unit.responsibility.activity.code,
                    "unit": unit.organization.short_name,
                },
                due_on=due[year, quarter],
                url=reverse("workplan:report-new", args=[unit.pk, year, quarter]),
                recipients=frozenset(staff.get(unit.organization_id, ())),
                organization_id=unit.organization_id,
            )
