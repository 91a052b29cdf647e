"""Where the versions of the work plan come from, for the report pages (Pasal 15).

``workplan`` sits below the app that keeps the versions (``clauses``, amendments), so it does not
import it; that app registers itself here in its ``AppConfig.ready()``::

    from workplan.plan_history import register

    register(PlanHistory(version_at=..., for_report=...))

``version_at(agreement, day)`` is the number of the version in force on ``day`` (0 is the plan as
signed); ``for_report(report, user)`` is what was planned for the report's activity under its
version, for ``templates/workplan/_planned.html``; ``rows_at(agreement, day)`` the whole plan in
force on ``day``, for the annual report of an earlier year. Without a registered history every report is
read against the plan as it is now.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workplan.models import Agreement, ProgressReport, ResponsibleUnit, quarter_end


@dataclass(frozen=True)
class PlanHistory:
    version_at: Callable[[Agreement, datetime.date], int]
    for_report: Callable[[ProgressReport, Any], Any]
    # the plan's rows in force on a day, shaped like ``workplan.services.workplan_export_rows``
    rows_at: Callable[[Agreement, datetime.date], list[dict[str, Any]]] | None = None


_history: list[PlanHistory] = []


def register(history: PlanHistory) -> None:
    """Register (or replace, so a reloaded app does not register twice) the plan history."""
    _history[:] = [history]


def version_for(*, unit: ResponsibleUnit, year: int, quarter: int) -> int | None:
    """The version in force at the end of the triwulan, as far as the amendments applied so far say."""
    if not _history:
        return None
    agreement = unit.responsibility.activity.program.agreement
    return _history[0].version_at(agreement, quarter_end(year, quarter))


def latest_version(agreement: Agreement) -> int:
    """The number of the newest applied version (0 while the plan is as signed)."""
    return _history[0].version_at(agreement, datetime.date.max) if _history else 0


def planned_for(report: ProgressReport, user: Any) -> Any:
    """What was planned for ``report`` under its version (``None`` without a registered history)."""
    return _history[0].for_report(report, user) if _history else None


def plan_rows_at(agreement: Agreement, day: datetime.date) -> list[dict[str, Any]] | None:
    """The work plan's rows in force on ``day`` (activity texts, years, units by name), or ``None``
    without a registered history (then the plan as it is now is the only one)."""
    if not _history or _history[0].rows_at is None:
        return None
    return _history[0].rows_at(agreement, day)
