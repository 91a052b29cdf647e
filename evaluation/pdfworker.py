"""``python -m evaluation.pdfworker < part.html > part.pdf``: one part of a long report, in its own process.

Used by :mod:`evaluation.rendering`; renders through ``core.pdf.render_pdf`` (static files only).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")
    import django

    django.setup()
    from core.pdf import render_pdf

    sys.stdout.buffer.write(render_pdf(sys.stdin.buffer.read().decode()))


if __name__ == "__main__":
    main()
