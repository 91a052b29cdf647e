"""The Satu Data Indonesia extract of stream 2c: aggregate only (companies and registered workers per city).

Built from the latest accepted 2c submission; no row-level data leaves. The metadata follows the
MS-Var spirit of Peraturan BPS 5/2020 (DOMAIN.md section 5): variable names and definitions,
reference period, producer.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Count, IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from dataexchange.models import DataRow, Submission
from registry.models import Region
from workplan.models import Agreement

VARIABLES = [
    {"name": "kode_wilayah_bps", "definition": "Kode BPS kabupaten/kota administrasi di Provinsi DKI Jakarta.",
     "type": "teks"},
    {"name": "wilayah", "definition": "Nama kabupaten/kota administrasi.", "type": "teks"},
    {"name": "jumlah_perusahaan", "definition": "Banyaknya perusahaan dalam data BPJS Ketenagakerjaan per wilayah.",
     "type": "bilangan bulat"},
    {"name": "jumlah_pekerja_terdaftar",
     "definition": "Banyaknya pekerja perusahaan yang terdaftar Program Jaminan Sosial Ketenagakerjaan.",
     "type": "bilangan bulat"},
]  # fmt: skip


def latest_sdi_submission(*, year: int | None = None, agreement: Agreement | None = None) -> Submission | None:
    """The latest accepted 2c file (of periods in ``year`` and streams of ``agreement``, when given)."""
    found = Submission.objects.filter(period__stream__code="2c", status=Submission.Status.ACCEPTED)
    if year is not None:
        found = found.filter(period__year=year)
    if agreement is not None:
        found = found.filter(period__stream__agreement=agreement)
    return found.select_related("period__stream", "organization").order_by("-finished_at").first()


def sdi_extract(submission: Submission) -> dict[str, Any]:
    """``{"metadata": ..., "data": [...]}``: one aggregate row per region, regions without companies as zero."""
    totals: dict[str, dict[str, Any]] = {
        row["city"]: dict(row)
        for row in DataRow.objects.filter(submission=submission)
        .annotate(city=KT("values__city"))
        .values("city")
        .annotate(companies=Count("pk"), workers=Sum(Cast(KT("values__workers"), IntegerField())))
    }
    data = [
        {"kode_wilayah_bps": region.kode_bps, "wilayah": region.name,
         "jumlah_perusahaan": totals.get(region.kode_bps, {}).get("companies", 0),
         "jumlah_pekerja_terdaftar": totals.get(region.kode_bps, {}).get("workers") or 0}
        for region in Region.objects.order_by("kode_bps")
    ]  # fmt: skip
    period = submission.period
    metadata = {
        "judul": "Perusahaan dan pekerja terdaftar Jaminan Sosial Ketenagakerjaan per wilayah, DKI Jakarta",
        "produsen_data": submission.organization.name,
        "periode_referensi": period.label if period else "",
        "dasar": "Nota Kesepakatan No. 1/2025, Lampiran baris 2c; Perpres 39/2019 (Satu Data Indonesia)",
        "variabel": VARIABLES,
    }
    return {"metadata": metadata, "data": data}


def sdi_csv(extract: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[v["name"] for v in VARIABLES])
    writer.writeheader()
    writer.writerows(extract["data"])
    return buffer.getvalue()
