"""Import a work plan from the annex spreadsheet (XLSX or CSV) into an agreement.

Design: the file goes through ``workplan.annex_sheet.workplan_import``, the same shared upload
pipeline as every other upload: every row is validated first and the plan is written in one
transaction only when no row has an error, so a rejected file changes nothing. The command
prints a JSON summary (``rows``, ``accepted``, ``stored``, ``errors`` with row/column/value/
message) on stdout and exits 0 when the file is accepted, 1 when it is rejected. ``--dry-run``
validates without writing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.rowerrors import UploadResult
from workplan.annex_sheet import AnnexRow, workplan_import
from workplan.models import Agreement


class Command(BaseCommand):
    help = "Impor Dokumen Rencana Kerja dari XLSX/CSV tata letak lampiran; semua baris atau tidak sama sekali."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Berkas .xlsx atau .csv.")
        parser.add_argument("--agreement", default=None, help='Nomor nota kesepakatan, mis. "1 Tahun 2025".')
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, jangan simpan.")

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = self._agreement(options["agreement"])
        path = Path(options["file"])
        result = self._import(path, agreement=agreement, dry_run=options["dry_run"])
        summary = {**result.summary(), "agreement": agreement.number, "dry_run": options["dry_run"]}
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        if not result.accepted:
            raise CommandError(_("Berkas ditolak: %(count)s kesalahan.") % {"count": len(result.errors)}, returncode=1)

    def _import(self, path: Path, *, agreement: Agreement, dry_run: bool) -> UploadResult[AnnexRow]:
        try:
            with path.open("rb") as file:
                return workplan_import(file=file, filename=path.name, agreement=agreement, dry_run=dry_run)
        except OSError as error:
            result: UploadResult[AnnexRow] = UploadResult()
            message = _("Berkas %(name)s tidak dapat dibuka: %(reason)s.")
            result.errors.add_file_error(message % {"name": path.name, "reason": error.strerror or error})
            return result

    def _agreement(self, number: str | None) -> Agreement:
        agreements = Agreement.objects.order_by("-signed_on")
        agreement = agreements.filter(number__iexact=number.strip()).first() if number else agreements.first()
        if agreement is None:
            hint = _('Nota kesepakatan "%(number)s" tidak ditemukan.') % {"number": number} if number else ""
            raise CommandError(hint or _("Belum ada nota kesepakatan; jalankan dahulu: python manage.py load_seed_mou"))
        return agreement
