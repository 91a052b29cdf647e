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
from evaluation import pdfworker

CHUNK_ROWS = 600  # annex rows per separately rendered part (about 15 landscape pages)
MAIN_ROWS = 150  # annex rows in the main document, which also lays out the chapters
WORKER_TIMEOUT = 900


def report_pdf(context: dict[str, Any], *, workers: int | None = None) -> bytes:
    """The whole report: one render when the annex is short, parts in parallel when it is long."""
    cases = context["s"]["compliance"]["cases"]
    if len(cases) <= CHUNK_ROWS:
        return render_pdf(render_to_string("evaluation/report_pdf.html", context))
    head = min(MAIN_ROWS, CHUNK_ROWS)
    starts = range(head, len(cases), CHUNK_ROWS)
    main_html = render_to_string("evaluation/report_pdf.html", {**context, "annex_rows": cases[:head], "stamped": True})
    parts_html = [
        render_to_string(
            "evaluation/report_annex_chunk.html",
            {**context, "rows": cases[start : start + CHUNK_ROWS], "first_number": start + 1},
        )
        for start in starts
    ]
    workers = max(1, min(workers or os.cpu_count() or 1, len(parts_html)))
    groups = [list(range(index, len(parts_html), workers)) for index in range(workers)]
    rendered: dict[int, bytes] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Each thread feeds one long-lived subprocess; this process renders the chapters meanwhile.
        futures = [pool.submit(_render_in_subprocess, [parts_html[i] for i in group]) for group in groups]
        main = render_pdf(main_html)
        for group, future in zip(groups, futures, strict=True):
            rendered.update(zip(group, future.result(), strict=True))
    return _stamp_page_numbers(_merge([main, *(rendered[i] for i in range(len(parts_html)))]))


def _render_in_subprocess(documents: list[str]) -> list[bytes]:
    """Render ``documents`` one after another in one ``evaluation.pdfworker`` process."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")}
    with subprocess.Popen(
        [sys.executable, "-m", "evaluation.pdfworker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=str(settings.BASE_DIR),
        env=env,
    ) as worker:
        if worker.stdin is None or worker.stdout is None:
            raise RuntimeError("Pipa ke proses pembuat PDF tidak terbuka.")
        results = []
        try:
            for html in documents:
                pdfworker.write_frame(worker.stdin, html.encode())
                data = pdfworker.read_frame(worker.stdout)
                if data is None or not data.startswith(b"%PDF-"):
                    raise RuntimeError("Gagal membuat bagian lampiran PDF.")
                results.append(data)
            pdfworker.write_frame(worker.stdin, b"")
        finally:
            worker.stdin.close()
            worker.wait(timeout=WORKER_TIMEOUT)
    return results


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
    # Every part and every stamped page carries its own copy of the same font subsets.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
