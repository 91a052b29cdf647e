"""The report reads the work plan as it stood in its year (issue 7): an amendment that retires a unit in 2027
leaves the 2025 report listing it, with its reports; the 2027 plan no longer has it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clauses.amendments import amendment_apply
from clauses.models import Amendment
from evaluation.models import EvaluationReport
from evaluation.services import report_generate
from evaluation.snapshot import snapshot_build
from tests.clauses.test_amendments import NEW_OUTPUT, revised_annex
from tests.evaluation.conftest import YEAR, pdf_text, stored_pdf
from tests.workplan.progress_fixtures import unit_of
from workplan.models import Activity, Organization

pytestmark = pytest.mark.django_db


def units_in(snapshot: dict[str, Any], code: str) -> list[str]:
    activity = next(a for p in snapshot["programs"] for a in p["activities"] if a["code"] == code)
    return [unit["short_name"] for unit in activity["units"]]


@pytest.fixture
def retired_in_2027(year_data: dict[str, Any], personas: dict[str, Any]) -> Any:
    """Adendum I, effective 4 January 2027, takes DPPKUKM (which reported on 2025) off activity 1c."""
    agreement = year_data["agreement"]
    first = [o.name for o in Activity.objects.with_plan().get(program__number=1, letter="c").first_party.organizations]
    dppkukm = Organization.objects.get(short_name="DPPKUKM").name
    content = revised_annex(agreement, code="1c", drop_year=None, first_units=[n for n in first if n != dppkukm])
    amendment = Amendment.objects.create(
        agreement=agreement, number="Adendum I", title="Perubahan penanggung jawab 1c",
        signed_on=datetime.date(2026, 12, 1), effective_on=datetime.date(2027, 1, 4),
        annex_file=SimpleUploadedFile("adendum.xlsx", content), annex_name="adendum.xlsx",
        created_by=personas["secretariat"],
    )  # fmt: skip
    amendment_apply(amendment=amendment, by=personas["secretariat"])
    unit = unit_of(agreement, "1c", "DPPKUKM")
    assert unit.retired_on == datetime.date(2027, 1, 4)
    return unit


def test_a_unit_retired_in_2027_is_still_in_the_2025_report_with_its_reports(year_data, retired_in_2027):
    agreement = year_data["agreement"]
    snapshot = snapshot_build(agreement=agreement, year=YEAR)
    assert "DPPKUKM" in units_in(snapshot, "1c")
    activity = next(a for p in snapshot["programs"] for a in p["activities"] if a["code"] == "1c")
    dppkukm = next(u for u in activity["units"] if u["short_name"] == "DPPKUKM")
    assert dppkukm["achievement"] == 80.0 and dppkukm["evidence"] == 1 and dppkukm["plan_note"] == ""
    assert "DPPKUKM" not in units_in(snapshot_build(agreement=agreement, year=2027), "1c")


def test_the_2025_pdf_prints_the_retired_units_row(year_data, retired_in_2027):
    report = EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)
    text = pdf_text(stored_pdf(report_generate(report_id=report.pk)))
    chapter_two = text[text.index("BAB II PELAKSANAAN") : text.index("BAB III HASIL")]
    assert "Bukti DPPKUKM Sedang berjalan Triwulan I Sedang berjalan (Disetujui) 80,0%" in chapter_two
    assert "Sosialisasi ulang. 1" in chapter_two  # its follow-up and evidence count


def test_a_unit_retired_during_the_year_is_listed_with_the_amendment(year_data, personas):
    agreement = year_data["agreement"]
    first = [o.name for o in Activity.objects.with_plan().get(program__number=1, letter="c").first_party.organizations]
    dppkukm = Organization.objects.get(short_name="DPPKUKM").name
    content = revised_annex(agreement, code="1c", drop_year=None, first_units=[n for n in first if n != dppkukm])
    amendment = Amendment.objects.create(
        agreement=agreement, number="Adendum I", title="Perubahan penanggung jawab 1c",
        signed_on=datetime.date(2025, 6, 2), effective_on=datetime.date(2025, 7, 1),
        annex_file=SimpleUploadedFile("adendum.xlsx", content), annex_name="adendum.xlsx",
        created_by=personas["secretariat"],
    )  # fmt: skip
    amendment_apply(amendment=amendment, by=personas["secretariat"])
    activity = next(a for p in snapshot_build(agreement=agreement, year=YEAR)["programs"] for a in p["activities"]
                    if a["code"] == "1c")  # fmt: skip
    dppkukm_row = next(u for u in activity["units"] if u["short_name"] == "DPPKUKM")
    assert dppkukm_row["plan_note"] == "Tidak lagi menjadi penanggung jawab sejak 1 Juli 2025 (Adendum I)."


def test_the_2025_report_prints_the_activity_texts_a_2027_amendment_changed_as_they_were(year_data, personas):
    agreement = year_data["agreement"]
    before = Activity.objects.get(program__number=2, letter="e").output
    amendment = Amendment.objects.create(
        agreement=agreement, number="Adendum II", title="Perubahan output 2e",
        signed_on=datetime.date(2026, 12, 1), effective_on=datetime.date(2027, 1, 4),
        annex_file=SimpleUploadedFile("adendum.xlsx", revised_annex(agreement)), annex_name="adendum.xlsx",
        created_by=personas["secretariat"],
    )  # fmt: skip
    amendment_apply(amendment=amendment, by=personas["secretariat"])

    def output_of(year: int) -> str:
        snapshot = snapshot_build(agreement=agreement, year=year)
        return next(a for p in snapshot["programs"] for a in p["activities"] if a["code"] == "2e")["output"]

    assert output_of(YEAR) == before != NEW_OUTPUT
    assert output_of(2027) == NEW_OUTPUT
