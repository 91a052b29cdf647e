"""No full NIK in any log line: every run of 16 digits is masked before a handler writes it.

The application logs counts and ids, never a person's data, but a log line can still carry what it
did not choose to: an exception's message quoting a cell, a library's debug output, a request path.
:class:`MaskNIK` sits on every handler (Django's ``LOGGING`` and the Celery worker's, see
``mou_tracker.celery``), so the one authorised way to read a full NIK stays the logged unmasking
export (``dataexchange.views``).
"""

from __future__ import annotations

import logging
import re

from core.identifiers import mask_nik

SIXTEEN_DIGITS = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def mask_digit_runs(text: str) -> str:
    """``... 3171014107850001 ...`` -> ``... 3171**********01 ...``, with ``core.identifiers.mask_nik``."""
    return SIXTEEN_DIGITS.sub(lambda run: mask_nik(run.group()), text)


class MaskNIK(logging.Filter):
    """Masks 16-digit runs in the message, its arguments, the traceback and the stack of a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_digit_runs(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_digit_runs(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_digit_runs(record.stack_info)
        return True
