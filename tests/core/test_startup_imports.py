"""Start-up cost: every manage.py command and worker pays for what the apps import at set-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_django_setup_does_not_import_weasyprint_or_the_report_renderer() -> None:
    # WeasyPrint (Pango, fonts) cost 0.75 s of the 3.5 s start-up of manage.py exchange_upload, the
    # report renderer (evaluation.tasks -> services -> pypdf) 0.3 s more; the sweeper imports it when it runs.
    code = "import sys, django; django.setup(); import core.pdf; print({'weasyprint', 'pypdf'} & set(sys.modules))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mou_tracker.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "set()"


def test_the_fetcher_class_is_built_once_and_renders() -> None:
    from core import pdf

    assert pdf.StaticFilesOnlyFetcher is pdf.StaticFilesOnlyFetcher
    assert pdf.render_pdf("<p>Halo</p>").startswith(b"%PDF")
