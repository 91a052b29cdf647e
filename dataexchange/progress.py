"""Progress of a submission being processed, for the htmx progress bar.

The processing runs in one transaction, so a progress column would stay invisible to the page
until the very end; the steps are written to the cache (Redis) instead, outside the transaction.
"""

from __future__ import annotations

from django.core.cache import cache

from dataexchange.models import Submission

STEPS = {"staged": 30, "checked": 60, "stored": 90}


def _key(submission_id: int) -> str:
    return f"dataexchange:progress:{submission_id}"


def progress_step(submission_id: int, step: str) -> None:
    cache.set(_key(submission_id), STEPS[step], timeout=3600)


def progress_of(submission: Submission) -> int:
    if submission.is_finished:
        return 100
    return int(cache.get(_key(submission.pk), 5))
