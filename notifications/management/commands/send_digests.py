"""Send today's digests (what the 07:00 Celery task does), or with --dry-run list who would get what.

Design: the command calls the same service as the task, so an operator can check a day's run,
or resend after an SMTP outage (a digest already sent that day is never sent twice: the
``Digest`` row per user and day is unique). ``--date`` runs it as of another day (Asia/Jakarta).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications.services import digests_send


class Command(BaseCommand):
    help = "Kirim ringkasan harian (atau --dry-run: tampilkan siapa menerima berapa butir)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="tanggal YYYY-MM-DD (bawaan: hari ini, Asia/Jakarta)")
        parser.add_argument("--dry-run", action="store_true", help="tidak mengirim apa pun")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Tanggal tidak dikenali: {options['date']!r} (format YYYY-MM-DD)") from error
        result = digests_send(today=today, dry_run=options["dry_run"])
        if options["dry_run"]:
            for username, delivery, count in result.planned:
                self.stdout.write(f"{username}\t{delivery}\t{count}")
            self.stdout.write(f"{len(result.planned)} pengguna; tidak ada yang dikirim (--dry-run).")
            return
        self.stdout.write(
            f"ringkasan terkirim: {result.sent}, sudah terkirim hari ini: {result.already_sent}, "
            f"pemberitahuan langsung: {result.immediate}"
        )
