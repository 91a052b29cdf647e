"""The report's PDF: the case-list annex as listing pages, a long one rendered in parts in parallel.

The annex is laid out by :mod:`evaluation.annex` as fixed-pitch listing pages (one box per case;
a table of 10,000 cases is 80,000 cells for WeasyPrint to style, size and lay out). A short annex
is part of the one document. A long one is split at page boundaries: the chapters and the first
annex pages are one document, the remaining pages go in parts to ``python -m evaluation.pdfworker``
subprocesses (plain subprocesses, because a Celery prefork worker may not start multiprocessing
children). The parts wait in one queue; each subprocess takes the next as it finishes one, and
this process joins in when the chapters are done, so the CPUs stay busy to the end. pypdf merges
the parts; they print no page number, "Halaman x dari y" is stamped into each page's content
stream afterwards, so numbering runs through.
"""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from core.pdf import render_pdf
from evaluation import pdfworker
from evaluation.annex import annex_pages

PART_PAGES = 25  # annex pages per separately rendered part (about 1,000 cases, 2 s)
MAIN_PAGES = 1  # annex pages in the main document: the chapters are the longest single part
WORKER_TIMEOUT = 900

Parts = queue.SimpleQueue[tuple[int, str]]


def report_pdf(
    context: dict[str, Any], *, workers: int | None = None, timings: dict[str, float] | None = None
) -> bytes:
    """The whole report: one render when the annex is short, parts in parallel when it is long.

    ``workers`` subprocesses (default: one per CPU but the one this process uses) render parts.
    ``timings``, when given, receives the seconds each phase took (for bench/evaluation_report.py).
    """
    clock = _Clock(timings)
    pages = annex_pages(context["s"]["compliance"]["cases"])
    clock.lap("annex_layout")
    if len(pages) <= PART_PAGES:
        return render_pdf(render_to_string("evaluation/report_pdf.html", {**context, "annex_pages": pages}))
    main_html = render_to_string(
        "evaluation/report_pdf.html", {**context, "annex_pages": pages[:MAIN_PAGES], "stamped": True}
    )
    parts_html = [
        render_to_string(
            "evaluation/report_annex_chunk.html", {**context, "annex_pages": pages[start : start + PART_PAGES]}
        )
        for start in range(MAIN_PAGES, len(pages), PART_PAGES)
    ]
    clock.lap("html")
    workers = max(1, min(workers or (os.cpu_count() or 2) - 1, len(parts_html)))
    todo: Parts = queue.SimpleQueue()
    for index, html in enumerate(parts_html):
        todo.put((index, html))
    rendered: dict[int, bytes] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_subprocess_renders, todo, rendered) for _ in range(workers)]
        main = render_pdf(main_html)
        clock.lap("main_document")
        _render_queued(todo, rendered, render_pdf)
        for future in futures:
            future.result()
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


def _render_queued(todo: Parts, rendered: dict[int, bytes], render: Callable[[str], bytes]) -> None:
    """Render parts from ``todo`` until it is empty (dict item assignment is atomic across threads)."""
    while True:
        try:
            index, html = todo.get_nowait()
        except queue.Empty:
            return
        rendered[index] = render(html)


def _subprocess_renders(todo: Parts, rendered: dict[int, bytes]) -> None:
    """Feed queued parts to one long-lived ``evaluation.pdfworker`` process until none are left."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")}
    with subprocess.Popen(
        [sys.executable, "-m", "evaluation.pdfworker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=str(settings.BASE_DIR),
        env=env,
    ) as worker:
        stdin, stdout = worker.stdin, worker.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("Pipa ke proses pembuat PDF tidak terbuka.")

        def ask(html: str) -> bytes:
            pdfworker.write_frame(stdin, html.encode())
            data = pdfworker.read_frame(stdout)
            if data is None or not data.startswith(b"%PDF-"):
                raise RuntimeError("Gagal membuat bagian lampiran PDF.")
            return data

        try:
            _render_queued(todo, rendered, ask)
            pdfworker.write_frame(stdin, b"")
        finally:
            stdin.close()
            worker.wait(timeout=WORKER_TIMEOUT)


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
