"""Filters for the report's figures: ``{{ 87.5|persen }}`` gives ``87,5%``; ``{{ 87.5|band }}`` gives ``Baik``."""

from __future__ import annotations

from django import template

from evaluation.snapshot import achievement_band

register = template.Library()


@register.filter
def persen(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}%".replace(".", ",")


@register.filter
def band(value: float | None) -> str:
    return achievement_band(value)
