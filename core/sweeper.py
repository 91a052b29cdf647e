"""The sweeper: jobs the database says are waiting are enqueued again, so a lost queue loses no work.

Redis holds the Celery queue in memory. When it restarts without its data (or a worker is killed
and its message stays unacknowledged until the visibility timeout), the job's row still says
"waiting" and nothing will ever run it. Every app with background jobs registers, in its
``AppConfig.ready()``, how to find them and which task runs one::

    from core.sweeper import register

    register("dataexchange.submissions", pending=submissions_waiting, task=process_submission,
             stale_after=datetime.timedelta(minutes=10))

``pending(cutoff)`` returns the ids of the jobs still waiting that were requested before ``cutoff``
(a job younger than ``stale_after`` is probably still in the queue); it runs in a transaction, so
it may lock with ``skip_locked`` to pass over jobs a worker is running right now. The task must be
idempotent (a job may be in the queue twice: the one lost message may come back). A Redis marker
per job keeps two sweeps (two beat processes) from enqueueing the same job twice within
``stale_after``; a Redis that lost its data lost the markers too, so everything waiting goes again.
See docs/assurance.md (faults).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sweep:
    name: str
    pending: Callable[[datetime.datetime], Iterable[int]]
    task: Any  # a Celery task taking the job's id
    stale_after: datetime.timedelta


_sweeps: dict[str, Sweep] = {}


def register(name: str, *, pending: Callable[[datetime.datetime], Iterable[int]], task: Any,
             stale_after: datetime.timedelta) -> None:  # fmt: skip
    """Register (or replace, so a reloaded app does not register twice) the jobs ``name``."""
    _sweeps[name] = Sweep(name=name, pending=pending, task=task, stale_after=stale_after)


def unregister(name: str) -> None:
    _sweeps.pop(name, None)


def sweeps() -> dict[str, Sweep]:
    return dict(_sweeps)


def marker_key(name: str, job_id: int) -> str:
    return f"sweeper:{name}:{job_id}"


def sweep(*, now: datetime.datetime, stale_after: datetime.timedelta | None = None) -> dict[str, int]:
    """Enqueue every stale waiting job of every registered kind; returns how many per kind.

    ``stale_after`` replaces each kind's own delay (the fault experiments sweep at once).
    """
    enqueued: dict[str, int] = {}
    for name, job in sorted(_sweeps.items()):
        delay = job.stale_after if stale_after is None else stale_after
        try:
            with transaction.atomic():
                ids = list(job.pending(now - delay))
        except Exception:
            # One broken app must not keep every other app's jobs from being swept.
            logger.exception("sweeper %r failed to list its waiting jobs", name)
            continue
        enqueued[name] = sum(_enqueue_once(job, pk, delay) for pk in ids)
        if enqueued[name]:
            logger.warning("sweeper %r: %s waiting jobs enqueued again", name, enqueued[name])
    return enqueued


def _enqueue_once(job: Sweep, pk: int, delay: datetime.timedelta) -> bool:
    key = marker_key(job.name, pk)
    if not cache.add(key, 1, timeout=max(1, int(delay.total_seconds()))):
        return False  # enqueued by this or another sweep less than ``delay`` ago
    try:
        job.task.delay(pk)
    except Exception:
        cache.delete(key)
        raise
    return True
