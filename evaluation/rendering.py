"""The report's PDF, with a long annex rendered in page-sized chunks in parallel and merged.

WeasyPrint lays out one document in one process, and its time and memory grow with the
document: 10,000 annex rows in one table take minutes and over a gigabyte. Here the chapters
and the first annex rows are one document (rendered in this process), the remaining rows are
split into chunks rendered at the same time by ``python -m evaluation.pdfworker`` subprocesses
(plain subprocesses, because a Celery prefork worker may not start multiprocessing children),
and the parts are merged with pypdf. The parts print no page number; "Halaman x dari y" is
stamped afterwards from one overlay document of blank pages, so numbering runs through.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from core.pdf import render_pdf

CHUNK_ROWS = 600  # annex rows per separately rendered part (about 15 landscape pages)
WORKER_TIMEOUT = 900


def report_pdf(context: dict[str, Any], *, workers: int | None = None) -> bytes:
    """The whole report: one render when the annex is short, chunks in parallel when it is long."""
    cases = context["s"]["compliance"]["cases"]
    if len(cases) <= CHUNK_ROWS:
        return render_pdf(render_to_string("evaluation/report_pdf.html", context))
    chunks = [cases[start : start + CHUNK_ROWS] for start in range(CHUNK_ROWS, len(cases), CHUNK_ROWS)]
    main_html = render_to_string(
        "evaluation/report_pdf.html", {**context, "annex_rows": cases[:CHUNK_ROWS], "stamped": True}
    )
    chunk_html = [
        render_to_string(
            "evaluation/report_annex_chunk.html",
            {**context, "rows": rows, "first_number": CHUNK_ROWS * (index + 1) + 1},
        )
        for index, rows in enumerate(chunks)
    ]
    workers = max(1, workers or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Threads only wait on the subprocesses; this process renders the chapters meanwhile.
        parts_future = pool.map(_render_in_subprocess, chunk_html)
        main = render_pdf(main_html)
        parts = list(parts_future)
    return _stamp_page_numbers(_merge([main, *parts]))


def _render_in_subprocess(html: str) -> bytes:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")}
    done = subprocess.run(
        [sys.executable, "-m", "evaluation.pdfworker"],
        input=html.encode(),
        capture_output=True,
        timeout=WORKER_TIMEOUT,
        cwd=str(settings.BASE_DIR),
        env=env,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        raise RuntimeError("Gagal membuat bagian lampiran PDF: " + done.stderr.decode(errors="replace")[-500:])
    return done.stdout


def _merge(parts: list[bytes]) -> PdfWriter:
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    return writer


def _stamp_page_numbers(writer: PdfWriter) -> bytes:
    """Print "Halaman x dari y" on every page but the cover, from an overlay of blank pages of the same sizes."""
    sizes = [("landscape" if float(p.mediabox.width) > float(p.mediabox.height) else "portrait") for p in writer.pages]
    overlay = PdfReader(io.BytesIO(render_pdf(render_to_string("evaluation/page_numbers.html", {"sizes": sizes}))))
    for page, numbers in zip(writer.pages[1:], overlay.pages[1:], strict=True):
        page.merge_page(numbers)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
