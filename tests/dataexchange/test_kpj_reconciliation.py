"""2d: each Kartu Pekerja Jakarta holder's participation and mismatches, counts on the period page, the export."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from dataexchange.models import AccessLog, DataRow, ExchangePeriod, KpjWageCeiling, Submission
from tests.dataexchange.conftest import VALID, csv_file, csv_text, write
from tests.registry.factories import EmployerFactory
from workplan.models import Organization

pytestmark = pytest.mark.django_db
HEADER = ("NIK Pemegang KPJ", "Nama Pemegang KPJ", "NPP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah",
          "PIC", "Email")  # fmt: skip
ROWS = [
    [VALID[0], "Budi", "AB123456", "PT Maju Jaya", "Jl. A", "Jakarta Selatan", "Aktif", "5000000", "Ani", "a@b.id"],
    [VALID[1], "Siti", "AB123456", "PT Lain Sekali", "Jl. A", "Jakarta Selatan", "Aktif", "7000000", "Ani", "a@b.id"],
    [VALID[2], "Agus", "", "CV Tak Dikenal", "Jl. B", "Jakarta Utara", "Non Aktif", "4000000", "Ina", "c@d.id"],
    ["", "Dewi", "AB123456", "PT Maju Jaya", "Jl. A", "Jakarta Selatan", "Non Aktif", "3000000", "Ani", "a@b.id"],
]


def command(*args: str) -> None:
    with contextlib.suppress(SystemExit):  # the command exits 1 for a rejected file
        call_command("exchange_upload", *args, stdout=io.StringIO())


@pytest.fixture
def accepted_2d(streams: Any, regions: Any, personas: Any, tmp_path: Path) -> Submission:
    EmployerFactory(name="PT Maju Jaya", npp="AB123456")
    members = csv_file([[VALID[0], "Aktif", "2025-06"], [VALID[1], "Non Aktif", "2024-12"]],
                       header=("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir"))  # fmt: skip
    command("--stream", "2e", "--unit", "BPJS Kanwil DKI", "--membership", str(write(tmp_path, "m.csv", members)))
    path = write(tmp_path, "kpj.csv", csv_file(ROWS, header=HEADER))
    command("--stream", "2d", "--period", "2025Q3", "--unit", "BPJS Kanwil DKI", str(path))
    return Submission.objects.get(schema__stream__code="2d", status=Submission.Status.ACCEPTED)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def disnaker(personas: Any) -> Any:
    """A clerk of Disnakertransgi, the unit that receives 2d."""
    unit = Organization.objects.get(short_name="Disnakertransgi")
    return get_user_model().objects.create_user(username="disnaker", role=Role.DINAS_STAFF, organization=unit)


def test_the_stored_row_keeps_only_a_token_and_a_mask_of_the_nik(accepted_2d: Submission) -> None:
    values = DataRow.objects.get(submission=accepted_2d, row=2).values
    assert values["nik"]["masked"] == "3171**********01" and VALID[0] not in str(values)


def test_each_holder_gets_participation_and_the_annex_mismatches(accepted_2d: Submission, personas: Any) -> None:
    page = client_for(personas["bpjs"]).get(reverse("dataexchange:kpj", args=[accepted_2d.pk]))
    holders = {h.row: (h.participation, set(h.mismatches)) for h in page.context["holders"]}
    assert holders == {
        2: ("aktif", set()),
        3: ("nonaktif", {"status", "upah", "perusahaan"}),
        4: ("belum", {"perusahaan_tidak_dikenal"}),
        5: ("nonaktif", set()),
    }
    body = page.content.decode()
    assert "3171**********01" in body and VALID[0] not in body and "Rp 7.000.000" in body
    only_wage = client_for(personas["bpjs"]).get(
        reverse("dataexchange:kpj", args=[accepted_2d.pk]), {"selisih": "upah"}
    )
    assert [h.row for h in only_wage.context["holders"]] == [3]


def test_the_period_page_shows_the_counts(accepted_2d: Submission, personas: Any) -> None:
    page = client_for(personas["sekretariat"]).get(reverse("dataexchange:period", args=[accepted_2d.period_id]))
    counts = page.context["kpj"]
    assert counts["holders"] == 4
    assert dict(counts["participation"]) == {"Terdaftar, aktif": 1, "Terdaftar, tidak aktif": 2, "Belum terdaftar": 1}
    assert {code: n for code, _label, n in counts["mismatches"]} == {"status": 1, "upah": 1, "perusahaan": 1,
                                                                      "perusahaan_tidak_dikenal": 1}  # fmt: skip
    assert "Rekonsiliasi Kartu Pekerja Jakarta" in page.content.decode()


def test_the_export_is_masked_by_default_and_formula_neutralised(accepted_2d: Submission, personas: Any) -> None:
    row = DataRow.objects.get(submission=accepted_2d, row=5)
    DataRow.objects.filter(pk=row.pk).update(values={**row.values, "company": '=HYPERLINK("http://x")'})
    url = reverse("dataexchange:kpj-export", args=[accepted_2d.pk])
    reader = client_for(personas["sekretariat"])
    body = csv_text(reader.post(url, {"fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Baris", "Nama Pemegang KPJ", "NIK"] and rows[1][2] == "3171**********01"
    assert VALID[0] not in body and rows[4][3].startswith("'=")
    sheet = load_workbook(io.BytesIO(reader.post(url, {"fmt": "xlsx"}).content)).active
    assert sheet.max_row == 5 and sheet["C2"].value == "3171**********01" and sheet["D5"].value.startswith("'=")
    assert not AccessLog.objects.exists()


def test_clear_niks_only_to_the_sender_and_receiver_with_a_reason_and_logged(
    accepted_2d: Submission, personas: Any, disnaker: Any
) -> None:
    url = reverse("dataexchange:kpj-export", args=[accepted_2d.pk])
    wanted = {"fmt": "csv", "unmask": "on", "reason": "Verifikasi kelayakan penerima KPJ"}
    assert client_for(personas["sekretariat"]).post(url, wanted).status_code == 403
    assert client_for(personas["dinsos"]).post(url, wanted).status_code == 404
    assert client_for(disnaker).post(url, {**wanted, "reason": "x"}).status_code == 302
    assert not AccessLog.objects.exists()
    body = csv_text(client_for(disnaker).post(url, wanted))
    assert VALID[0] in body and VALID[1] in body
    log = AccessLog.objects.get()
    assert (log.user, log.submission, log.records, log.reason) == (disnaker, accepted_2d, 4, wanted["reason"])


def test_outsiders_and_other_units_get_404(accepted_2d: Submission, personas: Any) -> None:
    for name in ("dinsos", "outsider"):
        assert client_for(personas[name]).get(reverse("dataexchange:kpj", args=[accepted_2d.pk])).status_code == 404


def test_after_retention_the_holders_names_and_the_clear_export_are_gone_the_reconciliation_stays(
    accepted_2d: Submission, disnaker: Any, settings: Any
) -> None:
    from dataexchange import schedule

    settings.EXCHANGE_RETENTION_DAYS = 30
    schedule.submissions_purge(now=accepted_2d.finished_at + datetime.timedelta(days=31))  # type: ignore[operator]
    values = DataRow.objects.get(submission=accepted_2d, row=2).values
    assert "name" not in values and values["nik"]["masked"] == "3171**********01" and values["company"]
    holders = client_for(disnaker).get(reverse("dataexchange:kpj", args=[accepted_2d.pk])).context["holders"]
    assert [h.name for h in holders] == ["", "", "", ""] and holders[0].participation == "aktif"
    wanted = {"fmt": "csv", "unmask": "on", "reason": "Verifikasi kelayakan penerima KPJ"}
    assert (
        client_for(disnaker).post(reverse("dataexchange:kpj-export", args=[accepted_2d.pk]), wanted).status_code == 403
    )


def test_the_reconciliation_page_makes_as_many_queries_for_40_holders_as_for_4(
    accepted_2d: Submission, personas: Any, tmp_path: Path
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    niks = [f"317101{i % 28 + 1:02d}0185{i + 1:04d}" for i in range(40)]
    rows = [[nik, f"Orang {i}", "AB123456", "PT Maju Jaya", "Jl. A", "Jakarta Selatan", "Aktif", "5000000", "Ani",
             "a@b.id"] for i, nik in enumerate(niks)]  # fmt: skip
    command("--stream", "2d", "--period", "2025Q2", "--unit", "BPJS Kanwil DKI",
            str(write(tmp_path, "kpj-40.csv", csv_file(rows, header=HEADER))))  # fmt: skip
    bigger = Submission.objects.get(schema__stream__code="2d", period__quarter=2, status=Submission.Status.ACCEPTED)
    client = client_for(personas["bpjs"])
    counts = []
    for submission in (accepted_2d, bigger):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dataexchange:kpj", args=[submission.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_wage_limit_is_the_years_ump_as_the_secretariat_entered_it(accepted_2d: Submission, personas: Any) -> None:
    url = reverse("dataexchange:kpj", args=[accepted_2d.pk])
    page = client_for(personas["bpjs"]).get(url)
    assert "Batas upah KPJ yang dipakai: Rp 6.206.275 (UMP 2025 + 15%)." in page.content.decode()
    # A lower UMP for 2025 (as corrected in the admin): Budi's Rp 5.000.000 is now above the limit too.
    KpjWageCeiling.objects.filter(year=2025).update(ump=4_000_000)
    page = client_for(personas["bpjs"]).get(url, {"selisih": "upah"})
    assert [h.row for h in page.context["holders"]] == [2, 3]
    assert "Rp 4.600.000 (UMP 2025 + 15%)" in page.content.decode()
    # A 2026 file is reconciled against 2025's limit until 2026's UMP is entered, and the page says so.
    KpjWageCeiling.objects.filter(year=2025).update(ump=5_396_761)
    ExchangePeriod.objects.filter(pk=accepted_2d.period_id).update(year=2026)
    body = client_for(personas["bpjs"]).get(url).content.decode()
    assert "UMP 2025 + 15%" in body and "UMP 2026 belum dimasukkan oleh sekretariat" in body
    KpjWageCeiling.objects.create(year=2026, ump=6_000_000)
    page = client_for(personas["bpjs"]).get(url, {"selisih": "upah"})
    assert [h.row for h in page.context["holders"]] == [3] and "Rp 6.900.000 (UMP 2026 + 15%)" in page.content.decode()
    KpjWageCeiling.objects.all().delete()
    page = client_for(personas["bpjs"]).get(url, {"selisih": "upah"})
    assert page.context["holders"].paginator.count == 0
    assert "Batas upah KPJ belum dimasukkan oleh sekretariat: upah tidak diperiksa." in page.content.decode()


def test_the_admin_lists_each_years_ump_with_its_ceiling(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:dataexchange_kpjwageceiling_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "2025" in body and "5.396.761" in body and "6.206.275" in body
