"""``manage.py workdays DATE +N``: the date N working days after DATE (``-N``: before).

Design: the same calendar as every deadline in the project (``core.workdays``), so an operator
can check a deadline by hand. Prints the ISO date on the first line (the only line with
``-v 0``, for scripts), then the Indonesian date and the weekday holidays that were skipped.
``-14`` is a positional argument here: argparse treats a negative number as a value when the
parser has no option that looks like one.
"""

from __future__ import annotations

import argparse
import datetime
import re
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.formatting import tanggal
from core.workdays import MAX_WORKING_DAYS, WorkdayCalendar, years_without_cuti_bersama

COUNT_PATTERN = re.compile(r"^[+-]?\d+$")


def parse_date(value: str) -> datetime.date:
    """An ISO date (``2025-03-27``) or a CommandError in Indonesian."""
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        message = _("Tanggal tidak valid: %(value)r. Gunakan format ISO TTTT-BB-HH, misalnya 2025-03-27.")
        raise CommandError(message % {"value": value}) from None


def parse_count(value: str) -> int:
    """``+14``, ``14`` or ``-14``, within the calendar's limit, or a CommandError in Indonesian."""
    if not COUNT_PATTERN.match(value.strip()):
        message = _("Jumlah hari kerja tidak valid: %(value)r. Gunakan +N atau -N, misalnya +14 atau -7.")
        raise CommandError(message % {"value": value})
    count = int(value)
    if abs(count) > MAX_WORKING_DAYS:
        raise CommandError(_("Jumlah hari kerja paling banyak %(max)d.") % {"max": MAX_WORKING_DAYS})
    return count


class Command(BaseCommand):
    help = _("Menghitung tanggal N hari kerja sesudah (+N) atau sebelum (-N) suatu tanggal.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        report = parser.error

        def error(message: str) -> NoReturn:
            # argparse's own messages are English ("unrecognized arguments: -x"): say what we expect.
            text = _(
                "Argumen kurang atau tidak dikenali. Gunakan: workdays TTTT-BB-HH +N (atau -N), "
                "misalnya 2025-03-27 +14."
            )
            report(text)
            raise CommandError(text)  # not reached: report() exits or raises

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("date", help=_("Tanggal awal, format ISO, misalnya 2025-03-27."))
        parser.add_argument("count", help=_("Jumlah hari kerja: +N sesudah, -N sebelum, misalnya +14."))

    def handle(self, *args: Any, **options: Any) -> None:
        start, count = parse_date(options["date"]), parse_count(options["count"])
        calendar = WorkdayCalendar.around(start, count)
        result = calendar.add(start, count)
        self.stdout.write(result.isoformat())
        if options["verbosity"] < 1:
            return
        self.stdout.write(tanggal(result, with_weekday=True))
        self._write_skipped(calendar, start, result, count)
        missing = years_without_cuti_bersama(start, result)
        if missing:
            message = _("Peringatan: belum ada cuti bersama tercatat untuk tahun %(years)s; hasil bisa terlalu awal.")
            self.stderr.write(message % {"years": ", ".join(map(str, missing))})

    def _write_skipped(
        self, calendar: WorkdayCalendar, start: datetime.date, result: datetime.date, count: int
    ) -> None:
        # The start date itself is day 0 and is not skipped, whatever it is.
        step = datetime.timedelta(days=1 if count >= 0 else -1)
        skipped = calendar.holidays_between(start + step, result) if count else []
        if not skipped:
            self.stdout.write(_("Tidak ada hari libur yang dilewati (selain Sabtu dan Minggu)."))
            return
        self.stdout.write(_("Hari libur yang dilewati:"))
        for day, name in skipped:
            self.stdout.write(f"  {tanggal(day, with_weekday=True)}: {name}")
