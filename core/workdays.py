"""The project's one working-day calendar (hari kerja): every deadline is computed here.

A working day is Monday to Friday and not an active :class:`~core.models.Holiday` row
(national holiday, cuti bersama, or an extra day an administrator added).

Counting convention ("terhitung sejak X", see docs/working-days.md):

* ``add_working_days(X, n)`` with ``n > 0`` is the n-th working day AFTER X (X is day 0,
  whatever day it is); with ``n < 0`` it is the n-th working day BEFORE X; ``n == 0`` is X.
* ``working_days_between(start, end)`` counts the working days after ``start`` up to and
  including ``end`` (negative when ``end`` is earlier), so that
  ``add_working_days(start, working_days_between(start, end)) == end`` for a working ``end``.
* ``settings.WORKDAYS_COUNT_EVENT_DAY = True`` (or ``count_event_day=True``) makes X itself
  day 1 when X is a working day. Off by default: the MoU does not say, and "sejak" is usually
  read as "from the day after".

Holidays are read once per calendar range, never once per day: build a
:class:`WorkdayCalendar` when computing many deadlines, or call the module functions for one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import Holiday

ONE_DAY = datetime.timedelta(days=1)
# The MoU is signed 4 Feb 2025 for five years (Pasal 7), so it runs into 2030.
MOU_YEARS = tuple(range(2025, 2031))
# About 40 years of working days: more is a typo, and would loop for a long time.
MAX_WORKING_DAYS = 10_000
# When a calendar must grow, load at least this much at once so a long count stays a few queries.
MIN_EXTENSION = datetime.timedelta(days=366)


def _count_event_day(override: bool | None) -> bool:
    """The counting convention: the explicit argument, else the setting (read at call time)."""
    if override is not None:
        return override
    return bool(getattr(settings, "WORKDAYS_COUNT_EVENT_DAY", False))


def _check_count(n: int) -> None:
    if abs(n) > MAX_WORKING_DAYS:
        raise ValueError(f"at most {MAX_WORKING_DAYS} working days can be counted, not {n}")


class WorkdayCalendar:
    """Working days with the active holidays of a date range loaded in one query.

    The range grows on demand (one more query per extension), so a calendar built for a
    year can still answer a question about the next one.
    """

    def __init__(self, start: datetime.date, end: datetime.date) -> None:
        self._first = start
        self._last = start - ONE_DAY  # nothing loaded yet
        self._holidays: dict[datetime.date, str] = {}
        self._load(start, max(start, end))

    @classmethod
    def around(cls, day: datetime.date, n: int) -> WorkdayCalendar:
        """A calendar wide enough, in practice, for counting ``n`` working days from ``day``."""
        # Five working days a week plus at most ~25 weekday holidays a year, with slack.
        span = datetime.timedelta(days=abs(n) * 2 + 60)
        return cls(day - span, day) if n < 0 else cls(day, day + span)

    def _load(self, start: datetime.date, end: datetime.date) -> None:
        rows = Holiday.objects.active().between(start, end).values_list("date", "name")
        self._holidays.update(rows)
        self._first = min(self._first, start)
        self._last = max(self._last, end)

    def _cover(self, day: datetime.date) -> None:
        if day > self._last:
            self._load(self._last + ONE_DAY, max(day, self._last + MIN_EXTENSION))
        elif day < self._first:
            self._load(min(day, self._first - MIN_EXTENSION), self._first - ONE_DAY)

    def is_working_day(self, day: datetime.date) -> bool:
        """Monday to Friday and not an active holiday."""
        if day.weekday() >= 5:
            return False
        self._cover(day)
        return day not in self._holidays

    def holiday_name(self, day: datetime.date) -> str | None:
        """The name of the active holiday on ``day``, if any (weekends included)."""
        self._cover(day)
        return self._holidays.get(day)

    def add(self, day: datetime.date, n: int, *, count_event_day: bool | None = None) -> datetime.date:
        """The n-th working day after ``day`` (``n < 0``: before it); ``day`` itself for 0."""
        _check_count(n)
        if n == 0:
            return day
        step = ONE_DAY if n > 0 else -ONE_DAY
        # Counting X as day 1 is counting from the day before X (after X when going back).
        current = day - step if _count_event_day(count_event_day) else day
        remaining = abs(n)
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def between(self, start: datetime.date, end: datetime.date, *, count_event_day: bool | None = None) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier.

        The inverse of :meth:`add`: ``add(start, between(start, end)) == end`` when ``end``
        is a working day. (Counting the event day, ``end == start`` gives 1: day 1 both ways.)
        """
        inclusive = _count_event_day(count_event_day)
        if end >= start:
            return self._count(start if inclusive else start + ONE_DAY, end)
        return -self._count(end, start if inclusive else start - ONE_DAY)

    def _count(self, first: datetime.date, last: datetime.date) -> int:
        """Working days from ``first`` to ``last``, both inclusive."""
        self._cover(first)
        self._cover(last)
        days = (last - first).days + 1
        return sum(1 for offset in range(days) if self.is_working_day(first + offset * ONE_DAY))

    def holidays_between(self, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
        """Weekday holidays from ``start`` to ``end`` (either order, both inclusive), by date.

        These are the days a count over the range skipped besides weekends.
        """
        first, last = min(start, end), max(start, end)
        self._cover(first)
        self._cover(last)
        return sorted((d, name) for d, name in self._holidays.items() if first <= d <= last and d.weekday() < 5)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not an active holiday (one query)."""
    return WorkdayCalendar(day, day).is_working_day(day)


def add_working_days(day: datetime.date, n: int, *, count_event_day: bool | None = None) -> datetime.date:
    """The n-th working day after ``day`` (``n < 0``: before it), e.g. a "14 hari kerja" deadline."""
    return WorkdayCalendar.around(day, n).add(day, n, count_event_day=count_event_day)


def working_days_between(start: datetime.date, end: datetime.date, *, count_event_day: bool | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    return WorkdayCalendar(min(start, end), max(start, end)).between(start, end, count_event_day=count_event_day)


def years_without_cuti_bersama(start: datetime.date, end: datetime.date) -> list[int]:
    """Years in the range with no active cuti bersama: probably a decree not entered yet.

    Every year since the SKB system began has had cuti bersama, so a year without any
    means a deadline there may be counted too short.
    """
    years = range(min(start, end).year, max(start, end).year + 1)
    rows = Holiday.objects.active().in_years(list(years)).filter(kind=Holiday.Kind.CUTI_BERSAMA)
    covered = {d.year for d in rows.dates("date", "year")}
    return [year for year in years if year not in covered]


@dataclass
class SyncResult:
    """What :func:`sync_holidays` did, for the command's report and for tests."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_admin: int = 0  # rows an administrator added, edited or switched off: left alone
    removed: int = 0  # unedited package rows the package no longer lists (moved estimates)


def package_holidays(years: Iterable[int]) -> dict[datetime.date, tuple[str, str]]:
    """Date -> (name, kind) from the ``holidays`` package: public = national, government = cuti bersama."""
    years = list(years)
    public = holidays.country_holidays("ID", categories=("public",), years=years, language="id")
    government = holidays.country_holidays("ID", categories=("government",), years=years, language="id")
    result = {day: (name, Holiday.Kind.CUTI_BERSAMA.value) for day, name in government.items()}
    for day, name in public.items():
        # A national holiday wins over a cuti bersama on the same date; keep both names.
        names = f"{name}; {result[day][0]}" if day in result else name
        result[day] = (names, Holiday.Kind.NATIONAL.value)
    return {day: (name[:200], kind) for day, (name, kind) in result.items() if day.year in years}


def _package_owned(row: Holiday) -> bool:
    """True when no administrator touched the row, so the package may update or remove it."""
    return row.source == Holiday.Source.PACKAGE and row.is_active


def _plan(
    existing: dict[datetime.date, Holiday], wanted: dict[datetime.date, tuple[str, str]], basis: str, result: SyncResult
) -> tuple[list[Holiday], list[Holiday]]:
    """Rows to create and rows to update; pops every wanted date out of ``existing``."""
    to_create, to_update = [], []
    for day, (name, kind) in sorted(wanted.items()):
        row = existing.pop(day, None)
        if row is None:
            to_create.append(Holiday(date=day, name=name, kind=kind, source=Holiday.Source.PACKAGE, basis=basis))
        elif not _package_owned(row):
            result.kept_admin += 1
        elif (row.name, row.kind, row.basis) == (name, kind, basis):
            result.unchanged += 1
        else:
            row.name, row.kind, row.basis, row.updated_at = name, kind, basis, timezone.now()
            to_update.append(row)
    return to_create, to_update


@transaction.atomic
def sync_holidays(*, years: Iterable[int] | None = None) -> SyncResult:
    """Seed or update the Holiday table from the ``holidays`` package for ``years``.

    Default years: the MoU term 2025-2030. Idempotent. Rows an administrator owns
    (source=admin, or a package row switched off) are never overwritten, reactivated or
    removed. Unedited package rows that the package no longer lists (an estimated Islamic
    date moved in a package upgrade) are deleted, so a stale estimate does not stay a holiday.
    """
    years = sorted(set(years or MOU_YEARS))
    basis = f"paket holidays {holidays.__version__}"
    existing = {row.date: row for row in Holiday.objects.in_years(years).select_for_update()}
    result = SyncResult()
    to_create, to_update = _plan(existing, package_holidays(years), basis, result)
    # ignore_conflicts: a row an administrator adds meanwhile wins over the package.
    result.created = len(Holiday.objects.bulk_create(to_create, ignore_conflicts=True))
    result.updated = Holiday.objects.bulk_update(to_update, ["name", "kind", "basis", "updated_at"])
    # What is left in ``existing`` the package no longer lists.
    stale = [row.pk for row in existing.values() if _package_owned(row)]
    result.kept_admin += len(existing) - len(stale)
    result.removed = Holiday.objects.filter(pk__in=stale).delete()[0]
    return result
