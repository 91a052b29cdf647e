"""Due-item providers: how every app feeds the digest, the calendar and escalation.

``notifications`` imports no app above it. An app that has deadlines registers a provider in
its ``AppConfig.ready()``::

    from notifications.registry import register

    register("clauses", clause_due_items)

A provider is ``provider(*, until: date) -> Iterable[DueItem]`` and returns every OPEN item due
on or before ``until`` (overdue ones included, done ones never). The digest asks for items due
within the look-ahead window, the calendar for a month, escalation for items due before today.
See docs/notifications.md.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueItem:
    """One deadline somebody must act on.

    ``key`` is stable for the life of the item (``"clauses.fm-response:12"``): reminders, inbox
    entries and escalation steps are recorded against it, so they happen once. ``recipients`` are
    user ids of the staff who must act (step 1 of the escalation ladder); ``organization_id`` is
    their unit, whose head is step 2.
    """

    key: str
    title: str
    due_on: datetime.date
    url: str = ""
    recipients: frozenset[int] = field(default_factory=frozenset)
    organization_id: int | None = None
    source: str = ""


Provider = Callable[..., Iterable[DueItem]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Register (or replace, so a reloaded app does not register twice) the provider ``name``."""
    _providers[name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)


def providers() -> dict[str, Provider]:
    return dict(_providers)


def due_items(*, until: datetime.date) -> Iterator[DueItem]:
    """Every open item due on or before ``until``, from every provider, tagged with its source."""
    for name, provider in sorted(_providers.items()):
        try:
            with transaction.atomic():  # a savepoint: a failed query does not poison the caller's transaction
                items = list(provider(until=until))
        except Exception:
            # One broken app must not stop every other app's reminders; the error is logged loudly.
            logger.exception("due-item provider %r failed; its items are left out of this run", name)
            continue
        for item in items:
            yield item if item.source else replace(item, source=name)
