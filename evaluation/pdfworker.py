"""``python -m evaluation.pdfworker``: renders parts of a long report, one after another, in its own process.

Used by :mod:`evaluation.rendering`. The protocol on stdin/stdout is a sequence of frames, each an
8-byte big-endian length and that many bytes: HTML in, PDF out; a zero length ends the process.
Rendering goes through ``core.pdf.render_pdf`` (static files only, nothing else fetched).
"""

from __future__ import annotations

import os
import struct
import sys
from typing import IO

HEADER = struct.Struct(">Q")


def read_frame(stream: IO[bytes]) -> bytes | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (length,) = HEADER.unpack(head)
    return stream.read(length) if length else None


def write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")
    import django

    django.setup()
    from core.pdf import render_pdf

    while (html := read_frame(sys.stdin.buffer)) is not None:
        write_frame(sys.stdout.buffer, render_pdf(html.decode()))


if __name__ == "__main__":
    main()
