"""Template filters for Indonesian dates and Rupiah: ``{{ d|tanggal }}``, ``{{ n|rupiah }}``."""

import datetime

from django import template
from django.utils import timezone

from core import formatting

register = template.Library()


@register.filter
def tanggal(value: datetime.date | datetime.datetime | None) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return formatting.tanggal(value)


@register.filter
def tanggal_jam(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{formatting.tanggal(local.date())} {local:%H.%M} WIB"


@register.filter
def rupiah(value: int | None) -> str:
    return formatting.rupiah(value)
