"""Writing a validated annex spreadsheet into an agreement's work plan, in a fixed number of queries.

Used by :func:`workplan.annex_sheet.workplan_import` once every row is valid. Rows are matched by
natural key (program number, activity letter, party side); only what differs is written, so
the history of unchanged rows stays quiet, and a re-import of the same file writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from workplan.annex_rows import AnnexRow
from workplan.models import (
    Activity,
    Agreement,
    Program,
    ProgressReport,
    Responsibility,
    ResponsibleUnit,
    Side,
    YearlyStatus,
)

ACTIVITY_FIELDS = ["title", "location", "funding", "years", "output", "outcome"]
_PARKING = 1000  # above any real position: kept units wait there while the others move


@transaction.atomic
def store_plan(
    rows: Sequence[AnnexRow], *, agreement: Agreement, retire_on: datetime.date | None = None, basis: str = ""
) -> None:
    """Create or update the programs, activities, responsibilities and units of ``rows``.

    Units the file drops that have reports are retired from ``retire_on`` (today by default),
    with ``basis`` (an amendment's number; "impor rencana kerja" by default) kept on the row. Given
    ``retire_on`` (an amendment's effective date), the units the file adds join from that date; a
    plain import corrects the plan, so its new units count from the activity's start.
    """
    programs = save_programs(rows, agreement=agreement)
    activities = save_activities(rows, programs=programs)
    responsibilities = save_responsibilities(rows, activities=activities)
    replace_units(
        rows,
        responsibilities=responsibilities,
        retire_on=retire_on or timezone.localdate(),
        join_on=retire_on,
        basis=basis or _("impor rencana kerja"),
    )


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


def replace_units(
    rows: Sequence[AnnexRow],
    *,
    responsibilities: dict[tuple[int, int], Responsibility],
    retire_on: datetime.date,
    join_on: datetime.date | None,
    basis: str,
) -> None:
    """Bring each responsibility's units to the file's list and order, where they differ.

    A unit the file drops is deleted, unless it has reports or yearly statuses: then it is retired
    from ``retire_on`` (``basis`` says why) and its records stay readable. A retired unit the file
    lists again comes back. Kept units are moved in place: the reports point at these rows. A unit
    the file adds joins from ``join_on`` (None: from the activity's start).
    """
    records = Exists(ProgressReport.objects.filter(unit=OuterRef("pk"))) | Exists(
        YearlyStatus.objects.filter(unit=OuterRef("pk"))
    )
    units = ResponsibleUnit.objects.filter(responsibility__in=responsibilities.values()).annotate(has_records=records)
    rows_of: dict[int, dict[int, ResponsibleUnit]] = {}
    recorded: set[int] = set()
    for found in units.order_by("position"):
        rows_of.setdefault(found.responsibility_id, {})[found.organization_id] = found
        if found.has_records:
            recorded.add(found.pk)
    stale: list[int] = []
    retired: list[ResponsibleUnit] = []
    moved: list[ResponsibleUnit] = []
    new: list[ResponsibleUnit] = []
    for row in rows:
        for side in Side.values:
            responsibility, wanted = responsibilities[row.number, side], [o.pk for o in row.units[side]]
            existing = rows_of.get(responsibility.pk, {})
            if [org for org, unit in existing.items() if unit.retired_on is None] == wanted:
                continue
            for org, unit in existing.items():
                if org in wanted:
                    unit.position, unit.retired_on, unit.retired_basis = wanted.index(org) + 1, None, ""
                    moved.append(unit)
                elif unit.retired_on is None and unit.pk in recorded:
                    unit.retired_on, unit.retired_basis = retire_on, basis
                    retired.append(unit)
                elif unit.retired_on is None:
                    stale.append(unit.pk)
            new += [
                ResponsibleUnit(
                    responsibility=responsibility,
                    organization_id=org,
                    position=position,
                    joined_on=join_on,
                    joined_basis=basis if join_on else "",
                )
                for position, org in enumerate(wanted, start=1)
                if org not in existing
            ]
    ResponsibleUnit.objects.filter(pk__in=stale).delete()
    ResponsibleUnit.objects.bulk_update(retired, ["retired_on", "retired_basis"])
    units_move(moved, {unit.pk: unit.position for unit in moved})
    ResponsibleUnit.objects.bulk_create(new)


def units_move(units: list[ResponsibleUnit], target: dict[int, int]) -> None:
    """Give ``units`` the positions ``target`` (by pk) names without two current ones ever sharing one.

    The rows are saved with their ``retired_on`` and ``retired_basis`` too: a unit coming back is current again.
    """
    for offset in (_PARKING, 0):
        for unit in units:
            unit.position = target[unit.pk] + offset
        ResponsibleUnit.objects.bulk_update(units, ["position", "retired_on", "retired_basis"])
