"""``manage.py sync_holidays [--year Y ...] [--dry-run]``: seed the Holiday table from the package.

Design: the ``holidays`` package is upgraded yearly (new SKB cuti bersama, sidang isbat dates,
mid-year revisions), so the table is synced by this command after each upgrade rather than by a
data migration. The sync is idempotent and never overwrites, reactivates or removes a row an
administrator changed. ``--dry-run`` runs the same sync in a transaction and rolls it back.
"""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from core.workdays import MOU_YEARS, sync_holidays, years_without_cuti_bersama


class Command(BaseCommand):
    help = _("Mengisi/memperbarui tabel hari libur dari paket holidays (libur nasional dan cuti bersama).")

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--year",
            action="append",
            type=int,
            dest="years",
            help=_("Tahun yang disinkronkan (boleh berulang). Bawaan: masa berlaku MoU 2025-2030."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Tampilkan hasil tanpa menyimpan."))

    def handle(self, *args: Any, **options: Any) -> None:
        years = sorted(set(options["years"] or MOU_YEARS))
        if any(year < 1950 or year > 2100 for year in years):
            raise CommandError(_("Tahun harus antara 1950 dan 2100."))
        with transaction.atomic():
            result = sync_holidays(years=years)
            missing = years_without_cuti_bersama(datetime.date(years[0], 1, 1), datetime.date(years[-1], 1, 1))
            if options["dry_run"]:
                transaction.set_rollback(True)
        self.stdout.write(
            _(
                "Tahun %(years)s: %(created)d baru, %(updated)d diperbarui, %(unchanged)d tetap, "
                "%(kept)d milik administrator dibiarkan, %(removed)d dihapus."
            )
            % {
                "years": ", ".join(map(str, years)),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "kept": result.kept_admin,
                "removed": result.removed,
            }
        )
        self._warn_missing([year for year in missing if year in years])
        if options["dry_run"]:
            self.stdout.write(_("Uji coba: tidak ada perubahan yang disimpan."))

    def _warn_missing(self, years: list[int]) -> None:
        if years:
            message = _(
                "Peringatan: belum ada cuti bersama untuk tahun %(years)s. Tambahkan lewat admin "
                "(Hari libur) setelah SKB 3 Menteri terbit."
            )
            self.stderr.write(message % {"years": ", ".join(map(str, years))})
