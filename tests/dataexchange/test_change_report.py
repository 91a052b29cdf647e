"""The quarter-on-quarter change report: a page from the submission and period pages, counts, masked export."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dataexchange.models import Submission
from dataexchange.services import change_report
from tests.dataexchange.conftest import VALID, csv_file, csv_text, write

pytestmark = pytest.mark.django_db
FIFTH = "3175015505900005"
MEMBERS = ("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")
KPJ = ("NIK Pemegang KPJ", "Nama Pemegang KPJ", "NPP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah", "PIC",
       "Email")  # fmt: skip


def command(*args: str) -> Submission:
    with contextlib.suppress(SystemExit):
        call_command("exchange_upload", *args, stdout=io.StringIO())
    return Submission.objects.order_by("-pk").first()  # type: ignore[return-value]


def extract(tmp_path: Path, name: str, rows: list[list[str]]) -> None:
    path = write(tmp_path, name, csv_file(rows, header=MEMBERS))
    assert command("--stream", "2e", "--unit", "BPJS Kanwil DKI", "--membership", str(path)).status == "diterima"


def kpj_file(tmp_path: Path, period: str, niks: list[str]) -> Submission:
    rows = [[nik, f"Orang {i}", "", "PT Maju", "Jl. A", "Jakarta Selatan", "Aktif", "5000000", "Ani", "a@b.id"]
            for i, nik in enumerate(niks)]  # fmt: skip
    path = write(tmp_path, f"kpj-{period}.csv", csv_file(rows, header=KPJ))
    submission = command("--stream", "2d", "--period", period, "--unit", "BPJS Kanwil DKI", str(path))
    assert submission.status == "diterima"
    return submission


@pytest.fixture
def quarters(streams: Any, regions: Any, personas: Any, tmp_path: Path) -> dict[str, Submission]:
    """Extract 1, the Q2 2d file, extract 2, then the Q3 2d file and a 2e list."""
    extract(tmp_path, "m1.csv", [[VALID[0], "Aktif", "2025-03"], [VALID[1], "Aktif", "2025-03"],
                                 [VALID[2], "Non Aktif", "2024-11"]])  # fmt: skip
    q2 = kpj_file(tmp_path, "2025Q2", [VALID[0], VALID[2], VALID[3]])
    extract(tmp_path, "m2.csv", [[VALID[0], "Non Aktif", "2025-04"], [VALID[1], "Aktif", "2025-06"],
                                 [VALID[2], "Aktif", "2025-06"], [VALID[3], "Aktif", "2025-06"]])  # fmt: skip
    q3 = kpj_file(tmp_path, "2025Q3", [VALID[0], VALID[2], VALID[3], FIFTH, ""])
    people = csv_file([[f"Orang {i}", nik, ""] for i, nik in enumerate([*VALID, FIFTH])])
    bpu = command("--stream", "2e", "--period", "2025Q3", "--unit", "Dinsos", str(write(tmp_path, "bpu.csv", people)))
    return {"q2": q2, "q3": q3, "bpu": bpu}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


EXPECTED = {"newly_inactive": 1, "reactivated": 1, "newly_registered": 1, "still_not_registered": 1}


def test_the_2e_list_page_counts_and_lists_each_changed_person_masked(quarters: dict[str, Submission],
                                                                     personas: Any) -> None:  # fmt: skip
    bpu = quarters["bpu"]
    page = client_for(personas["dinsos"]).get(reverse("dataexchange:changes", args=[bpu.pk]))
    assert page.context["report"].counts == {**EXPECTED, "unchanged": 1} == change_report(submission_id=bpu.pk)
    wanted = {2: "newly_inactive", 4: "reactivated", 5: "newly_registered", 6: "still_not_registered"}
    assert {p.row: p.category for p in page.context["people"]} == wanted
    body = page.content.decode()
    assert "3171**********01" in body and VALID[0] not in body and "Aktif kembali" in body
    only = client_for(personas["dinsos"]).get(
        reverse("dataexchange:changes", args=[bpu.pk]), {"kategori": "reactivated"}
    )
    assert [p.row for p in only.context["people"]] == [4]
    submission_page = client_for(personas["dinsos"]).get(reverse("dataexchange:submission", args=[bpu.pk]))
    assert reverse("dataexchange:changes", args=[bpu.pk]) in submission_page.content.decode()


def test_the_2d_file_is_compared_with_the_previous_quarter_holder_by_holder(quarters: dict[str, Submission],
                                                                           personas: Any) -> None:  # fmt: skip
    q3 = quarters["q3"]
    page = client_for(personas["sekretariat"]).get(reverse("dataexchange:changes", args=[q3.pk]))
    assert page.context["report"].counts == {**EXPECTED, "unchanged": 0}
    assert [(p.nik_masked, p.category) for p in page.context["people"]] == [
        ("3171**********01", "newly_inactive"), ("3173**********03", "reactivated"),
        ("3174**********04", "newly_registered"), ("3175**********05", "still_not_registered")]  # fmt: skip
    assert "Pemegang KPJ belum terdaftar" in page.content.decode()
    period_page = client_for(personas["sekretariat"]).get(reverse("dataexchange:period", args=[q3.period_id]))
    assert reverse("dataexchange:changes", args=[q3.pk]) in period_page.content.decode()
    first = client_for(personas["sekretariat"]).get(reverse("dataexchange:changes", args=[quarters["q2"].pk]))
    assert "triwulan sebelumnya" in str(first.context["missing"])


def test_the_export_is_masked_and_lists_only_the_changes(quarters: dict[str, Submission], personas: Any) -> None:
    url = reverse("dataexchange:changes-export", args=[quarters["bpu"].pk])
    body = csv_text(client_for(personas["sekretariat"]).post(url, {"fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Baris", "Nama", "NIK", "Perubahan"] and len(rows) == 5
    assert all(nik not in body for nik in [*VALID, FIFTH]) and rows[1][3] == "Baru tidak aktif"
    sheet = load_workbook(io.BytesIO(client_for(personas["sekretariat"]).post(url, {"fmt": "xlsx"}).content)).active
    assert sheet.max_row == 5 and sheet["C2"].value == "3171**********01"


def test_other_units_and_outsiders_get_404(quarters: dict[str, Submission], personas: Any) -> None:
    for name in ("dishub", "outsider"):
        client = client_for(personas[name])
        assert client.get(reverse("dataexchange:changes", args=[quarters["bpu"].pk])).status_code == 404
        assert client.post(reverse("dataexchange:changes-export", args=[quarters["bpu"].pk]),
                           {"fmt": "csv"}).status_code == 404  # fmt: skip
    assert (
        client_for(personas["dinsos"]).get(reverse("dataexchange:changes", args=[quarters["q3"].pk])).status_code == 404
    )
