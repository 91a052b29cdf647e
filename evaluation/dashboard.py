"""The leadership dashboard and the spreadsheet exports: work-plan progress activities x years x units.

The charts are the report's own (``evaluation.charts`` fed by ``evaluation.snapshot``), so the
browser shows the same SVG the PDF prints. Every exported text cell goes through
``core.spreadsheet_safety.xlsx_cell``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheet_safety import neutralise, xlsx_cell
from evaluation import charts
from evaluation.snapshot import CASE_COLUMNS, case_row, cases_in_period, snapshot_build, year_period
from workplan import progress
from workplan.models import Activity, Agreement, Organization, Program, Quarter, WorkStatus


@dataclass
class UnitRow:
    activity: Activity
    side_label: str
    organization: Organization
    cells: list[Any]  # one progress.UnitYear per year, or None when the activity is not planned that year


def matrix_rows(
    agreement: Agreement, years: list[int], *, program: Program | None = None, unit: Organization | None = None
) -> list[UnitRow]:
    """One row per activity and responsible unit, with its yearly status in each of ``years``."""
    found = Activity.objects.for_agreement(agreement).with_plan()
    found = found.filter(program=program) if program else found
    found = found.for_organization(unit) if unit else found
    activities = list(found.order_by("program__number", "letter"))
    cells = progress.activity_years(activities, years)
    rows = []
    for activity in activities:
        for part in activity.responsibilities.all():
            for index, responsible in enumerate(part.units.all()):
                if unit and responsible.organization_id != unit.pk:
                    continue
                per_year = [
                    cells[(activity.pk, y)].parties[part.side].units[index] if (activity.pk, y) in cells else None
                    for y in years
                ]
                rows.append(UnitRow(activity, str(part.get_side_display()), responsible.organization, per_year))
    return rows


def year_overview(agreement: Agreement, year: int) -> dict[str, Any]:
    """The year as the report would print it (without the case list), and its two charts.

    Built live from the data; a report version prints its frozen snapshot instead.
    """
    data = snapshot_build(agreement=agreement, year=year, cases_limit=0)
    summary = data["summary"]
    holding = [
        (activity["code"], activity["title"], activity["status_label"], activity["holding_up"])
        for program in data["programs"]
        for activity in program["activities"]
        if activity["status"] != "selesai" and activity["holding_up"]
    ]
    return {
        "data": data,
        "holding": holding,
        "achievement_chart": charts.achievement_bars(
            [(row["label"], row["value"]) for row in summary["by_program"]], title="Capaian per program"
        ),
        "status_chart": charts.status_distribution(
            [(row["status"], row["label"], row["units"]) for row in summary["by_status"]],
            title="Status penanggung jawab",
        ),
    }


def _workbook(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([xlsx_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def matrix_xlsx(agreement: Agreement, years: list[int]) -> bytes:
    """The work-plan matrix: activity x responsible unit, one status column per year."""
    header = ["Kode", "Kegiatan", "Pihak", "Penanggung jawab", *[str(y) for y in years]]
    rows = [
        [
            row.activity.code,
            row.activity.title,
            row.side_label,
            row.organization.short_name,
            *[cell.label if cell else "-" for cell in row.cells],
        ]
        for row in matrix_rows(agreement, years)
    ]
    return _workbook("Matriks rencana kerja", header, rows)


def quarters_xlsx(agreement: Agreement, year: int, *, reports: Any) -> bytes:
    """Progress per quarter for one year: the e-Monev reports of ``reports`` (the reader's scope), in work-plan order.

    ``reports`` comes from ``workplan.access.reports_visible_to``: a BPJS officer's export holds BPJS's
    own units, never another party's drafts.
    """
    header = [
        "Kode",
        "Kegiatan",
        "Penanggung jawab",
        "Triwulan",
        "Tahap",
        "Status kegiatan",
        "Realisasi",
        "Capaian (%)",
        "Kendala",
        "Tindak lanjut",
    ]
    reports = (
        reports.in_year(year)
        .filter(unit__responsibility__activity__program__agreement=agreement)
        .with_context()
        .order_by(
            "unit__responsibility__activity__program__number",
            "unit__responsibility__activity__letter",
            "unit__responsibility__side",
            "unit__position",
            "quarter",
        )
    )
    rows = [
        [
            r.unit.responsibility.activity.code,
            r.unit.responsibility.activity.title,
            r.unit.organization.short_name,
            str(Quarter(r.quarter).label),
            str(r.get_state_display()),
            str(WorkStatus(r.work_status).label),
            r.realisation,
            float(r.achievement) if r.achievement is not None else None,
            r.obstacles,
            r.follow_up,
        ]
        for r in reports
    ]
    return _workbook(f"Triwulan {year}", header, rows)


def case_list(agreement: Agreement, year: int, *, cases: Any) -> tuple[list[str], list[list[str]]]:
    """The year's case list as the report's annex has it, from ``cases`` (the reader's scope:
    ``compliance.access.cases_for_user``), numbered: a header and one row per case."""
    start, end = year_period(agreement, year)
    rows = [[str(number), *case_row(case)] for number, case in enumerate(cases_in_period(cases, start, end), start=1)]
    return ["No", *CASE_COLUMNS], rows


def cases_xlsx(agreement: Agreement, year: int, *, cases: Any) -> bytes:
    header, rows = case_list(agreement, year, cases=cases)
    return _workbook(f"Kasus kepatuhan {year}", header, [[int(row[0]), *row[1:]] for row in rows])


def cases_csv(agreement: Agreement, year: int, *, cases: Any) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads the Indonesian text right), every cell neutralised."""
    header, rows = case_list(agreement, year, cases=cases)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [header, *rows]:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
