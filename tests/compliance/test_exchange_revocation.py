"""A quarterly 2a file showing a sanctioned employer aktif proposes lifting its TMP2T (issue 5), end to end.

The upload goes through ``exchange_upload``; the data exchange tells ``dataexchange.hooks``, which
compliance fills in its ``AppConfig.ready()``: nothing in the test wires the two together.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from compliance.models import CaseEvent
from compliance.states import Status
from dataexchange.seed import streams_ensure
from notifications.models import Notification
from tests.compliance.factories import CaseFactory, UserFactory
from tests.registry.factories import EmployerFactory
from tests.registry.seed import ensure_reference_rows
from workplan.models import Organization

pytestmark = pytest.mark.django_db
HEADER = ("NPP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah", "PIC", "Email")
SOURCE = "Pertukaran data 2a triwulan III 2025"


@pytest.fixture
def world(seeded_mou: Any) -> dict[str, Any]:
    ensure_reference_rows()
    streams_ensure(agreement=seeded_mou)
    bpjs = UserFactory(role=Role.BPJS_OFFICER, organization=Organization.objects.get(short_name="BPJS Kanwil DKI"))
    withheld = CaseFactory(employer=EmployerFactory(name="PT Sumber Rejeki", npp="AA000001"),
                           status=Status.SERVICES_WITHHELD)  # fmt: skip
    warned = CaseFactory(employer=EmployerFactory(name="PT Baru Ditegur", npp="AA000002"), status=Status.WARNING_1)
    lapsed = CaseFactory(employer=EmployerFactory(name="PT Masih Menunggak", npp="AA000003"),
                         status=Status.SERVICES_WITHHELD)  # fmt: skip
    return {"bpjs": bpjs, "withheld": withheld, "warned": warned, "lapsed": lapsed}


@pytest.fixture
def secretariat(world: dict[str, Any]) -> Any:
    return UserFactory(role=Role.SECRETARIAT, organization=Organization.objects.get(short_name="Disnakertransgi"))


def row(npp: str, name: str, status: str = "Aktif") -> str:
    return ",".join([npp, name, "Jl. Sudirman 1", "Jakarta Selatan", status, "5000000", "Budi", "hrd@contoh.id"])


def upload_2a(tmp_path: Path, name: str, rows: list[str], period: str = "2025Q3") -> dict[str, Any]:
    path = tmp_path / name
    path.write_text("\n".join([",".join(HEADER), *rows]) + "\n", encoding="utf-8")
    out = io.StringIO()
    moment = datetime.datetime(2025, 10, 2, 10, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment, tick=False), contextlib.suppress(SystemExit):  # exit 1: rejected
        call_command("exchange_upload", "--stream", "2a", "--period", period, "--unit", "BPJS Kanwil DKI",
                     str(path), stdout=out)  # fmt: skip
    summary: dict[str, Any] = json.loads(out.getvalue())
    return summary


def proposals(case: Any) -> list[str]:
    return list(case.events.filter(action=CaseEvent.REVOCATION_PROPOSED).values_list("note", flat=True))


def test_an_accepted_2a_file_proposes_revocation_for_the_sanctioned_active_employer_once(world, tmp_path):
    rows = [row("AA000001", "PT Sumber Rejeki"), row("AA000002", "PT Baru Ditegur"),
            row("AA000003", "PT Masih Menunggak", "Non Aktif")]  # fmt: skip
    assert upload_2a(tmp_path, "q3.csv", rows)["accepted"]

    withheld = world["withheld"]
    assert proposals(withheld) == [f"Usulan dari {SOURCE}: pemberi kerja tercatat aktif dan patuh."]
    assert proposals(world["warned"]) == []  # no sanction to lift
    assert proposals(world["lapsed"]) == []  # the file shows it non aktif
    withheld.refresh_from_db()
    assert withheld.status == Status.SERVICES_WITHHELD  # a proposal moves nothing
    client = Client()
    client.force_login(world["bpjs"])
    page = client.get(reverse("compliance:case", args=[withheld.pk])).content.decode()
    assert "Pencabutan diusulkan (data pertukaran)" in page and SOURCE in page
    assert Notification.objects.filter(recipient=world["bpjs"], subject__contains="PT Sumber Rejeki").count() == 1

    # A second file for the same quarter (a correction) proposes nothing more.
    assert upload_2a(tmp_path, "q3-koreksi.csv", [*rows, row("", "CV Tambahan")])["accepted"]
    assert len(proposals(withheld)) == 1
    assert Notification.objects.filter(recipient=world["bpjs"]).count() == 1


def test_a_rejected_file_proposes_nothing(world, tmp_path):
    summary = upload_2a(tmp_path, "bad.csv", [row("AA000001", "PT Sumber Rejeki"), row("AA000009", "CV X", "mungkin")])
    assert not summary["accepted"]
    assert proposals(world["withheld"]) == []


def test_a_review_decision_that_links_the_sanctioned_employer_later_proposes_then(world, tmp_path, secretariat):
    from dataexchange.companies import review_decide
    from dataexchange.models import ReviewItem

    assert upload_2a(tmp_path, "q3.csv", [row("", "PT Sumber Rejekii")])["accepted"]  # a typo: not linked
    assert proposals(world["withheld"]) == []
    item = ReviewItem.objects.get()
    assert item.candidate == world["withheld"].employer
    review_decide(item=item, accept=True, by=secretariat)
    assert proposals(world["withheld"]) == [f"Usulan dari {SOURCE}: pemberi kerja tercatat aktif dan patuh."]
