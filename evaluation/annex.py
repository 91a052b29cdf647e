"""The case-list annex as fixed-pitch listing pages, paginated here rather than by WeasyPrint.

A table of 10,000 cases costs WeasyPrint about 80,000 cell boxes, each styled, measured for the
automatic column widths and laid out; that is most of the report's rendering time. Here every
case is one block of monospaced text whose columns are padded to a fixed number of characters, so
a case costs one box. A value longer than its column wraps onto continuation lines within the
column. The pages are made here: each page starts with the column header line, holds whole cases
only (a case never splits across pages) and fits the landscape annex page of ``report.css``.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

GAP = "  "
LINES_PER_PAGE = 40  # 11pt lines in the landscape page's 487pt, under the header line
FIRST_PAGE_LINES = 34  # the first page also carries the chapter and annex headings


def _columns() -> list[tuple[str, int, bool]]:
    """(header, width in characters, right-aligned): 191 characters with the gaps, which in
    DejaVu Sans Mono at 6.4pt (0.602 em each) are 736pt, within the 757pt between the margins. The
    widths fit the longest region and category names and the dates, so most cases take one line."""
    return [
        ("No", 5, True),
        (_("Pemberi kerja"), 34, False),
        ("NPP", 10, False),
        (_("Wilayah"), 39, False),
        (_("Kategori"), 36, False),
        (_("Tahap"), 20, False),
        (_("Teridentifikasi"), 17, False),
        (_("No. rekomendasi"), 16, False),
    ]


@dataclass(frozen=True)
class Case:
    number: int
    text: str  # the case's lines, joined by newlines


@dataclass(frozen=True)
class Page:
    head: str
    cases: list[Case]


def annex_pages(rows: list[list[str]], *, first: int = FIRST_PAGE_LINES, per_page: int = LINES_PER_PAGE) -> list[Page]:
    """``rows`` (the snapshot's case lists, numbered from 1) laid out as whole cases per page."""
    columns = _columns()
    head = _line([title for title, _width, _right in columns], columns)
    pages: list[Page] = []
    current: list[Case] = []
    room = first
    for number, row in enumerate(rows, start=1):
        lines = _case_lines([str(number), *row], columns)
        if current and len(lines) > room:
            pages.append(Page(head, current))
            current, room = [], per_page
        current.append(Case(number, "\n".join(lines)))
        room -= len(lines)
    if current:
        pages.append(Page(head, current))
    return pages


def _case_lines(values: list[str], columns: list[tuple[str, int, bool]]) -> list[str]:
    wrapped = [
        textwrap.wrap(" ".join(str(value or "").split()), width) or [""]
        for value, (_h, width, _r) in zip(values, columns, strict=True)
    ]
    height = max(len(cell) for cell in wrapped)
    return [_line([cell[i] if i < len(cell) else "" for cell in wrapped], columns) for i in range(height)]


def _line(cells: list[str], columns: list[tuple[str, int, bool]]) -> str:
    padded = (
        cell.rjust(width) if right else cell.ljust(width)
        for cell, (_h, width, right) in zip(cells, columns, strict=True)
    )
    return GAP.join(padded).rstrip()
