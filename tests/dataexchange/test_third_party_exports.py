"""Pasal 10 on exports: for a named third party only with a written consent on record; internal exports unchanged."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clauses.models import DisclosureRequest
from dataexchange.models import AccessLog, Submission
from dataexchange.services import period_for_upload
from tests.dataexchange.conftest import VALID, csv_file, csv_text
from tests.dataexchange.test_kpj_reconciliation import accepted_2d, command, disnaker  # noqa: F401 (fixtures)
from workplan.models import Organization, Side

pytestmark = pytest.mark.django_db
THIRD = "Universitas Indonesia"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def consent(submission: Submission, dataset: str, *, by: Any, valid_until: datetime.date | None = None) -> None:
    today = timezone.localdate()
    DisclosureRequest.objects.create(
        agreement=submission.schema.stream.agreement, requesting_side=Side.FIRST, recipient=THIRD, dataset=dataset,
        purpose="Penelitian kepesertaan pekerja", requested_on=today - datetime.timedelta(days=30),
        status=DisclosureRequest.Status.CONSENTED, consent_letter_number="B-123/2025", decided_on=today
        - datetime.timedelta(days=20), valid_until=valid_until, recorded_by=by,
    )  # fmt: skip


FOR_THIRD = {"fmt": "csv", "audience": "pihak_ketiga", "recipient": THIRD}


def test_a_third_party_export_without_consent_is_refused_with_a_link_to_the_register(
    accepted_2d: Submission,  # noqa: F811
    personas: Any,
) -> None:
    client = client_for(personas["sekretariat"])
    url = reverse("dataexchange:kpj-export", args=[accepted_2d.pk])
    refused = client.post(url, FOR_THIRD)
    body = refused.content.decode()
    assert refused.status_code == 403 and "Pasal 10" in body and "kpj-2d" in body and THIRD in body
    assert reverse("clauses:dashboard") in body and refused["Content-Type"].startswith("text/html")
    unnamed = client.post(url, {**FOR_THIRD, "recipient": " "})
    assert unnamed.status_code == 302 and unnamed.url == reverse("dataexchange:kpj", args=[accepted_2d.pk])
    assert client.post(url, {"fmt": "csv"}).status_code == 200  # the parties' own units: as before
    assert client.post(url, {"fmt": "csv", "audience": "internal", "recipient": THIRD}).status_code == 200


def test_a_recorded_written_consent_for_that_recipient_and_dataset_permits_it(
    accepted_2d: Submission,  # noqa: F811
    personas: Any,
) -> None:
    client = client_for(personas["sekretariat"])
    url = reverse("dataexchange:kpj-export", args=[accepted_2d.pk])
    consent(accepted_2d, "bpu-2e", by=personas["sekretariat"])  # another dataset
    consent(accepted_2d, "kpj-2d", by=personas["sekretariat"], valid_until=timezone.localdate()
            - datetime.timedelta(days=1))  # fmt: skip
    assert client.post(url, FOR_THIRD).status_code == 403
    consent(accepted_2d, "kpj-2d", by=personas["sekretariat"])
    allowed = client.post(url, {**FOR_THIRD, "recipient": "universitas indonesia"})
    assert allowed.status_code == 200 and allowed["Content-Type"].startswith("text/csv")
    assert VALID[0] not in csv_text(allowed)


def test_clear_niks_for_a_third_party_need_the_consent_and_the_log_names_the_recipient(
    accepted_2d: Submission,  # noqa: F811
    disnaker: Any,  # noqa: F811
    personas: Any,
) -> None:
    url = reverse("dataexchange:kpj-export", args=[accepted_2d.pk])
    wanted = {**FOR_THIRD, "unmask": "on", "reason": "Verifikasi bersama untuk penelitian"}
    assert client_for(disnaker).post(url, wanted).status_code == 403 and not AccessLog.objects.exists()
    consent(accepted_2d, "kpj-2d", by=personas["sekretariat"])
    assert VALID[0] in csv_text(client_for(disnaker).post(url, wanted))
    assert AccessLog.objects.get().reason == f"Verifikasi bersama untuk penelitian (untuk pihak ketiga: {THIRD})"


def test_the_2e_list_and_the_change_report_exports_ask_too(streams: Any, personas: Any) -> None:
    period = period_for_upload(stream=streams["2e"], unit=Organization.objects.get(short_name="Dinsos"), year=2025,
                               quarter=3)  # fmt: skip
    clerk = client_for(personas["dinsos"])
    upload = SimpleUploadedFile("bpu.csv", csv_file([["Budi", VALID[0], ""]]))
    clerk.post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})
    submission = Submission.objects.get()
    unmasked = reverse("dataexchange:export-unmasked", args=[submission.pk])
    wanted = {"reason": "Diteruskan ke mitra penelitian", "audience": "pihak_ketiga", "recipient": THIRD}
    assert clerk.post(unmasked, wanted).status_code == 403 and not AccessLog.objects.exists()
    assert clerk.post(reverse("dataexchange:changes-export", args=[submission.pk]), FOR_THIRD).status_code == 403
    consent(submission, "bpu-2e", by=personas["sekretariat"])
    response = clerk.post(unmasked, wanted)
    assert VALID[0] in b"".join(response.streaming_content).decode("utf-8-sig")
    assert THIRD in AccessLog.objects.get().reason
    people = clerk.get(reverse("dataexchange:people", args=[submission.pk])).content.decode()
    assert "Untuk pihak ketiga" in people and 'name="recipient"' in people
