"""export_workplan: the JSON contract equals the annex; XLSX goes through workplan.annex_sheet."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path
from typing import IO, Any

import pytest
from django.core.management import CommandError, call_command

from core.formatting import join_id
from tests.workplan.annex_text import annex_rows
from workplan.models import Agreement, Organization

CONTRACT_KEYS = [
    "code",
    "program",
    "program_title",
    "activity",
    "location",
    "funding",
    "years",
    "party1_units",
    "party1_activity",
    "party2_units",
    "party2_activity",
    "output",
    "outcome",
]


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_workplan", *args, stdout=out)
    return out.getvalue()


def official_names(spellings: list[str]) -> list[str]:
    return [Organization.objects.by_name(spelling).get().name for spelling in spellings]


def test_json_export_equals_the_annex(seeded_mou: Agreement) -> None:
    rows = json.loads(export("--format", "json"))
    annex = annex_rows()
    assert [row["code"] for row in rows] == [row.code for row in annex]
    for row, expected in zip(rows, annex, strict=True):
        assert list(row) == CONTRACT_KEYS
        assert row["program"] == expected.program
        assert row["program_title"] == expected.program_title
        assert row["activity"] == expected.title
        assert row["location"] == expected.location
        assert isinstance(row["funding"], list)
        assert join_id(row["funding"]) == expected.funding_text, row["code"]
        assert row["years"] == expected.years
        assert row["party1_units"] == official_names(expected.party1_units), row["code"]
        assert row["party1_activity"] == expected.party1_text, row["code"]
        assert row["party2_units"] == official_names(expected.party2_units), row["code"]
        assert row["party2_activity"] == expected.party2_text, row["code"]
        assert row["output"] == expected.output, row["code"]
        assert row["outcome"] == expected.outcome, row["code"]


def test_json_types_and_examples(seeded_mou: Agreement) -> None:
    rows = {row["code"]: row for row in json.loads(export())}
    assert rows["1a"]["funding"] == ["APBN", "APBD", "Anggaran Belanja PIHAK KEDUA"]
    assert rows["1e"]["funding"] == []
    assert rows["2e"]["party1_units"][-1] == "Dinas Komunikasi, Informatika dan Statistik Provinsi DKI Jakarta"
    assert rows["3c"]["party2_units"] == ["BPJS Ketenagakerjaan Kantor Wilayah DKI Jakarta"]
    assert all(isinstance(year, int) for row in rows.values() for year in row["years"])


def test_json_export_reads_in_a_fixed_number_of_queries(
    seeded_mou: Agreement, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        export()


def test_json_export_to_a_file(seeded_mou: Agreement, tmp_path: Path) -> None:
    target = tmp_path / "rencana-kerja.json"
    assert export("--output", str(target)) == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(export())


def test_export_picks_the_agreement_by_number(seeded_mou: Agreement) -> None:
    assert len(json.loads(export("--agreement", "1 tahun 2025"))) == 18
    with pytest.raises(CommandError, match="tidak ditemukan"):
        export("--agreement", "2 Tahun 2025")


@pytest.mark.django_db
def test_export_without_a_loaded_agreement_says_what_to_run() -> None:
    with pytest.raises(CommandError, match="load_seed_mou"):
        export()


def test_xlsx_export_is_written_by_annex_sheet(
    seeded_mou: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Agreement] = []

    def write_annex_xlsx(*, agreement: Agreement, stream: IO[bytes]) -> None:
        calls.append(agreement)
        stream.write(b"PK-fake")

    monkeypatch.setitem(sys.modules, "workplan.annex_sheet", types.SimpleNamespace(write_annex_xlsx=write_annex_xlsx))
    target = tmp_path / "rencana-kerja.xlsx"
    export("--format", "xlsx", "--output", str(target))
    assert calls == [seeded_mou]
    assert target.read_bytes() == b"PK-fake"


def test_xlsx_export_needs_an_output_file(seeded_mou: Agreement) -> None:
    with pytest.raises(CommandError, match="--output"):
        export("--format", "xlsx")


def test_xlsx_export_without_annex_sheet_is_a_clear_error(
    seeded_mou: Agreement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "workplan.annex_sheet", None)  # makes the import fail
    with pytest.raises(CommandError, match="belum tersedia"):
        export("--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
