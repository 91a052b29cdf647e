"""Amendments (Pasal 15): the diff before applying, the numbered versions after, reports read against their time."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from clauses.amendments import amendment_apply, amendment_preview, plan_as_of, plan_versions, planned_for_report
from clauses.models import Amendment, ClauseError
from tests.workplan.progress_fixtures import activity
from workplan.annex_sheet import write_annex_xlsx
from workplan.models import Activity, ProgressReport, ResponsibleUnit

D = datetime.date
NEW_OUTPUT = "Data BPU diserahkan setiap triwulan"


def revised_annex(
    agreement,
    *,
    code: str = "2e",
    output: str = NEW_OUTPUT,
    drop_year: int | None = 2029,
    drop_first_unit: bool = False,
    first_units: list[str] | None = None,
) -> bytes:
    """The current annex as the spreadsheet export, with one activity's output (and a year) changed."""
    stream = io.BytesIO()
    write_annex_xlsx(agreement=agreement, stream=stream)
    stream.seek(0)
    workbook = load_workbook(stream)
    sheet = workbook.active
    header = next(r for r in sheet.iter_rows() if any(c.value == "OUTPUT" for c in r))
    columns = {str(c.value): c.column for c in header if c.value}
    years = next(r for r in sheet.iter_rows(min_row=header[0].row + 1) if any(c.value == "2025" for c in r))
    year_columns = {int(c.value): c.column for c in years if c.value and str(c.value).isdigit()}
    row_activity = activity(agreement, code)
    label = f"{row_activity.letter}. {row_activity.title}"  # column (3) as the annex writes it
    row = next(r for r in sheet.iter_rows() if r[2].value == label)[0].row
    sheet.cell(row, columns["OUTPUT"]).value = output
    if drop_first_unit:
        units = sheet.cell(row, columns["TUGAS DAN TANGGUNG JAWAB"])
        units.value = "\n".join(str(units.value).split("\n")[1:])
    if first_units is not None:  # PIHAK KESATU's units, one official name per line as the annex writes them
        sheet.cell(row, columns["TUGAS DAN TANGGUNG JAWAB"]).value = "\n".join(first_units)
    if drop_year:
        sheet.cell(row, year_columns[drop_year]).value = None  # cell(..., None) would leave it as is
    result = io.BytesIO()
    workbook.save(result)
    return result.getvalue()


def draft(agreement, user, content: bytes, number: str = "Adendum I") -> Amendment:
    return Amendment.objects.create(
        agreement=agreement,
        number=number,
        title="Perubahan rencana kerja 2e",
        signed_on=D(2026, 1, 5),
        effective_on=D(2026, 1, 5),
        annex_file=SimpleUploadedFile("adendum.xlsx", content),
        annex_name="adendum.xlsx",
        created_by=user,
    )


def test_the_preview_shows_the_difference_and_changes_nothing(agreement, personas) -> None:
    amendment = draft(agreement, personas["secretariat"], revised_annex(agreement))
    old_output = activity(agreement, "2e").output
    preview = amendment_preview(amendment=amendment)
    assert preview.result.accepted
    [change] = preview.changes
    assert (change.code, change.kind) == ("2e", "diubah")
    fields = {f.label: (f.before, f.after) for f in change.fields}
    assert fields["Output"] == (old_output, NEW_OUTPUT)
    assert fields["Tahun"] == ("2025, 2026, 2027, 2028 dan 2029", "2025, 2026, 2027 dan 2028")
    assert activity(agreement, "2e").output == old_output


def test_applying_makes_a_version_and_keeps_the_old_plan_viewable(agreement, personas) -> None:
    old_output = activity(agreement, "2e").output
    amendment = amendment_apply(
        amendment=draft(agreement, personas["secretariat"], revised_annex(agreement)), by=personas["secretariat"]
    )
    assert (amendment.status, amendment.version) == (Amendment.Status.APPLIED, 1)
    assert activity(agreement, "2e").output == NEW_OUTPUT
    assert activity(agreement, "2e").years == [2025, 2026, 2027, 2028]
    versions = plan_versions(agreement=agreement)
    assert [v.number for v in versions] == [0, 1]
    v0 = {r["code"]: r for r in versions[0].rows}
    assert v0["2e"]["output"] == old_output and 2029 in v0["2e"]["years"]
    assert plan_as_of(agreement=agreement, day=D(2025, 12, 31)).number == 0
    assert plan_as_of(agreement=agreement, day=D(2026, 1, 5)).number == 1
    with pytest.raises(ClauseError):
        amendment_apply(amendment=amendment, by=personas["secretariat"])
    second = amendment_apply(
        amendment=draft(
            agreement,
            personas["secretariat"],
            revised_annex(agreement, code="1a", output="Bahan baru", drop_year=None),
            number="Adendum II",
        ),
        by=personas["secretariat"],
    )
    assert second.version == 2
    assert {r["code"]: r for r in plan_versions(agreement=agreement)[1].rows}["1a"]["output"] != "Bahan baru"


def test_a_report_stays_attached_to_what_was_planned_in_its_quarter(agreement, personas) -> None:
    unit = ResponsibleUnit.objects.filter(responsibility__activity=activity(agreement, "2e")).first()
    old_output = activity(agreement, "2e").output
    report_2025 = ProgressReport(unit=unit, year=2025, quarter=4)
    report_2026 = ProgressReport(unit=unit, year=2026, quarter=1)
    amendment_apply(
        amendment=draft(agreement, personas["secretariat"], revised_annex(agreement)), by=personas["secretariat"]
    )
    assert planned_for_report(report_2025)["output"] == old_output
    assert planned_for_report(report_2026)["output"] == NEW_OUTPUT


def test_an_annex_with_errors_is_shown_and_cannot_be_applied(agreement, personas) -> None:
    amendment = draft(agreement, personas["secretariat"], b"bukan spreadsheet")
    assert not amendment_preview(amendment=amendment).result.accepted
    with pytest.raises(ClauseError):
        amendment_apply(amendment=amendment, by=personas["secretariat"])
    assert Activity.objects.for_agreement(agreement).count() == 18


def test_the_secretariat_uploads_previews_and_applies_through_http(agreement, personas) -> None:
    client = Client()
    client.force_login(personas["secretariat"])
    upload = SimpleUploadedFile("adendum-1.xlsx", revised_annex(agreement))
    response = client.post(
        reverse("clauses:amendment-new"),
        {
            "number": "Adendum I",
            "title": "Perubahan 2e",
            "signed_on": "2026-01-05",
            "effective_on": "2026-01-05",
            "annex_file": upload,
        },
    )
    amendment = Amendment.objects.get()
    assert response["Location"] == reverse("clauses:amendment", args=[amendment.pk])
    reader = Client()
    reader.force_login(personas["bpjs"])
    page = reader.get(response["Location"])
    assert NEW_OUTPUT in page.text and "Terapkan adendum" not in page.text
    assert reader.post(reverse("clauses:amendment-apply", args=[amendment.pk])).status_code == 403
    assert "Terapkan adendum" in client.get(response["Location"]).text
    client.post(reverse("clauses:amendment-apply", args=[amendment.pk]))
    assert Amendment.objects.get().version == 1
    old = reader.get(reverse("clauses:plan-version", args=[0]))
    new = reader.get(reverse("clauses:plan-version", args=[1]))
    assert NEW_OUTPUT not in old.text and NEW_OUTPUT in new.text
    assert reader.get(reverse("clauses:plan-version", args=[7])).status_code == 404
