"""Company streams (2a): every field validated row by row, normalised values stored, all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dataexchange.models import DataRow
from tests.dataexchange.conftest import csv_file, write

pytestmark = pytest.mark.django_db
HEADER = ("NPP", "NIB", "NPWP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah", "PIC", "Email")
GOOD = ["AB123456", "1234567890123", "01.300.066.6-091.000", "PT Maju Jaya", "Jl. Sudirman 1", "Jakarta Selatan",
        "Aktif", "Rp 5.000.000", "Budi 0812", "HRD@Maju.co.id"]  # fmt: skip


def upload_2a(path: Path) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    try:
        call_command("exchange_upload", "--stream", "2a", "--period", "2025Q3", "--unit", "BPJS Kanwil DKI", str(path),
                     stdout=out)  # fmt: skip
    except SystemExit as exit_:
        return int(exit_.code or 0), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def test_company_list_is_validated_and_normalised(streams: Any, regions: Any, tmp_path: Path) -> None:
    bad = [*GOOD[:2], "12.345", *GOOD[3:5], "Bandung", "mungkin", "1.5 juta", *GOOD[8:]]
    code, summary = upload_2a(write(tmp_path, "2a.csv", csv_file([GOOD, bad], header=HEADER)))
    assert code == 1
    assert {(e["row"], e["column"]) for e in summary["errors"]} == {(3, "NPWP"), (3, "Kota"), (3, "Status"),
                                                                    (3, "Upah")}  # fmt: skip
    assert not DataRow.objects.exists()
    code, summary = upload_2a(write(tmp_path, "2a-ok.csv", csv_file([GOOD], header=HEADER)))
    assert code == 0
    values = DataRow.objects.get().values
    assert (values["city"], values["status"], values["wage"], values["email"]) == ("3171", True, 5000000,
                                                                                   "HRD@maju.co.id")  # fmt: skip
    assert values["npwp"] == "013000666091000"


def test_sdi_extract_is_aggregate_with_metadata(streams: Any, regions: Any, personas: Any, tmp_path: Path) -> None:
    rows = [["AB1", "PT Satu", "Jl. A", "Jakarta Selatan", "120"], ["AB2", "PT Dua", "Jl. B", "3171", "30"],
            ["AB3", "CV Tiga", "Jl. C", "Jakarta Utara", "5"]]  # fmt: skip
    header = ("NPP", "Nama Perusahaan", "Alamat", "Kota", "Jumlah Pekerja Terdaftar")
    out = io.StringIO()
    call_command("exchange_upload", "--stream", "2c", "--period", "2025Q3", "--unit", "BPJS Kanwil DKI",
                 str(write(tmp_path, "2c.csv", csv_file(rows, header=header))), stdout=out)  # fmt: skip
    client = Client()
    client.force_login(personas["sekretariat"])
    data = client.get(reverse("dataexchange:sdi", args=["json"])).json()
    by_code = {row["kode_wilayah_bps"]: row for row in data["data"]}
    assert (by_code["3171"]["jumlah_perusahaan"], by_code["3171"]["jumlah_pekerja_terdaftar"]) == (2, 150)
    assert by_code["3175"]["jumlah_pekerja_terdaftar"] == 5 and by_code["3101"]["jumlah_perusahaan"] == 0
    assert data["metadata"]["periode_referensi"] == "2025Q3" and "PT Satu" not in json.dumps(data)
    csv_text = client.get(reverse("dataexchange:sdi", args=["csv"])).content.decode()
    assert csv_text.splitlines()[0] == "kode_wilayah_bps,wilayah,jumlah_perusahaan,jumlah_pekerja_terdaftar"
    client.force_login(personas["dinsos"])
    assert client.get(reverse("dataexchange:sdi", args=["json"])).status_code == 404
