"""The frozen snapshot behind one version of the annual report: plain JSON, built once, read many times.

Everything the report prints comes from here, already in its printed order (lists, never
dict order: PostgreSQL's ``jsonb`` does not keep key order) and with dates already written
the Indonesian way, so rendering a stored snapshot twice gives the same text.

It reads the work plan through its QuerySet methods and ``workplan.progress``, the sanction
cases through ``compliance``'s manager, and the data exchange through
``dataexchange.summary.exchange_year_summary`` (aggregates only); a section without data is
recorded as ``None`` and printed as "belum ada data".
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from core.formatting import join_id, tanggal
from core.templatetags.indonesia import tanggal_jam
from dataexchange.summary import exchange_year_summary
from notifications.services import escalation_summary
from workplan import plan_history, progress
from workplan.models import Activity, Agreement, ProgressReport, Quarter, ResponsibleUnit, WorkStatus

SCHEMA = 2  # 2: chapter III from dataexchange.summary (version 1 stored label/value rows)
JSON = dict[str, Any]

# Achievement bands (DOMAIN.md section 7; PermenPANRB): lower bound, label.
BANDS = ((91, "Sangat Baik"), (76, "Baik"), (66, "Cukup"), (51, "Kurang"), (0, "Sangat Kurang"))


def achievement_band(value: float | None) -> str:
    if value is None:
        return "-"
    return next(label for floor, label in BANDS if value >= floor)


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 2) if known else None


def snapshot_build(*, agreement: Agreement, year: int, cases_limit: int | None = None) -> JSON:
    """Everything the year's report prints, as JSON-ready data in printed order."""
    start, end = year_period(agreement, year)
    programs = work_plan_section(agreement, year)
    return {
        "schema": SCHEMA,
        "year": year,
        "taken_at": tanggal_jam(timezone.now()),
        "period": {"start": tanggal(start), "end": tanggal(end)},
        "agreement": _agreement(agreement),
        "parties": _parties(agreement),
        "programs": programs,
        "summary": summary_of(programs),
        "problems": _problems(programs),
        "exchange": exchange_year_summary(year=year, agreement=agreement, today=min(end, timezone.localdate())),
        "compliance": _compliance(start, end, cases_limit),
        "escalations": escalation_summary(start=start, end=end),
    }


def _agreement(agreement: Agreement) -> JSON:
    return {
        "number": agreement.number,
        "second_number": agreement.second_number,
        "title": agreement.title,
        "signed_on": tanggal(agreement.signed_on),
        "signed_place": agreement.signed_place,
        "starts_on": tanggal(agreement.starts_on),
        "ends_on": tanggal(agreement.ends_on),
        "term_years": agreement.term_years,
        "object_text": agreement.object_text,
        "scope": list(agreement.scope),
        "legal_basis": list(agreement.legal_basis),
    }


def _parties(agreement: Agreement) -> list[JSON]:
    return [
        {
            "side": party.side,
            "label": str(party.get_side_display()),
            "name": party.name,
            "signatory_name": party.signatory_name,
            "signatory_title": party.signatory_title,
            "office_address": party.office_address,
        }
        for party in agreement.parties.order_by("side")
    ]


def work_plan_section(agreement: Agreement, year: int) -> list[JSON]:
    """Programs, their activities planned in ``year`` and each unit's reports, in work-plan order."""
    # the plan as it stood in the year: a unit a later amendment retired is still in that year's report
    activities = list(Activity.objects.for_agreement(agreement).in_year(year).with_plan(year=year))
    cells = progress.activity_years(activities, [year])
    units = [u for a in activities for r in a.responsibilities.all() for u in r.units.all()]
    reports = (
        ProgressReport.objects.in_year(year)
        .filter(unit__in=units)
        .exclude(state=ProgressReport.State.DRAFT)
        .annotate(evidence_count=Count("evidence"))
        .order_by("unit_id", "quarter")
    )
    by_unit: dict[int, list[ProgressReport]] = {}
    for report in reports:
        by_unit.setdefault(report.unit_id, []).append(report)
    planned = planned_rows(agreement, year)
    programs: dict[int, JSON] = {}
    for activity in activities:
        program = programs.setdefault(
            activity.program.number,
            {"number": activity.program.number, "title": activity.program.title, "activities": []},
        )
        cell = cells[(activity.pk, year)]
        program["activities"].append(_activity(activity, cell, by_unit, year, planned.get(activity.code, {})))
    for program in programs.values():
        program["achievement"] = _mean([a["achievement"] for a in program["activities"]])
        program["band"] = achievement_band(program["achievement"])
    return [programs[number] for number in sorted(programs)]


def planned_rows(agreement: Agreement, year: int) -> dict[str, JSON]:
    """Each activity's row of the plan version in force at the end of the year's period (Pasal 15): a
    later amendment's texts do not rewrite an earlier year's report. Empty without a plan history."""
    rows = plan_history.plan_rows_at(agreement, year_period(agreement, year)[1])
    return {row["code"]: row for row in rows or []}


def _activity(
    activity: Activity,
    cell: progress.ActivityYear,
    by_unit: dict[int, list[ProgressReport]],
    year: int,
    planned: JSON,
) -> JSON:
    units = []
    for part in activity.responsibilities.all():
        for unit_year in cell.parties[part.side].units:
            units.append(_unit(part.side, unit_year, by_unit.get(unit_year.unit.pk, []), year))
    achievement = _mean([u["achievement"] for u in units])
    return {
        "code": activity.code,
        "title": planned.get("activity", activity.title),
        "output": planned.get("output", activity.output),
        "outcome": planned.get("outcome", activity.outcome),
        "funding": join_id(planned["funding"]) if "funding" in planned else activity.funding_text,
        "status": cell.overall.status,
        "status_label": cell.overall.label,
        "holding_up": [u.unit.organization.short_name for u in cell.overall.holding_up],
        "achievement": achievement,
        "band": achievement_band(achievement),
        "units": units,
    }


def _unit(side: int, unit_year: progress.UnitYear, reports: list[ProgressReport], year: int) -> JSON:
    approved = [r for r in reports if r.state == ProgressReport.State.APPROVED]
    # e-Monev achievement is cumulative: the year's figure is the latest verified quarter's.
    latest = approved[-1] if approved else None
    return {
        "side": side,
        "organization": unit_year.unit.organization.name,
        "short_name": unit_year.unit.organization.short_name,
        "status": unit_year.status,
        "status_label": unit_year.label,
        "reason": unit_year.reason,
        "plan_note": _plan_note(unit_year.unit, year),
        "achievement": _percent(latest.achievement) if latest else None,
        "evidence": sum(r.evidence_count for r in reports),  # type: ignore[attr-defined]
        "quarters": [_quarter(r) for r in reports],
    }


def _plan_note(unit: ResponsibleUnit, year: int) -> str:
    """An amendment that took the unit off, or put it on, the activity during ``year``."""
    if unit.retired_on is not None and unit.retired_on.year == year:
        return unit.retired_label
    if unit.joined_on is not None and unit.joined_on.year == year:
        return unit.joined_label
    return ""


def _quarter(report: ProgressReport) -> JSON:
    return {
        "quarter": report.quarter,
        "label": str(Quarter(report.quarter).label),
        "state": str(report.get_state_display()),
        "work_status": str(report.get_work_status_display()),
        "achievement": _percent(report.achievement),
        "realisation": report.realisation,
        "obstacles": report.obstacles,
        "follow_up": report.follow_up,
        "evidence": report.evidence_count,  # type: ignore[attr-defined]
    }


def summary_of(programs: list[JSON]) -> JSON:
    activities = [a for p in programs for a in p["activities"]]
    unit_counts = Counter(u["status"] for a in activities for u in a["units"])
    activity_counts = Counter(a["status"] for a in activities)
    return {
        "activities": len(activities),
        "units": sum(unit_counts.values()),
        "by_status": [
            {
                "status": s.value,
                "label": str(s.label),
                "activities": activity_counts[s.value],
                "units": unit_counts[s.value],
            }
            for s in WorkStatus
        ],
        "achievement": _mean([a["achievement"] for a in activities]),
        "by_program": [{"label": f"{p['number']}. {p['title']}", "value": p["achievement"]} for p in programs],
    }


def _problems(programs: list[JSON]) -> list[JSON]:
    """Every kendala reported in the year, with its tindak lanjut, in work-plan order."""
    rows = []
    for program in programs:
        for activity in program["activities"]:
            for unit in activity["units"]:
                for quarter in unit["quarters"]:
                    if quarter["obstacles"].strip():
                        rows.append(
                            {
                                "code": activity["code"],
                                "unit": unit["short_name"],
                                "quarter": quarter["label"],
                                "obstacles": quarter["obstacles"],
                                "follow_up": quarter["follow_up"],
                            }
                        )
    return rows


def _compliance(start: datetime.date, end: datetime.date, cases_limit: int | None) -> JSON:
    from compliance.models import CaseEvent, SanctionCase, ServiceFollowUp
    from compliance.states import Status

    cases = cases_in_period(SanctionCase.objects.all(), start, end)
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    rows = cases[:cases_limit] if cases_limit is not None else cases
    return {
        "total": sum(counts.values()),
        "by_status": [{"status": s.value, "label": str(s.label), "count": counts.get(s.value, 0)} for s in Status],
        "recommendations": SanctionCase.objects.filter(recommendation_on__range=(start, end)).count(),
        "withheld": ServiceFollowUp.objects.filter(withheld_on__range=(start, end)).count(),
        "released": ServiceFollowUp.objects.filter(released_on__range=(start, end)).count(),
        "revoked": SanctionCase.objects.filter(revocation_on__range=(start, end)).count(),
        "inspections": CaseEvent.objects.filter(action="mulai_verifikasi", at__date__range=(start, end)).count(),
        "cases": [case_row(case) for case in rows.iterator(chunk_size=2000)],
    }


CASE_COLUMNS = ("Pemberi kerja", "NPP", "Wilayah", "Kategori", "Tahap", "Teridentifikasi", "No. rekomendasi")


def year_period(agreement: Agreement, year: int) -> tuple[datetime.date, datetime.date]:
    """The part of ``year`` within the agreement's term: what the year's report covers."""
    return max(datetime.date(year, 1, 1), agreement.starts_on), min(datetime.date(year, 12, 31), agreement.ends_on)


def cases_in_period(cases: Any, start: datetime.date, end: datetime.date) -> Any:
    """The cases of ``cases`` that existed during the period (opened by its end, not closed before
    its start), in the annex's order, with their employers."""
    cases = cases.filter(opened_on__lte=end).exclude(closed_at__date__lt=start)
    return cases.with_employer().order_by("opened_on", "employer__name", "pk")


def case_row(case: Any) -> list[str]:
    """One case as the annex and the case-list export print it (``CASE_COLUMNS``)."""
    region = case.employer.region.name if case.employer.region_id else ""
    return [
        case.employer.name,
        case.employer.npp,
        region,
        str(case.get_category_display()),
        str(case.get_status_display()),
        tanggal(case.opened_on),
        case.recommendation_number,
    ]
