"""Damaged 2e lists found by the assurance corpus, through the web upload (pghistory context included)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dataexchange.models import ExchangePeriod, PersonRecord, Stream, Submission
from dataexchange.services import period_for_upload
from tests.dataexchange.conftest import VALID
from workplan.models import Organization

pytestmark = pytest.mark.django_db
HEADER = "Nama,NIK,No. HP\n"


@pytest.fixture
def period(streams: dict[str, Stream], personas: Any) -> ExchangePeriod:
    unit = Organization.objects.get(short_name="Dinsos")
    return period_for_upload(stream=streams["2e"], unit=unit, year=2025, quarter=3)


def post(personas: Any, period: ExchangePeriod, content: bytes) -> Submission:
    client = Client(raise_request_exception=True)
    client.force_login(personas["dinsos"])
    upload = SimpleUploadedFile("bpu.csv", content, content_type="text/csv")
    response = client.post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})
    assert response.status_code == 302
    return Submission.objects.get()


def test_niks_written_with_spaces_are_normalised_through_the_web_upload(period: ExchangePeriod, personas: Any) -> None:
    spaced = f"{VALID[0][:6]} {VALID[0][6:12]} {VALID[0][12:]}"
    submission = post(personas, period, f"{HEADER}Budi,{spaced},081234567890\nSiti,{VALID[1]},\n".encode())
    assert submission.status == Submission.Status.ACCEPTED
    assert PersonRecord.objects.filter(submission=submission).count() == 2


def test_nul_bytes_in_cells_are_row_errors(period: ExchangePeriod, personas: Any) -> None:
    submission = post(personas, period, f"{HEADER}Bu\x00di,{VALID[0]},\n".encode())
    assert submission.status == Submission.Status.REJECTED and submission.errors.exists()
    assert not PersonRecord.objects.exists()


def test_ten_thousand_columns_are_refused_with_a_message(period: ExchangePeriod, personas: Any) -> None:
    header = "Nama,NIK,No. HP," + ",".join(f"K{i}" for i in range(10_000)) + "\n"
    submission = post(personas, period, f"{header}Budi,{VALID[0]},\n".encode())
    assert submission.status == Submission.Status.REJECTED
    assert "kolom" in submission.errors.get().message


def test_a_count_in_superscript_digits_is_a_validation_error() -> None:
    from django.core.exceptions import ValidationError

    from dataexchange.generic import _count

    with pytest.raises(ValidationError):
        _count("¹²")
    assert _count("1.234") == 1234
