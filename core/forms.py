"""Form parts shared by the apps' filter forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices from the queryset itself, so from its result cache once read, instead of
    ``.iterator()``'s server-side cursor (DECLARE, FETCH, CLOSE for a handful of rows); a page that
    reads the choices for a cache key lets the widget reuse them."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator
