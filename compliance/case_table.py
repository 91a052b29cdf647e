"""The case list's table: one page of cases as plain rows, and the version that keys its rendering.

Rendering 50 cases as model objects was most of the list's cost (issue 8's load targets, profile in
docs/assurance.md section 6): three model objects a row and two ``get_..._display`` calls, each of
which hashes every lazily translated choice. The page is fetched instead as the eight values the
table shows, and the table is cached under an MD5 of exactly those values, the number of cases,
the page and the filter (``table_version``). The rows come from the user's own scoped queryset
(``compliance.access.cases_for_user``), so a cached table is only ever served to a user whose own
query returned the same rows: it shows nobody a case their query did not return. Any change to a
shown value, a case added or removed, changes the key at once; no signal is involved, so a
``QuerySet.update()`` or raw SQL shows too. The process token of ``workplan.fingerprint`` keeps a
deploy's new template from meeting an old rendering.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import F, QuerySet

from compliance.models import SanctionCase
from compliance.states import OPEN_STATUSES, Category, Status
from core.pagecache import PROCESS_TOKEN
from registry.models import Region

CATEGORY_LABELS = dict(Category.choices)  # lazy labels: translated when the table is rendered
STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class CaseRow:
    pk: int
    employer_name: str
    npp: str
    region: str | None
    category: str
    status: str
    deadline: datetime.date | None
    overdue_since: datetime.date | None

    @property
    def category_label(self) -> Any:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def late(self) -> bool:
        return self.overdue_since is not None and self.status in OPEN_STATUSES


ROW_VALUES = {
    "employer_name": F("employer__name"),
    "npp": F("employer__npp"),
    "region": F("employer__region__name"),
}


def page_rows(page: Page) -> list[CaseRow]:
    """The cases of ``page`` (of a SanctionCase queryset, filtered and ordered) as rows, in its order.

    The values are read for the page's slice only: the paginator counts the plain queryset, without
    the joins to the employer and region (8 ms more on 10,000 cases).
    """
    cases: QuerySet[SanctionCase] = page.object_list  # type: ignore[assignment]  # the sliced queryset
    columns = ("pk", "category", "status", "deadline", "overdue_since")
    values: Iterable[dict[str, Any]] = cases.values(*columns, **ROW_VALUES)
    return [CaseRow(**row) for row in values]


def table_version(rows: list[CaseRow], page: Page, query: str) -> str:
    """MD5 of everything the table shows: the rows, the number of cases, the page and the filter."""
    shown = repr((rows, page.paginator.count, page.number, query))
    return f"{PROCESS_TOKEN}-{hashlib.md5(shown.encode(), usedforsecurity=False).hexdigest()}"


def filter_version(regions: Iterable[Region], query: str) -> str:
    """MD5 of what the filter form shows: the filter itself and the region choices (value, label).

    Rendering the form's five widgets through their templates cost about as much as the table; its
    other choices are the code's statuses and categories (covered by the process token).
    """
    shown = repr(([(region.pk, str(region)) for region in regions], query))
    return f"{PROCESS_TOKEN}-{hashlib.md5(shown.encode(), usedforsecurity=False).hexdigest()}"
