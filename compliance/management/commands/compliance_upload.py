"""Apply a BPJS non-compliance list from the command line, as the browser and the API do.

Design: the command reads the file through ``compliance.uploads.noncompliance_list_upload`` (the
same all-or-nothing pipeline), in the name of ``--user`` (a BPJS officer or an administrator),
and prints one JSON summary: ``rows``, ``accepted``, ``stored``, ``errors`` (every error, each
with ``row``, ``column``, ``value``, ``message``), the counts (``employers_created``,
``cases_opened``, ``cases_existing``) and ``notes``. ``--dry-run`` checks without storing or
recording anything. Exit status 0 when accepted, 1 when refused, 2 for a usage error. The same
list uploaded again opens no new case.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from compliance.access import can_upload_lists
from compliance.models import NonComplianceUpload
from compliance.uploads import noncompliance_list_upload


class Command(BaseCommand):
    help = "Unggah daftar ketidakpatuhan BPJS (CSV/XLSX); keluar 0 bila diterima, 1 bila ditolak."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Berkas CSV atau XLSX.")
        parser.add_argument("--user", required=True, help="Nama pengguna petugas BPJS yang mengunggah.")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, tanpa menyimpan.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not can_upload_lists(user):
            raise CommandError(f"{options['user']} bukan petugas BPJS aktif.", returncode=2)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        with path.open("rb") as file:
            outcome = noncompliance_list_upload(
                file=file,
                filename=path.name,
                by=user,
                source=NonComplianceUpload.Source.COMMAND,
                dry_run=options["dry_run"],
            )
        json.dump(outcome.summary(), self.stdout, ensure_ascii=False, indent=1)
        self.stdout.write("")
        if not outcome.result.accepted:
            sys.exit(1)
