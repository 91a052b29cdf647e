"""What an accepted exchange file shows, told to the apps above the data exchange without importing them.

Imports flow one way (``compliance`` builds on the data exchange, not the reverse), so an app that
wants to act on an exchange registers a listener in its ``AppConfig.ready()``, the way ``clauses``
fills ``workplan.plan_history``::

    from dataexchange.hooks import register_employers_active

    register_employers_active("compliance", cases_propose_revocation)

``employers_active(employer_ids=..., source=...)`` is called after a quarterly 2a or 2d file is
accepted and its companies are linked to the employer registry, with the employers the file shows
with participation status aktif (and no arrears, where a stream carries them), and a source text
such as "Pertukaran data 2a triwulan III 2025".

It runs inside the transaction that stores and links the file, not on commit: the proposal then
commits with the linked rows that justify it or not at all, and a worker killed half-way rolls back
both, so the retried upload proposes again. After commit, a crash between the commit and the
listener would lose the proposal for good, since an accepted file is never processed again.
Each listener runs in its own savepoint: one that fails is logged and undone, and the file stays
accepted (a compliance fault must not reject a valid exchange). Listeners must be idempotent per
source (``compliance.services.cases_propose_revocation`` is).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

EmployersActive = Callable[..., Any]  # listener(*, employer_ids: Collection[int], source: str)

_employers_active: dict[str, EmployersActive] = {}
ROMAN = ("I", "II", "III", "IV")


def register_employers_active(name: str, listener: EmployersActive) -> None:
    """Register (or replace, so a reloaded app does not register twice) the listener called ``name``."""
    _employers_active[name] = listener


def employers_active(*, employer_ids: Collection[int], source: str) -> None:
    """Call every registered listener with the employers an accepted file shows active and compliant."""
    if not employer_ids:
        return
    for name, listener in sorted(_employers_active.items()):
        try:
            # What a listener records is kept, and its text is its idempotency key: the site's language,
            # whichever language the uploader's page was in.
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                listener(employer_ids=sorted(employer_ids), source=source)
        except Exception:
            logger.exception("employers_active listener %s failed for %s", name, source)


def exchange_source(*, code: str, year: int, quarter: int) -> str:
    """``Pertukaran data 2a triwulan III 2025``, in the site's language (see ``employers_active``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Pertukaran data %(code)s triwulan %(quarter)s %(year)s") % {
            "code": code, "quarter": ROMAN[quarter - 1], "year": year
        }  # fmt: skip
