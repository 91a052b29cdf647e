"""Limit/offset pagination whose numbers always fit PostgreSQL's bigint (found by schemathesis)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

LARGEST_OFFSET = 2**62  # past every row; OFFSET beyond bigint is a DataError (a 500)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 1000

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), LARGEST_OFFSET)
