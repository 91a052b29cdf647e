"""No full NIK in what the application writes to its log, even at DEBUG with every SQL statement logged,
nor on its error pages (issue 8, "personal data": a scan of logs and error pages).

The log is read where production writes it: the stream of the handler that ``LOGGING`` configures
(``core.logmask.MaskNIK`` on it), not pytest's capture, which sits beside the handlers.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.logmask import MaskNIK, mask_digit_runs
from tests.assurance.world import World

pytestmark = pytest.mark.django_db

NIK3 = "3173034405920003"  # a woman born 4 May 1992 in Jakarta Pusat
NIK4 = "3174045608950004"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """What the configured console handler writes, with everything at DEBUG and the SQL logged too."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, MaskNIK) for f in h.filters))
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    loggers = [logging.getLogger(), logging.getLogger("django"), logging.getLogger("django.db.backends")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    debug_sql, connection.force_debug_cursor = connection.force_debug_cursor, True
    try:
        yield stream
    finally:
        connection.force_debug_cursor = debug_sql
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        handler.setStream(previous)


def upload(world: World, quarter: int, content: str) -> Any:
    from dataexchange.models import Stream
    from dataexchange.services import period_for_upload
    from workplan.models import Organization

    period = period_for_upload(stream=Stream.objects.get(code="2e"), unit=Organization.objects.get(short_name="Dinsos"),
                               year=2025, quarter=quarter)  # fmt: skip
    file = SimpleUploadedFile(f"daftar-q{quarter}.csv", content.encode(), content_type="text/csv")
    return world.client("dinsos").post(reverse("dataexchange:period", args=[period.pk]), {"file": file})


def test_uploads_and_their_sql_log_no_full_nik(world: World, log_stream: io.StringIO) -> None:
    # NIK4 with spaces goes through the Python validator, whose normalised value the SQL log would carry.
    accepted = upload(world, 4, f"Nama,NIK,No. HP\nSiti,{NIK3},081234567891\nAni,{NIK4[:8]} {NIK4[8:]},\n")
    rejected = upload(world, 1, f"Nama,NIK,No. HP\nSiti,{NIK3},081234567891\nSiti lagi,{NIK3},\n")
    assert accepted.status_code in (200, 302) and rejected.status_code in (200, 302)
    written = log_stream.getvalue()
    assert "SELECT" in written  # the SQL was logged: the scan read something
    assert NIK3 not in written and NIK4 not in written
    assert mask_digit_runs(NIK4) in written  # the filter did bite: the normalised NIK went by, masked


def test_a_server_error_quoting_a_nik_shows_and_logs_it_masked(world: World, log_stream: io.StringIO) -> None:
    with mock.patch("core.views.redirect", side_effect=ValueError(f"sel berisi {NIK3}")):
        response = world.client("dinsos").get(reverse("home"), {"cari": NIK4})
    assert response.status_code == 500
    page = response.content.decode()
    assert NIK3 not in page and NIK4 not in page and "ValueError" not in page  # the generic page, no trace
    written = log_stream.getvalue()
    assert "Internal Server Error" in written and "ValueError" in written
    assert NIK3 not in written and mask_digit_runs(NIK3) in written


def test_the_mask_keeps_other_numbers() -> None:
    line = "baris 12, NIK 3171014107850001, NPWP 0123456789012345678, id 42"
    assert mask_digit_runs(line) == "baris 12, NIK 3171**********01, NPWP 0123456789012345678, id 42"


WORKER_LOG = """
import django, logging
django.setup()
from mou_tracker.celery import app
app.log.setup_logging_subsystem(loglevel="INFO", colorize=False)  # as `celery worker` sets up its handlers
logging.getLogger("celery.app.trace").error("Task gagal: sel %s", "3171014107850001")
"""


def test_the_celery_worker_log_masks_a_nik_too() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mou_tracker.settings"}
    run = subprocess.run([sys.executable, "-c", WORKER_LOG], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert "Task gagal: sel 3171**********01" in run.stderr and "3171014107850001" not in run.stderr


def test_gunicorns_access_log_masks_a_nik_in_the_url(tmp_path: Any) -> None:
    """gunicorn writes each request line, query string included: ``gunicorn.conf.py`` masks it."""
    import http.client
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    base_dir = Path(__file__).resolve().parents[2]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_HTTPS": "true", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SECRET_KEY": "uji-" * 16}  # fmt: skip
    access = tmp_path / "access.log"
    argv = [str(Path(sys.executable).parent / "gunicorn"), "mou_tracker.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
            "--access-logfile", str(access)]  # fmt: skip
    server = subprocess.Popen(argv, cwd=base_dir, env=env, start_new_session=True)  # noqa: S603
    try:
        for _attempt in range(100):
            try:
                http_connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                # Answered by the HTTPS redirect, before any database: the line is logged all the same.
                http_connection.request("GET", "/pemberitahuan/?cari=3171014107850001")
                assert http_connection.getresponse().status == 301
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    logged = access.read_text()
    assert "/pemberitahuan/?cari=3171**********01" in logged and "3171014107850001" not in logged
