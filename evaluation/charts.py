"""Charts as SVG strings, drawn on the server: the same markup goes into the dashboard and the PDF.

Only presentation attributes (``fill``, ``font-size``), never ``style``: the site's CSP forbids
inline styles, and WeasyPrint draws inline SVG without fetching anything. Every label is
XML-escaped, so text typed by users stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

STATUS_COLOURS = {
    "direncanakan": "#9aa5b1",
    "berjalan": "#e0a526",
    "selesai": "#2f8f4e",
    "tidak_terlaksana": "#c2413b",
}
BAR = "#1f5f99"
WIDTH = 640


def _text(x: float, y: float, label: str, *, anchor: str = "start", size: int = 11, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}" fill="#222">{escape(label)}</text>'
    )


def _shorten(label: str, limit: int = 46) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(height: float, title: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every label above is escaped


def achievement_bars(rows: Sequence[tuple[str, float | None]], *, title: str) -> SafeString:
    """Horizontal bars 0-100 %, one per row; a row without a figure says so instead of a bar."""
    label_width, bar_width, row_height, top = 300, WIDTH - 300 - 60, 26, 10
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        body.append(_text(0, y + 15, _shorten(label)))
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="16" fill="#eef1f4"/>')
        if value is None:
            body.append(_text(label_width + 6, y + 16, "belum ada capaian", size=10))
            continue
        length = bar_width * max(0.0, min(value, 100.0)) / 100
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="16" fill="{BAR}"/>')
        body.append(_text(label_width + bar_width + 6, y + 16, f"{value:.1f}%".replace(".", ","), size=10))
    return _svg(top * 2 + row_height * max(len(rows), 1), title, body)


def status_distribution(counts: Sequence[tuple[str, str, int]], *, title: str) -> SafeString:
    """One stacked bar of (status, label, count) and a legend with the numbers."""
    total = sum(count for _status, _label, count in counts)
    body, x = [], 0.0
    for status, _label, count in counts:
        if total and count:
            width = WIDTH * count / total
            colour = STATUS_COLOURS.get(status, BAR)
            body.append(f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="22" fill="{colour}"/>')
            x += width
    if not total:
        body.append(f'<rect x="0" y="0" width="{WIDTH}" height="22" fill="#eef1f4"/>')
    for index, (status, label, count) in enumerate(counts):
        lx = (index % 2) * (WIDTH / 2)
        ly = 40 + (index // 2) * 20
        body.append(
            f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{STATUS_COLOURS.get(status, BAR)}"/>'
        )
        body.append(_text(lx + 18, ly, f"{label}: {count}"))
    return _svg(40 + 20 * ((len(counts) + 1) // 2), title, body)
