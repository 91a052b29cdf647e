"""A year (2025) of data exchange made through the upload command, for the summary and the report's chapter III.

2a: Q2 received late, Q3 on time (three companies: one linked by NPP, one similar name queued for
review, one unknown), Q4 opened by the schedule and never received. 2d: Q3 on time, three KPJ
holders (active, lapsed although the file says aktif, not in BPJS's extract and with a company the
registry does not know); Q4 never received. 2e: Dinsos's Q3 list of four people
matched against BPJS's extract (two active, one inactive, one not registered), on time. 2c: the
Satu Data Indonesia file of Q4 (three companies in two cities).
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from dataexchange.schedule import periods_open
from tests.dataexchange.conftest import VALID, csv_file, write
from tests.registry.factories import EmployerFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
COMPANY_HEADER = ("NPP", "Nama Perusahaan", "Alamat", "Kota", "Status", "Upah", "PIC", "Email")
MEMBERS_HEADER = ("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")
SDI_HEADER = ("NPP", "Nama Perusahaan", "Alamat", "Kota", "Jumlah Pekerja Terdaftar")
OTHER_NIK = "3175051505920005"


def upload(tmp_path: Path, name: str, content: bytes, *args: str, on: datetime.date) -> dict[str, Any]:
    out = io.StringIO()
    moment = datetime.datetime.combine(on, datetime.time(10), tzinfo=JAKARTA)
    with time_machine.travel(moment, tick=False):
        call_command("exchange_upload", *args, str(write(tmp_path, name, content)), stdout=out)
    summary: dict[str, Any] = json.loads(out.getvalue())
    assert summary["accepted"], summary["errors"]
    return summary


def company(npp: str, name: str, status: str = "Aktif", city: str = "Jakarta Selatan") -> list[str]:
    return [npp, name, "Jl. Sudirman 1", city, status, "5000000", "Budi", "hrd@contoh.id"]


def upload_companies(tmp_path: Path, code: str, period: str, rows: list[list[str]], on: datetime.date) -> int:
    content = csv_file(rows, header=COMPANY_HEADER)
    args = ("--stream", code, "--period", period, "--unit", "BPJS Kanwil DKI")
    return int(upload(tmp_path, f"{code}-{period}.csv", content, *args, on=on)["submission"])  # accepted = matched


def exchange_year(tmp_path: Path) -> dict[str, Any]:
    """Upload the year described in the module docstring; returns the employers by role."""
    D = datetime.date
    known = EmployerFactory(name="PT Sumber Rejeki", npp="AA000001")
    lapsed = EmployerFactory(name="PT Lama Tutup", npp="AA000003")
    EmployerFactory(name="PT Maju Jaya Abadi Sentosa", npp="AA000002")
    q3 = [company("AA000001", "Sumber Rejeki"), company("", "PT Maju Jaya Abadi Sentos"), company("", "CV Lain")]
    upload_companies(tmp_path, "2a", "2025Q2", [company("AA000001", "Sumber Rejeki")], D(2025, 9, 1))
    upload_companies(tmp_path, "2a", "2025Q3", q3, D(2025, 7, 3))
    members = [[VALID[0], "Aktif", "2025-06"], [VALID[1], "Aktif", "2025-06"], [VALID[2], "Non Aktif", "2024-01"]]
    membership = ("--stream", "2e", "--unit", "BPJS Kanwil DKI", "--membership")
    upload(tmp_path, "kepesertaan.csv", csv_file(members, header=MEMBERS_HEADER), *membership, on=D(2025, 7, 2))

    kpj = [[VALID[0], "Budi", *company("AA000001", "Sumber Rejeki")],
           [VALID[2], "Agus", *company("AA000003", "PT Lama Tutup")],  # lapsed in BPJS's extract
           [OTHER_NIK, "Eko", *company("", "CV Baru Sekali")]]  # not in the extract; unknown company  # fmt: skip
    kpj_args = ("--stream", "2d", "--period", "2025Q3", "--unit", "BPJS Kanwil DKI")
    upload(tmp_path, "2d.csv", csv_file(kpj, header=("NIK Pemegang KPJ", "Nama Pemegang KPJ", *COMPANY_HEADER)),
           *kpj_args, on=D(2025, 7, 4))  # fmt: skip
    periods_open(today=D(2025, 10, 1))  # 2a and 2d Q4: opened, never received
    people = [["Budi", VALID[0], ""], ["Siti", VALID[1], ""], ["Agus", VALID[2], ""], ["Eko", OTHER_NIK, ""]]
    dinsos = ("--stream", "2e", "--period", "2025Q3", "--unit", "Dinsos")
    upload(tmp_path, "bpu.csv", csv_file(people), *dinsos, on=D(2025, 7, 7))

    sdi = [["AA000001", "PT Sumber Rejeki", "Jl. A", "Jakarta Selatan", "120"],
           ["AA000002", "PT Maju Jaya", "Jl. B", "Jakarta Selatan", "30"],
           ["", "CV Kecil", "Jl. C", "Jakarta Timur", "7"]]  # fmt: skip
    sdi_args = ("--stream", "2c", "--period", "2025Q4", "--unit", "BPJS Kanwil DKI")
    upload(tmp_path, "sdi.csv", csv_file(sdi, header=SDI_HEADER), *sdi_args, on=D(2025, 10, 6))
    return {"known": known, "lapsed": lapsed}
