"""exchange_year_summary: chapter III's figures per stream (on time in working days, match results, SDI)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from dataexchange.summary import exchange_year_summary
from tests.dataexchange.exchange_year import exchange_year

pytestmark = pytest.mark.django_db


def by_code(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in summary["streams"]}


def test_periods_due_received_and_on_time_per_stream(streams: Any, regions: Any, tmp_path: Path) -> None:
    exchange_year(tmp_path)
    summary = exchange_year_summary(year=2025)
    assert summary is not None and summary["until"] == "31 Desember 2025"
    rows = by_code(summary)
    assert [code for code in rows] == ["2a", "2b", "2c", "2d", "2e", "2f"]
    figures = {code: (r["due"], r["received"], r["on_time"], r["late"], r["missing"]) for code, r in rows.items()}
    assert figures["2a"] == (3, 2, 1, 1, 1)  # Q2 late, Q3 on time, Q4 never received
    assert figures["2d"] == (2, 1, 1, 0, 1)
    assert figures["2e"] == (1, 1, 1, 0, 0)
    assert figures["2c"] == (1, 1, 1, 0, 0)
    assert rows["2a"]["on_time_rate"] == 33.3 and rows["2b"]["on_time_rate"] is None


def test_match_results_of_the_people_and_company_streams(streams: Any, regions: Any, tmp_path: Path) -> None:
    exchange_year(tmp_path)
    rows = by_code(exchange_year_summary(year=2025))  # type: ignore[arg-type]
    assert rows["2e"]["matching"]["rows"] == [
        ["Terdaftar, aktif", 2], ["Terdaftar, tidak aktif", 1], ["Belum terdaftar", 1]
    ]  # fmt: skip
    assert rows["2e"]["matching"]["total"] == 4
    # 2a: Q2 (one company, linked) and Q3 (linked, queued for review, unknown)
    assert rows["2a"]["matching"]["rows"] == [
        ["Cocok dengan pemberi kerja terdaftar", 2], ["Dalam antrean tinjauan pemadanan", 1],
        ["Tidak cocok dengan pemberi kerja terdaftar", 1],
    ]  # fmt: skip
    # 2d: the KPJ holders as dataexchange.kpj reconciled them, and its mismatches
    assert rows["2d"]["matching"]["rows"] == [
        ["Terdaftar, aktif", 1], ["Terdaftar, tidak aktif", 1], ["Belum terdaftar", 1],
        ["Status berbeda dengan data kepesertaan BPJS", 2], ["Upah dilaporkan di atas batas KPJ (UMP + 15%)", 0],
        ["Nama perusahaan berbeda dengan daftar pemberi kerja", 0], ["Perusahaan tidak ada di daftar pemberi kerja", 1],
    ]  # fmt: skip
    assert rows["2d"]["matching"]["total"] == 3
    assert rows["2b"]["matching"] is None and rows["2c"]["matching"] is None


def test_the_satu_data_extract_is_aggregate_per_city_with_its_reference_period(
    streams: Any, regions: Any, tmp_path: Path
) -> None:
    exchange_year(tmp_path)
    sdi = exchange_year_summary(year=2025)["sdi"]  # type: ignore[index]
    assert (sdi["reference_period"], sdi["producer"]) == ("2025Q4", "BPJS Ketenagakerjaan Kantor Wilayah DKI Jakarta")
    cities = {city: (companies, workers) for city, companies, workers in sdi["cities"]}
    assert cities["Kota Administrasi Jakarta Selatan"] == (2, 150)
    assert cities["Kota Administrasi Jakarta Timur"] == (1, 7)
    assert (sdi["companies"], sdi["workers"]) == (3, 157)
    assert "PT Sumber Rejeki" not in str(sdi) and "AA000001" not in str(sdi)  # aggregates only


def test_a_replaced_file_counts_once_and_another_year_is_empty(streams: Any, regions: Any, tmp_path: Path) -> None:
    from tests.dataexchange.exchange_year import company, upload_companies

    exchange_year(tmp_path)
    upload_companies(tmp_path, "2a", "2025Q2", [company("AA000001", "Sumber Rejeki"), company("", "CV Dua")],
                     datetime.date(2025, 9, 2))  # fmt: skip
    rows = by_code(exchange_year_summary(year=2025))  # type: ignore[arg-type]
    assert rows["2a"]["received"] == 2 and rows["2a"]["matching"]["total"] == 5  # Q2's second file stands (2 rows)
    assert exchange_year_summary(year=2027) is None
