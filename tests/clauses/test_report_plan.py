"""The report pages show what was planned under the version a report was made under (Pasal 15).

A report made for triwulan IV 2025 is attached to version 0 (the plan as signed); Adendum I,
in force from 5 January 2026, changes activity 2e's output. The 2025 report keeps showing the
old output, with a note and a link to the amendment; a report for 2026 shows the new one. An
amendment dated back afterwards does not move a report that was already made.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from clauses.amendments import amendment_apply, planned_for_report, report_plan
from clauses.models import Amendment
from tests.clauses.conftest import make_user
from tests.clauses.test_amendments import NEW_OUTPUT, draft, revised_annex
from tests.workplan.progress_fixtures import activity, unit_of
from workplan.models import ProgressReport, ResponsibleUnit
from workplan.progress import report_start

D = datetime.date


@pytest.fixture
def unit(agreement) -> ResponsibleUnit:
    """Disnakertransgi's unit on 2e: the liaison unit, so its staff may open the clause pages."""
    return ResponsibleUnit.objects.get(
        responsibility__activity=activity(agreement, "2e"), organization__short_name="Disnakertransgi"
    )


def apply(agreement, personas, content: bytes, *, number: str, effective_on: datetime.date) -> Amendment:
    amendment = draft(agreement, personas["secretariat"], content, number=number)
    Amendment.objects.filter(pk=amendment.pk).update(effective_on=effective_on)
    amendment.refresh_from_db()
    return amendment_apply(amendment=amendment, by=personas["secretariat"])


def test_a_report_records_the_version_in_force_at_the_end_of_its_quarter(agreement, personas, unit) -> None:
    old_output = activity(agreement, "2e").output
    before = report_start(unit=unit, year=2025, quarter=4, by=personas["disnaker"])
    amendment = apply(agreement, personas, revised_annex(agreement), number="Adendum I", effective_on=D(2026, 1, 5))
    after = report_start(unit=unit, year=2026, quarter=1, by=personas["disnaker"])
    assert (before.plan_version, after.plan_version) == (0, 1)
    plan = report_plan(before, personas["disnaker"])
    assert plan.row["output"] == old_output and plan.changed_by == amendment and plan.can_open
    assert report_plan(after, personas["disnaker"]).changed_by is None
    # Dated back to October 2025: the report already made stays attached to version 0; one without a
    # recorded version is read against the version in force when its quarter ended.
    apply(
        agreement,
        personas,
        revised_annex(agreement, output="Berlaku surut", drop_year=None),
        number="Adendum II",
        effective_on=D(2025, 10, 1),
    )
    assert planned_for_report(ProgressReport.objects.get(pk=before.pk))["output"] == old_output
    assert planned_for_report(ProgressReport(unit=unit, year=2025, quarter=4))["output"] == "Berlaku surut"


def test_the_report_page_shows_the_plan_of_its_time_and_links_the_change(agreement, personas, unit) -> None:
    old_output = activity(agreement, "2e").output
    report = report_start(unit=unit, year=2025, quarter=4, by=personas["disnaker"])
    amendment = apply(agreement, personas, revised_annex(agreement), number="Adendum I", effective_on=D(2026, 1, 5))
    client = Client()
    client.force_login(personas["disnaker"])
    page = client.get(reverse("workplan:report", args=[report.pk])).text
    planned = page[page.index('id="rencana-saat-itu"') :]
    assert old_output in planned and NEW_OUTPUT not in planned
    assert "Rencana kerja versi 0" in planned and "kemudian diubah oleh Adendum I" in planned
    assert reverse("clauses:amendment", args=[amendment.pk]) in planned
    assert reverse("clauses:plan-version", args=[0]) in planned
    new = client.get(reverse("workplan:report-new", args=[unit.pk, 2026, 2])).text
    assert NEW_OUTPUT in new and "Rencana kerja versi 1" in new and "kemudian diubah" not in new


def test_readers_without_clause_access_see_the_plan_but_no_links(agreement, personas) -> None:
    staff = make_user("staf.dppkukm", Role.DINAS_STAFF, "DPPKUKM")  # not a liaison unit: no clause pages
    own = unit_of(agreement, "1c", "DPPKUKM")
    report = report_start(unit=own, year=2025, quarter=4, by=staff)
    content = revised_annex(agreement, code="1c", output="Sosialisasi baru", drop_year=None)
    apply(agreement, personas, content, number="Adendum I", effective_on=D(2026, 1, 5))
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("clauses:plan-version", args=[0])).status_code == 404
    page = client.get(reverse("workplan:report", args=[report.pk])).text
    planned = page[page.index('id="rencana-saat-itu"') :]
    assert activity(agreement, "1c").output not in planned  # the new output; the report shows the old one
    assert "kemudian diubah oleh Adendum I" in planned
    assert "/klausul/" not in planned
