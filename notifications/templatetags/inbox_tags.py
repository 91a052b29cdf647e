"""``{{ user|unread_count }}``: the unread badge in the menu (one indexed count query)."""

from __future__ import annotations

from typing import Any

from django import template

from notifications.models import Notification

register = template.Library()


@register.filter
def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()
