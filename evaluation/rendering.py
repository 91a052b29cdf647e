"""The report's PDF, with a long annex rendered in page-sized chunks in parallel and merged.

WeasyPrint lays out one document in one process, and its time and memory grow with the
document: 10,000 annex rows in one table take minutes and over a gigabyte. Here the chapters
and the first annex rows are one document (rendered in this process), the remaining rows are
split into chunks rendered at the same time by ``python -m evaluation.pdfworker`` subprocesses
(plain subprocesses, because a Celery prefork worker may not start multiprocessing children),
and the parts are merged with pypdf. The parts print no page number; "Halaman x dari y" is
stamped afterwards into each page's content stream, so numbering runs through.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from core.pdf import render_pdf
from evaluation import pdfworker

CHUNK_ROWS = 600  # annex rows per separately rendered part (about 15 landscape pages)
MAIN_ROWS = 150  # annex rows in the main document, which also lays out the chapters
WORKER_TIMEOUT = 900


def report_pdf(
    context: dict[str, Any], *, workers: int | None = None, timings: dict[str, float] | None = None
) -> bytes:
    """The whole report: one render when the annex is short, parts in parallel when it is long.

    ``timings``, when given, receives the seconds each phase took (for bench/evaluation_report.py).
    """
    clock = _Clock(timings)
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
        clock.lap("main_document")
        for group, future in zip(groups, futures, strict=True):
            rendered.update(zip(group, future.result(), strict=True))
        clock.lap("annex_parts_after_main")
    merged = _merge([main, *(rendered[i] for i in range(len(parts_html)))])
    clock.lap("merge")
    data = _stamp_page_numbers(merged)
    clock.lap("page_numbers_and_write")
    return data


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = round(now - self.last, 2)
        self.last = now


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


# Helvetica widths (1/1000 em) of the characters a page number uses; Liberation Sans, the report's
# font, has the same metrics, so the stamped number lines up with the margin boxes' text.
WIDTHS = {" ": 278, "H": 722, "a": 556, "l": 222, "m": 833, "n": 556, "d": 556, "r": 333, "i": 222}
FONT_SIZE = 8
# Right and bottom page margins (pt) of report.css: portrait A4 and the landscape annex pages.
MARGINS = {"portrait": (56.69, 56.69), "landscape": (42.52, 51.02)}


def _stamp_page_numbers(writer: PdfWriter) -> bytes:
    """Print "Halaman x dari y" on every page but the cover, as the margin box would, in a few bytes per page."""
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    total = len(writer.pages)
    for number, page in enumerate(writer.pages[1:], start=2):
        _stamp(writer, page, f"Halaman {number} dari {total}", font)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stamp(writer: PdfWriter, page: Any, text: str, font: Any) -> None:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    right, bottom = MARGINS["landscape" if width > height else "portrait"]
    text_width = sum(WIDTHS.get(char, 556) for char in text) * FONT_SIZE / 1000
    x, y = width - right - text_width, bottom / 2 - FONT_SIZE / 3
    resources = page[NameObject("/Resources")].get_object()
    fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject("/FPageNo")] = font
    opening, closing = StreamObject(), StreamObject()
    opening.set_data(b"q\n")
    stamp = f"Q q BT /FPageNo {FONT_SIZE} Tf 0.333 g {x:.2f} {y:.2f} Td ({text}) Tj ET Q\n"
    closing.set_data(stamp.encode("ascii"))
    existing = page[NameObject("/Contents")].get_object()
    parts = list(existing) if isinstance(existing, ArrayObject) else [page[NameObject("/Contents")]]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(opening), *parts, writer._add_object(closing)])
