"""``manage.py evaluation_report --year YYYY --output FILE.pdf``: the year's Pasal 11 report as a PDF.

Design: for automation (a cron job, an archive), so it takes a fresh snapshot of the data and
renders it exactly as the application would, but stores nothing: no report version is created
and no approval is implied. The versions that PARA PIHAK sign off are made in the application.
Prints the page count and the SHA-256 of the file written.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from pypdf import PdfReader

from evaluation.models import EvaluationReport
from evaluation.services import report_pdf_bytes
from evaluation.snapshot import snapshot_build
from workplan.models import Agreement


class Command(BaseCommand):
    help = _("Membuat PDF laporan pemantauan dan evaluasi tahunan (Pasal 11) tanpa menyimpan versi baru.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help=_("Tahun laporan, misalnya 2025."))
        parser.add_argument("--output", required=True, help=_("Berkas PDF yang ditulis."))
        parser.add_argument("--agreement", help=_("Nomor PIHAK KESATU; bawaan: nota kesepakatan terbaru."))

    def handle(self, *args: Any, year: int, output: str, agreement: str | None = None, **options: Any) -> None:
        found = Agreement.objects.filter(number=agreement) if agreement else Agreement.objects.order_by("-signed_on")
        chosen = found.first()
        if chosen is None:
            raise CommandError(_("Nota kesepakatan tidak ditemukan."))
        if year not in chosen.plan_years:
            years = ", ".join(str(y) for y in chosen.plan_years)
            raise CommandError(_("Tahun %(year)s di luar rencana kerja (%(years)s).") % {"year": year, "years": years})
        report = EvaluationReport(agreement=chosen, year=year, version=1)
        report.snapshot = snapshot_build(agreement=chosen, year=year)
        data = report_pdf_bytes(report)
        Path(output).write_bytes(data)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        self.stdout.write(f"{output}: {pages} halaman, SHA-256 {hashlib.sha256(data).hexdigest()}")
