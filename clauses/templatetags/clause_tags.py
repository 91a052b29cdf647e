"""``{% if user|reads_clauses %}``: show the clause menu only to those who may open it."""

from __future__ import annotations

from typing import Any

from django import template

from clauses import access

register = template.Library()


@register.filter
def reads_clauses(user: Any) -> bool:
    if access.reads_every_agreement(user):  # no query for the secretariat and leadership
        return True
    agreement = access.current_agreement()
    return agreement is not None and access.can_read(user, agreement)
