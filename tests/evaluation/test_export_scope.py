"""The quarterly export reads reports through the work plan's access rules, like every other list."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def exported_units(user: Any) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("evaluation:export-quarters", args=[2025]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]}


def test_a_bpjs_officer_exports_no_pemprov_units_reports(year_data: Any, personas: Any) -> None:
    assert exported_units(personas["bpjs"]) == set()
    assert exported_units(personas["secretariat"]) == {"DPPKUKM", "Dishub"}
