"""Limit/offset pagination whose numbers always fit PostgreSQL's bigint (found by schemathesis)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

LARGEST_OFFSET = 2**62  # past every row; OFFSET beyond bigint is a DataError (a 500)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    # A client's screenful, as the HTML lists page them (50 cases, 50 inbox entries); settings'
    # PAGE_SIZE of 100 cost twice the rows for a page nobody reads whole (docs/assurance.md,
    # section 6). ``limit`` still asks for up to max_limit rows at once.
    default_limit = 50
    max_limit = 1000

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), LARGEST_OFFSET)
