"""Amendments that take a responsible unit off an activity or put one on (Pasal 15).

Activity 1c has seven Pemprov units, DPPKUKM first. An addendum dated 5 January 2026 drops
DPPKUKM after it has reported on 2025: its reports stay readable, and it owes nothing from
triwulan I 2026 on (no due item, no task, no new report), while the other units still do.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from clauses.amendments import amendment_apply, amendment_preview, plan_versions
from clauses.services import term_extend
from tests.clauses.conftest import make_user
from tests.clauses.test_amendments import NEW_OUTPUT, draft, revised_annex
from tests.workplan.progress_fixtures import activity, unit_of
from workplan.due import workplan_due_items
from workplan.models import Activity, Organization, ProgressReport, ResponsibleUnit, TransitionError
from workplan.progress import report_start, tasks_for, yearly_status_set
from workplan.services import seed_mou_load, workplan_export_rows

D = datetime.date


def units_of(agreement, code: str) -> list[str]:
    return [o.name for o in Activity.objects.with_plan().get(pk=activity(agreement, code).pk).first_party.organizations]


def drop_dppkukm(agreement, personas, number: str = "Adendum I"):
    names = units_of(agreement, "1c")
    dppkukm = Organization.objects.get(short_name="DPPKUKM").name
    content = revised_annex(agreement, code="1c", drop_year=None, first_units=[n for n in names if n != dppkukm])
    return draft(agreement, personas["secretariat"], content, number=number)


@pytest.fixture
def retired(agreement, personas) -> ResponsibleUnit:
    """DPPKUKM's unit on 1c, with a report for triwulan IV 2025, after Adendum I retired it."""
    unit = unit_of(agreement, "1c", "DPPKUKM")
    personas["dppkukm"] = make_user("staf.dppkukm", Role.DINAS_STAFF, "DPPKUKM")
    report_start(unit=unit, year=2025, quarter=4, by=personas["dppkukm"])
    amendment_apply(amendment=drop_dppkukm(agreement, personas), by=personas["secretariat"])
    unit.refresh_from_db()
    return unit


def test_the_diff_names_the_unit_the_addendum_retires(agreement, personas) -> None:
    amendment = drop_dppkukm(agreement, personas)
    [change] = amendment_preview(amendment=amendment).changes
    [units] = [f for f in change.fields if f.label == "Penanggung jawab PIHAK KESATU"]
    dppkukm = Organization.objects.get(short_name="DPPKUKM").name
    assert units.removed == [dppkukm] and units.added == []
    client = Client()
    client.force_login(personas["secretariat"])
    page = client.get(reverse("clauses:amendment", args=[amendment.pk])).text
    assert f"Dikeluarkan: {dppkukm}" in page and "sejak 5 Januari 2026 tidak ada lagi laporan" in page


def test_applying_retires_a_unit_with_reports_instead_of_refusing(agreement, personas, retired) -> None:
    assert (retired.retired_on, retired.retired_basis) == (D(2026, 1, 5), "Adendum I")
    dppkukm = retired.organization.name
    assert ProgressReport.objects.filter(unit=retired, year=2025, quarter=4).exists()
    assert dppkukm not in units_of(agreement, "1c")
    row = next(r for r in workplan_export_rows(agreement=agreement) if r["code"] == "1c")
    assert dppkukm not in row["party1_units"]
    v0, v1 = ({r["code"]: r for r in v.rows}["1c"] for v in plan_versions(agreement=agreement))
    assert dppkukm in v0["party1_units"] and dppkukm not in v1["party1_units"]
    assert not Activity.objects.for_organization(retired.organization).filter(pk=activity(agreement, "1c").pk)


def test_a_retired_unit_owes_nothing_from_the_triwulan_it_left_in(agreement, personas, retired) -> None:
    other = unit_of(agreement, "1c", "Dishub")
    keys = {item.key for item in workplan_due_items(until=D(2026, 5, 29))}
    assert f"workplan.report:{retired.pk}:2025:4" in keys  # its draft for 2025 is still owed
    assert f"workplan.report:{retired.pk}:2026:1" not in keys
    assert f"workplan.report:{other.pk}:2026:1" in keys
    assert tasks_for(units=[retired], today=D(2026, 5, 10)) == []
    assert [t.quarter for t in tasks_for(units=[other], today=D(2026, 5, 10))] == [1, 2]
    with pytest.raises(TransitionError, match="Adendum I"):
        report_start(unit=retired, year=2026, quarter=1, by=personas["dppkukm"])
    with pytest.raises(TransitionError, match="Adendum I"):
        yearly_status_set(unit=retired, year=2026, status="direncanakan", reason="", by=personas["dppkukm"])
    assert report_start(unit=retired, year=2025, quarter=3, by=personas["dppkukm"]).pk  # before it left: still fine


def test_the_retired_units_reports_stay_readable_through_http(agreement, personas, retired) -> None:
    client = Client()
    client.force_login(personas["dppkukm"])
    report = ProgressReport.objects.get(unit=retired)
    page = client.get(reverse("workplan:report", args=[report.pk]))
    assert page.status_code == 200 and "Tidak lagi menjadi penanggung jawab sejak 5 Januari 2026" in page.text
    detail = client.get(reverse("workplan:activity", args=[activity(agreement, "1c").pk]))
    assert "Penanggung jawab yang tidak lagi bertugas" in detail.text
    assert reverse("workplan:report", args=[report.pk]) in detail.text
    refused = client.get(reverse("workplan:report-new", args=[retired.pk, 2026, 1]), follow=True)
    assert "Adendum I" in refused.text and not ProgressReport.objects.filter(unit=retired, year=2026).exists()


def test_a_unit_an_addendum_adds_is_in_the_diff_and_the_plan(agreement, personas) -> None:
    names = units_of(agreement, "1c")
    dinsos = Organization.objects.get(short_name="Dinsos").name
    content = revised_annex(agreement, code="1c", drop_year=None, first_units=[*names, dinsos])
    amendment = draft(agreement, personas["secretariat"], content)
    [units] = [f for f in amendment_preview(amendment=amendment).changes[0].fields if "PIHAK KESATU" in f.label]
    assert (units.added, units.removed) == ([dinsos], [])
    amendment_apply(amendment=amendment, by=personas["secretariat"])
    assert units_of(agreement, "1c") == [*names, dinsos]
    added = unit_of(agreement, "1c", "Dinsos")
    assert added.retired_on is None and added.position == len(names) + 1
    assert (added.joined_on, added.joined_basis) == (D(2026, 1, 5), amendment.number)


def test_a_unit_an_addendum_adds_owes_reports_from_the_triwulan_it_took_effect_in(agreement, personas) -> None:
    dinsos = Organization.objects.get(short_name="Dinsos").name
    content = revised_annex(agreement, code="1c", drop_year=None, first_units=[*units_of(agreement, "1c"), dinsos])
    amendment_apply(amendment=draft(agreement, personas["secretariat"], content), by=personas["secretariat"])
    added = unit_of(agreement, "1c", "Dinsos")
    keys = {item.key for item in workplan_due_items(until=D(2026, 5, 29))}
    assert f"workplan.report:{added.pk}:2025:4" not in keys
    assert f"workplan.report:{added.pk}:2026:1" in keys
    assert [t.quarter for t in tasks_for(units=[added], today=D(2026, 5, 10))] == [1, 2]
    staff = make_user("staf.dinsos", Role.DINAS_STAFF, "Dinsos")
    with pytest.raises(TransitionError, match="Menjadi penanggung jawab sejak 5 Januari 2026"):
        report_start(unit=added, year=2025, quarter=4, by=staff)


def test_a_retired_unit_listed_again_comes_back_with_its_reports(agreement, personas, retired) -> None:
    names = [*units_of(agreement, "1c"), retired.organization.name]
    content = revised_annex(agreement, code="1c", drop_year=None, first_units=names, output="Kembali")
    amendment_apply(
        amendment=draft(agreement, personas["secretariat"], content, number="Adendum II"), by=personas["secretariat"]
    )
    back = ResponsibleUnit.objects.get(pk=retired.pk)
    assert (back.retired_on, back.retired_basis, back.position) == (None, "", len(names))
    assert units_of(agreement, "1c") == names and back.reports.count() == 1


def test_running_the_seed_again_keeps_the_amended_plan_and_the_extended_term(agreement, personas) -> None:
    amendment_apply(amendment=drop_dppkukm(agreement, personas), by=personas["secretariat"])
    term_extend(
        agreement=agreement,
        new_ends_on=D(2035, 2, 3),
        agreed_on=D(2029, 11, 1),
        basis_document="Adendum II",
        by=personas["secretariat"],
    )
    report = seed_mou_load()
    agreement.refresh_from_db()
    assert agreement.ends_on == D(2035, 2, 3)
    assert Organization.objects.get(short_name="DPPKUKM").name not in units_of(agreement, "1c")
    assert activity(agreement, "1c").output == NEW_OUTPUT
    assert "Rencana kerja: diubah dengan adendum (versi 1), tidak disentuh" in report.unchanged
