"""Load the Nota Kesepakatan No. 1/2025, its parties, units and work plan into the database.

Design: the transcription lives in ``workplan/seed/nota_kesepakatan_1_2025.json``; this command
only calls ``workplan.services.seed_mou_load``, which matches every row by its natural key and
saves only what differs, so running it on every deploy or ``make run`` is safe: a second run
reports everything as unchanged. ``--demo`` adds one account per role (random passwords shown
once, on creation; ``--demo-password`` sets a known one for development and tests). The
holiday calendar is synced too when ``core.workdays.sync_holidays`` is available, because the
MoU's deadlines count working days over its whole term. ``--dry-run`` does all of it inside a
transaction and rolls it back.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from workplan.models import Agreement
from workplan.services import (
    DemoAccountResult,
    SeedError,
    SeedReport,
    demo_accounts_ensure,
    read_mou_seed,
    seed_mou_load,
)

HOLIDAY_COUNTS = {
    "created": "dibuat",
    "updated": "diperbarui",
    "unchanged": "tetap",
    "kept_admin": "buatan administrator dibiarkan",
    "removed": "dihapus",
}


class DryRunRollback(Exception):
    """Raised to undo a dry run after reporting."""


class Command(BaseCommand):
    help = "Memuat Nota Kesepakatan No. 1/2025 beserta Dokumen Rencana Kerja (aman dijalankan berulang)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Buat akun demo, satu untuk setiap peran.")
        parser.add_argument("--demo-password", default=None, help="Kata sandi akun demo (bawaan: acak).")
        parser.add_argument("--skip-holidays", action="store_true", help="Jangan sinkronkan kalender hari libur.")
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan perubahan tanpa menyimpannya.")
        parser.add_argument("--verbose-rows", action="store_true", help="Sebutkan juga baris yang tidak berubah.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo_password"] is not None and not options["demo"]:
            raise CommandError("--demo-password hanya berlaku bersama --demo.")
        try:
            with transaction.atomic():
                self._load(options)
                if options["dry_run"]:
                    raise DryRunRollback
        except DryRunRollback:
            self.stdout.write(self.style.WARNING("Uji coba (--dry-run): tidak ada perubahan yang disimpan."))
        except SeedError as error:
            raise CommandError(str(error)) from error

    def _load(self, options: dict[str, Any]) -> None:
        report = seed_mou_load()
        self._print_report(report, verbose=options["verbose_rows"])
        self._seed_streams()
        if not options["skip_holidays"]:
            self._sync_holidays()
        if options["demo"]:
            self._print_demo(demo_accounts_ensure(password=options["demo_password"]))

    def _seed_streams(self) -> None:
        """The data-exchange streams 2a-2f (dataexchange app, imported lazily: it builds on workplan)."""
        streams_ensure = importlib.import_module("dataexchange.seed").streams_ensure
        streams = streams_ensure(agreement=Agreement.objects.get(number=read_mou_seed()["agreement"]["number"]))
        self.stdout.write(f"Alur pertukaran data: {len(streams.created)} dibuat, {len(streams.updated)} diperbarui, "
                          f"{len(streams.unchanged)} tetap.")  # fmt: skip

    def _print_report(self, report: SeedReport, *, verbose: bool) -> None:
        for label in report.created:
            self.stdout.write(f"  dibuat: {label}")
        for label in report.updated:
            self.stdout.write(f"  diperbarui: {label}")
        if verbose:
            for label in report.unchanged:
                self.stdout.write(f"  tetap: {label}")
        summary = (
            f"Nota Kesepakatan: {len(report.created)} dibuat, {len(report.updated)} diperbarui, "
            f"{len(report.unchanged)} tetap."
        )
        self.stdout.write(self.style.SUCCESS(summary) if report.changed else summary)

    def _sync_holidays(self) -> None:
        try:
            workdays = importlib.import_module("core.workdays")
        except ModuleNotFoundError:
            workdays = None
        sync_holidays = getattr(workdays, "sync_holidays", None)
        if sync_holidays is None:
            self.stdout.write("Kalender hari libur dilewati: core.workdays.sync_holidays belum tersedia.")
            return
        agreement = Agreement.objects.order_by("-signed_on").first()
        years = range(agreement.starts_on.year, agreement.ends_on.year + 1) if agreement else None
        result = sync_holidays(years=years)
        is_record = dataclasses.is_dataclass(result) and not isinstance(result, type)
        counts = dataclasses.asdict(result) if is_record else {"hasil": result}
        details = ", ".join(f"{HOLIDAY_COUNTS.get(name, name)} {value}" for name, value in counts.items())
        self.stdout.write(f"Kalender hari libur disinkronkan: {details}.")

    def _print_demo(self, results: list[DemoAccountResult]) -> None:
        self.stdout.write("Akun demo:")
        for result in results:
            account = result.account
            where = account.organization or "-"
            if result.created:
                status = f"dibuat, kata sandi: {result.password}"
            elif result.password:
                status = f"sudah ada, kata sandi diganti: {result.password}"
            else:
                status = "sudah ada, kata sandi tidak diubah"
            self.stdout.write(f"  {account.username} ({account.role}, {where}): {status}")
        if any(result.password for result in results):
            self.stdout.write(self.style.WARNING("Kata sandi hanya ditampilkan sekali ini. Simpan sekarang."))
