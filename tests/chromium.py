"""One way to drive Debian's Chromium from the browser journeys (Playwright, never its own download).

``CHROMIUM_MARKS`` goes into a browser test module's ``pytestmark``; the ``page`` fixture in
``tests/conftest.py`` opens a page through :func:`chromium_page`. Where CI runs (``CI=true``)
a missing Chromium fails the run instead of skipping the journeys.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

# Sync Playwright runs inside the test's event loop, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="Chromium not installed (apt-get install chromium)",
    ),
]


@contextmanager
def chromium_page(*, timeout_ms: int = 15_000) -> Iterator[Any]:
    """A page in a fresh headless Chromium that records Content-Security-Policy violations."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        page.csp_errors = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
        try:
            yield page
        finally:
            browser.close()
