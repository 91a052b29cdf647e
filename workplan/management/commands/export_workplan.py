"""Export the work plan (Dokumen Rencana Kerja) as JSON or as the annex's 16-column XLSX.

Design: ``--format json`` prints one object per activity, in the annex's order, with the keys
of ``workplan.services.ActivityRow``; that shape is a data-portability contract documented in
docs/workplan.md, so keys are only ever added, never renamed. ``--format xlsx`` hands the
agreement to ``workplan.annex_sheet.write_annex_xlsx``, the same writer the import reads back.
Reads only; there is nothing to dry-run.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workplan.models import Agreement
from workplan.services import workplan_export_rows


class Command(BaseCommand):
    help = "Ekspor Dokumen Rencana Kerja sebagai JSON (bawaan) atau XLSX 16 kolom."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "xlsx"], default="json", help="Format keluaran.")
        parser.add_argument("--output", default=None, help="Berkas tujuan (JSON bawaan ke layar; XLSX wajib).")
        parser.add_argument("--agreement", default=None, help='Nomor nota kesepakatan, mis. "1 Tahun 2025".')

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = self._agreement(options["agreement"])
        if options["format"] == "xlsx":
            self._write_xlsx(agreement, options["output"])
            return
        text = json.dumps(workplan_export_rows(agreement=agreement), ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Rencana kerja ditulis ke {options['output']}.")
        else:
            self.stdout.write(text)

    def _agreement(self, number: str | None) -> Agreement:
        agreements = Agreement.objects.order_by("-signed_on")
        agreement = agreements.filter(number__iexact=number.strip()).first() if number else agreements.first()
        if agreement is None:
            hint = f'Nota kesepakatan "{number}" tidak ditemukan.' if number else "Belum ada nota kesepakatan."
            raise CommandError(f"{hint} Jalankan dahulu: python manage.py load_seed_mou")
        return agreement

    def _write_xlsx(self, agreement: Agreement, output: str | None) -> None:
        if not output or output == "-":
            raise CommandError("Ekspor XLSX memerlukan --output BERKAS.xlsx.")
        writer = self._xlsx_writer()
        with open(output, "wb") as stream:
            writer(agreement=agreement, stream=stream)
        self.stderr.write(f"Rencana kerja (XLSX) ditulis ke {output}.")

    @staticmethod
    def _xlsx_writer() -> Any:
        missing = "Ekspor XLSX belum tersedia: workplan.annex_sheet.write_annex_xlsx belum ada."
        try:
            module = importlib.import_module("workplan.annex_sheet")
        except ModuleNotFoundError as error:
            if error.name != "workplan.annex_sheet":
                raise
            raise CommandError(missing) from error
        writer = getattr(module, "write_annex_xlsx", None)
        if writer is None:
            raise CommandError(missing)
        return writer
