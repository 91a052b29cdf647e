"""Writing a validated annex spreadsheet into an agreement's work plan, in a fixed number of queries.

Used by :func:`workplan.annex_sheet.workplan_import` once every row is valid. Rows are matched by
natural key (program number, activity letter, party side); only what differs is written, so
the history of unchanged rows stays quiet, and a re-import of the same file writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from workplan.annex_rows import AnnexRow
from workplan.models import Activity, Agreement, Program, Responsibility, ResponsibleUnit, Side

ACTIVITY_FIELDS = ["title", "location", "funding", "years", "output", "outcome"]


@transaction.atomic
def store_plan(rows: Sequence[AnnexRow], *, agreement: Agreement) -> None:
    """Create or update the programs, activities, responsibilities and units of ``rows``."""
    programs = save_programs(rows, agreement=agreement)
    activities = save_activities(rows, programs=programs)
    responsibilities = save_responsibilities(rows, activities=activities)
    replace_units(rows, responsibilities=responsibilities)


def save_programs(rows: Sequence[AnnexRow], *, agreement: Agreement) -> dict[int, Program]:
    wanted = {row.program_number: row.program_title for row in rows}
    programs = {p.number: p for p in Program.objects.filter(agreement=agreement, number__in=wanted)}
    changed = [program for number, program in programs.items() if program.title != wanted[number]]
    for program in changed:
        program.title = wanted[program.number]
    Program.objects.bulk_update(changed, ["title"])
    new = [Program(agreement=agreement, number=n, title=t) for n, t in wanted.items() if n not in programs]
    programs |= {program.number: program for program in Program.objects.bulk_create(new)}
    return programs


def save_activities(rows: Sequence[AnnexRow], *, programs: dict[int, Program]) -> dict[int, Activity]:
    """The activity of each row, by row number."""
    existing = {(a.program_id, a.letter): a for a in Activity.objects.filter(program__in=programs.values())}
    found: dict[int, Activity] = {}
    changed, new = [], []
    for row in rows:
        program = programs[row.program_number]
        activity = existing.get((program.pk, row.letter))
        fields = row.activity_fields()
        if activity is None:
            new.append(activity := Activity(program=program, letter=row.letter, **fields))
        elif any(getattr(activity, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(activity, name, value)
            changed.append(activity)
        found[row.number] = activity
    Activity.objects.bulk_update(changed, ACTIVITY_FIELDS)
    Activity.objects.bulk_create(new)
    return found


def save_responsibilities(
    rows: Sequence[AnnexRow], *, activities: dict[int, Activity]
) -> dict[tuple[int, int], Responsibility]:
    """Each party's half of each row, by (row number, side)."""
    existing = {(r.activity_id, r.side): r for r in Responsibility.objects.filter(activity__in=activities.values())}
    found: dict[tuple[int, int], Responsibility] = {}
    changed, new = [], []
    for row in rows:
        activity = activities[row.number]
        for side in Side.values:
            responsibility = existing.get((activity.pk, side))
            if responsibility is None:
                new.append(responsibility := Responsibility(activity=activity, side=side, text=row.texts[side]))
            elif responsibility.text != row.texts[side]:
                responsibility.text = row.texts[side]
                changed.append(responsibility)
            found[row.number, side] = responsibility
    Responsibility.objects.bulk_update(changed, ["text"])
    Responsibility.objects.bulk_create(new)
    return found


def replace_units(rows: Sequence[AnnexRow], *, responsibilities: dict[tuple[int, int], Responsibility]) -> None:
    """Rewrite a responsibility's ordered units only where the file lists other units or another order."""
    current: dict[int, list[int]] = {}
    units = ResponsibleUnit.objects.filter(responsibility__in=responsibilities.values()).order_by("position")
    for responsibility_id, organization_id in units.values_list("responsibility_id", "organization_id"):
        current.setdefault(responsibility_id, []).append(organization_id)
    stale, new = [], []
    for row in rows:
        for side in Side.values:
            responsibility, wanted = responsibilities[row.number, side], row.units[side]
            if current.get(responsibility.pk, []) == [organization.pk for organization in wanted]:
                continue
            stale.append(responsibility.pk)
            new += [
                ResponsibleUnit(responsibility=responsibility, organization=organization, position=position)
                for position, organization in enumerate(wanted, start=1)
            ]
    ResponsibleUnit.objects.filter(responsibility__in=stale).delete()
    ResponsibleUnit.objects.bulk_create(new)
