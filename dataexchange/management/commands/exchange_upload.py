"""Upload a data-exchange file from the command line, as the browser and the API do.

Design: the command finds the stream, the sending unit and the period (``2025Q3``), keeps the file
and processes it inline through ``dataexchange.services`` (the same all-or-nothing pipeline as
the Celery task), then prints one JSON summary: ``rows``, ``accepted``, ``errors`` (every error,
each with ``row``, ``column``, ``value``, ``message``) and, for a 2e list, the matching counts.
Exit status 0 when the file is accepted, 1 when it is rejected, 2 for a usage error. The same
file uploaded again is recognised and reported without being processed twice. ``--membership``
uploads BPJS's membership extract for the stream instead of a list (``--period`` not needed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dataexchange.models import Stream, Submission, parse_period_label
from dataexchange.services import (
    ExchangeError,
    period_for_upload,
    schema_for,
    submission_errors,
    submission_process,
    submission_receive,
)
from workplan.models import Organization


class Command(BaseCommand):
    help = "Unggah berkas pertukaran data (CSV/XLSX); keluar 0 bila diterima, 1 bila ditolak."
    # Django's system checks import every URLconf and look at every model: 0.5 s of each run of a
    # command that automation calls once per file (measured with cProfile); `manage.py check` and
    # `migrate` run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stream", required=True, help="Kode alur Lampiran, mis. 2e.")
        parser.add_argument("--period", help="Periode triwulan, mis. 2025Q3.")
        parser.add_argument("--unit", required=True, help="Singkatan unit pengirim, mis. Dinsos.")
        parser.add_argument("--membership", action="store_true", help="Berkas adalah ekstrak kepesertaan BPJS.")
        parser.add_argument("file", help="Berkas CSV atau XLSX.")

    def handle(self, *args: Any, **options: Any) -> None:
        stream = Stream.objects.filter(code=options["stream"].strip().lower(), is_active=True).first()
        if stream is None:
            raise CommandError(f"Alur {options['stream']} tidak dikenal.", returncode=2)
        unit = Organization.objects.by_name(options["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit {options['unit']} tidak dikenal.", returncode=2)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        try:
            period = None if options["membership"] else self._period(stream, unit, options["period"])
            with path.open("rb") as file:
                submission, _new = submission_receive(
                    file=file, filename=path.name, organization=unit, period=period,
                    schema=schema_for(stream, membership=options["membership"]), source=Submission.Source.CLI,
                )  # fmt: skip
        except ExchangeError as error:
            raise CommandError(str(error), returncode=2) from error
        submission = submission_process(submission_id=submission.pk)
        errors = [error.as_dict() for error in submission_errors(submission)]
        json.dump(submission.summary(errors), self.stdout, ensure_ascii=False, indent=1)
        self.stdout.write("")
        if submission.status != Submission.Status.ACCEPTED:
            sys.exit(1)

    def _period(self, stream: Stream, unit: Organization, label: str | None) -> Any:
        if not label:
            raise CommandError("--period wajib untuk daftar, mis. 2025Q3.", returncode=2)
        try:
            year, quarter = parse_period_label(label)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from error
        return period_for_upload(stream=stream, unit=unit, year=year, quarter=quarter)
