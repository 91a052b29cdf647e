"""PDF rendering with WeasyPrint that reads the project's own static files and nothing else.

Letters and reports put user-controlled text (employer names, notes) into HTML. Templates
escape it, but WeasyPrint would otherwise fetch any URL a document mentions: ``file:///etc/passwd``
as an image, an internal ``http://`` address, a ``data:`` blob. The fetcher here answers only
for ``{% static %}`` URLs, read from the static files on disk, and refuses everything else;
a refused resource is left out of the PDF (WeasyPrint logs a warning) and the PDF is still made.
"""

from __future__ import annotations

import mimetypes
import posixpath
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

# Relative URLs in a document resolve against this address; nothing is ever fetched from it.
BASE_URL = "https://pdf.mou-tracker.invalid/"


class FetchRefused(ValueError):
    """A document asked for a resource outside the project's static files."""


def static_file_for_url(url: str) -> Path:
    """The static file behind ``url`` (``{BASE_URL}static/css/x.css``), or ``FetchRefused``."""
    prefix = BASE_URL.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/"
    parts = urlsplit(url)
    if not url.startswith(prefix) or parts.query or parts.fragment:
        raise FetchRefused(f"PDF tidak boleh memuat {url[:200]!r}")
    relative = posixpath.normpath(unquote(parts.path)[len(urlsplit(prefix).path) :])
    if relative.startswith(("/", "..")) or "\x00" in relative:
        raise FetchRefused(f"PDF tidak boleh memuat {url[:200]!r}")
    found = finders.find(relative) or _collected(relative)
    if not found:
        raise FetchRefused(f"berkas statis tidak ada: {relative}")
    return Path(found)


def _collected(relative: str) -> str | None:
    """In production the (hashed) names live under STATIC_ROOT, where finders do not look."""
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    return str(candidate) if candidate.is_relative_to(root) and candidate.is_file() else None


def fetch_static(url: str) -> URLFetcherResponse:
    """The response for a ``{% static %}`` URL; ``FetchRefused`` for every other URL."""
    from weasyprint.urls import URLFetcherResponse

    path = static_file_for_url(url)
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})


@cache
def _fetcher_class() -> type[Any]:
    # WeasyPrint costs 0.6-0.75 s to import (Pango, fonts): only a process that renders a PDF pays it,
    # not every manage.py command or worker start (evaluation.apps -> evaluation.tasks -> here).
    from weasyprint.urls import URLFetcher

    class StaticFilesOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """A WeasyPrint URL fetcher that serves ``{% static %}`` files and refuses all other URLs."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            return fetch_static(url)

    return StaticFilesOnlyFetcher


def __getattr__(name: str) -> Any:
    """``core.pdf.StaticFilesOnlyFetcher``: the fetcher class, built on first use (one class per process)."""
    if name == "StaticFilesOnlyFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_pdf(html: str) -> bytes:
    """A4 (or whatever the document's ``@page`` says) PDF bytes of ``html``, static files only."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()())
    return document.write_pdf()
