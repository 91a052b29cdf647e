"""What schemathesis found the OpenAPI schema getting wrong (docs/assurance.md, slice 4), pinned."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(django_user_model: Any) -> dict[str, Any]:
    client = Client()
    client.force_login(django_user_model.objects.create_user("staf", password="x"))
    return client.get("/api/schema/", {"format": "json"}).json()


def test_the_case_list_is_described_as_the_paginated_object_it_returns(schema: dict[str, Any]) -> None:
    answer = schema["paths"]["/api/compliance/cases/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["$ref"].endswith("/PaginatedCaseList")


def test_party_statuses_of_an_activity_may_be_null(schema: dict[str, Any]) -> None:
    holders = [c for c in schema["components"]["schemas"].values() if "first_party" in c.get("properties", {})]
    assert holders
    for component in holders:
        for name in ("first_party", "second_party"):
            field = component["properties"][name]
            assert field.get("nullable") or any(option.get("type") == "null" for option in field.get("oneOf", []))


def test_a_refused_upload_request_may_answer_with_field_errors(schema: dict[str, Any]) -> None:
    answer = schema["paths"]["/api/compliance/uploads/"]["post"]["responses"]["400"]["content"]["application/json"]
    assert answer["schema"]["$ref"].endswith("/UploadRefused")
    assert len(schema["components"]["schemas"]["UploadRefused"]["oneOf"]) == 2


def test_a_nul_byte_in_a_case_filter_is_a_400_not_a_500(django_user_model: Any) -> None:
    from accounts.models import Role

    client = Client()
    client.force_login(django_user_model.objects.create_user("bpjs", password="x", role=Role.BPJS_OFFICER))
    assert client.get("/api/compliance/cases/", {"region": "31\x0071"}).status_code == 400


@pytest.mark.parametrize("query", [{"offset": "9" * 25}, {"limit": "9" * 25}, {"year": "9" * 12}])
def test_huge_pagination_and_year_numbers_are_no_server_error(django_user_model: Any, query: dict[str, str]) -> None:
    from accounts.models import Role

    client = Client()
    client.force_login(django_user_model.objects.create_user("sek", password="x", role=Role.SECRETARIAT))
    assert client.get("/api/reports/", query).status_code in {200, 400}
    assert client.get("/api/compliance/cases/", query).status_code in {200, 400}
