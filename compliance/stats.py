"""Counts for the sanction dashboard: the case funnel by state, city and category, overdue steps
by step, and services withheld, revoked and restored per unit. Each count is one aggregate query over cases the
user may see (``compliance.access``), so the page costs the same for ten cases or ten thousand.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet

from compliance.models import SanctionCase, ServiceFollowUp
from compliance.states import CLOSED_STATUSES, Category, Status
from core.pagecache import PROCESS_TOKEN
from registry.models import Region


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    maximum: int


def _bars(labels: list[tuple[str, str]], counts: Mapping[str | None, int] | Mapping[str, int]) -> list[Bar]:
    maximum = max(counts.values(), default=0) or 1
    return [Bar(label=label, value=counts.get(key, 0), maximum=maximum) for key, label in labels]


@dataclass(frozen=True)
class UnitFollowUps:
    unit: str
    requested: int
    withheld: int
    released: int
    overdue: int
    revoked: int  # follow-ups of cases whose sanction was revoked (restored or still to restore)


@dataclass(frozen=True)
class CaseStats:
    total: int
    open: int
    overdue: int
    overdue_by_step: list[Bar]
    funnel: list[Bar]
    by_region: list[Bar]
    by_category: list[Bar]
    units: list[UnitFollowUps]


def _case_counts(cases: QuerySet[SanctionCase]) -> tuple[Counter[str], Counter[str | None], Counter[str], Counter[str]]:
    """Cases by status; open cases by region (BPS code) and by category; open overdue cases by status.

    One grouped query over the cases joined to their employers' regions: the four counts were four
    scans, the join alone about 12 ms on 10,000 cases (docs/assurance.md, section 6).
    """
    late = ExpressionWrapper(Q(overdue_since__isnull=False), output_field=BooleanField())
    grouped = cases.values("status", "category", region=F("employer__region__kode_bps"), late=late)
    by_status: Counter[str] = Counter()
    by_region: Counter[str | None] = Counter()
    by_category: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for row in grouped.annotate(n=Count("pk")):
        status, n = row["status"], row["n"]
        by_status[status] += n
        if status in CLOSED_STATUSES:
            continue
        by_region[row["region"]] += n
        by_category[row["category"]] += n
        if row["late"]:
            overdue[status] += n
    return by_status, by_region, by_category, overdue


def case_stats(
    cases: QuerySet[SanctionCase], *, opened_from: datetime.date | None, opened_to: datetime.date | None
) -> CaseStats:
    """The dashboard's numbers for ``cases`` (already scoped to the user), opened within the period."""
    if opened_from:
        cases = cases.filter(opened_on__gte=opened_from)
    if opened_to:
        cases = cases.filter(opened_on__lte=opened_to)
    cases = cases.order_by()
    by_status, by_region, by_category, overdue = _case_counts(cases)
    regions = [(r.kode_bps, r.name) for r in Region.objects.all()]
    followups = (
        ServiceFollowUp.objects.filter(case__in=cases)
        .values("unit__short_name")
        .annotate(
            requested=Count("pk", filter=Q(status=ServiceFollowUp.Status.REQUESTED)),
            withheld=Count("pk", filter=Q(status=ServiceFollowUp.Status.WITHHELD)),
            released=Count("pk", filter=Q(status=ServiceFollowUp.Status.RELEASED)),
            overdue=Count("pk", filter=Q(overdue_since__isnull=False) & ~Q(status=ServiceFollowUp.Status.RELEASED)),
            revoked=Count("pk", filter=Q(case__status=Status.REVOKED)),
        )
        .order_by("unit__short_name")
    )
    open_steps = [(s.value, str(s.label)) for s in Status if s not in CLOSED_STATUSES]
    return CaseStats(
        total=sum(by_status.values()),
        open=sum(n for status, n in by_status.items() if status not in CLOSED_STATUSES),
        overdue=sum(overdue.values()),
        overdue_by_step=[bar for bar in _bars(open_steps, overdue) if bar.value],
        funnel=_bars([(s.value, str(s.label)) for s in Status], by_status),
        by_region=_bars(regions, by_region),
        by_category=_bars([(c.value, str(c.label)) for c in Category], by_category),
        units=[
            UnitFollowUps(
                row["unit__short_name"],
                row["requested"],
                row["withheld"],
                row["released"],
                row["overdue"],
                row["revoked"],
            )
            for row in followups
        ],
    )


def stats_version(numbers: CaseStats) -> str:
    """MD5 of every number and label the dashboard shows, to key its rendering (the counts are read
    on every request: only the template's work is saved, and two users share a rendering only
    when their own counts are the same)."""
    shown = repr(numbers).encode()
    return f"{PROCESS_TOKEN}-{hashlib.md5(shown, usedforsecurity=False).hexdigest()}"
