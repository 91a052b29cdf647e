"""The seeded MoU equals the MoU text; load_seed_mou is idempotent; --demo makes one account per role."""

from __future__ import annotations

import datetime
import io
import re
import sys
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command

from accounts.models import Role
from core.formatting import join_id
from core.models import Holiday
from tests.workplan.annex_text import MOU_TEXT, annex_rows, split_units
from workplan.models import (
    Activity,
    Agreement,
    FundingSource,
    Institution,
    LiaisonOfficer,
    Organization,
    Party,
    Program,
    Responsibility,
    ResponsibleUnit,
    Side,
)
from workplan.services import seed_mou_load

SEED_MODELS = (
    Agreement,
    Party,
    Organization,
    FundingSource,
    Program,
    Activity,
    Responsibility,
    ResponsibleUnit,
    LiaisonOfficer,
)
PEMPROV_SHORT_NAMES = {
    "Disnakertransgi",
    "Diskominfotik",
    "DPPKUKM",
    "BP BUMD",
    "DKPKP",
    "Dishub",
    "Dispora",
    "Disparekraf",
    "Disbud",
    "Dinsos",
    "DPPAPP",
    "DPMPTSP",
    "Citata",
    "BPPBJ",
}


def flat_mou_text() -> str:
    return re.sub(r"\s+", " ", MOU_TEXT.read_text(encoding="utf-8"))


def pasal_6_units() -> list[str]:
    text = MOU_TEXT.read_text(encoding="utf-8")
    return re.findall(r"^ - [a-l]\. Kepala (.+?Provinsi DKI Jakarta)", text, flags=re.MULTILINE)


def resolve(names: list[str]) -> list[Organization]:
    return [Organization.objects.by_name(name).get() for name in names]


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_seed_mou", "--skip-holidays", *args, stdout=out)
    return out.getvalue()


def dump() -> dict[str, str]:
    models = (*SEED_MODELS, get_user_model())
    return {model.__name__: serializers.serialize("json", model.objects.order_by("pk")) for model in models}


def test_annex_parser_reads_18_rows_merged_across_pages() -> None:
    rows = {row.code: row for row in annex_rows()}
    assert list(rows) == [f"{program}{letter}" for program in (1, 2, 3) for letter in "abcdef"]
    assert len(rows["1d"].party1_units) == 7
    assert rows["2f"].title.endswith("yang mendukung kegiatan perlindungan tenaga kerja")
    assert rows["2f"].funding_text.endswith("peraturan perundang-undangan")
    assert rows["3f"].party2_text.endswith(
        "lebih dari 1.000 (seribu) orang untuk mendukung penyelenggaraan Program Jaminan Sosial Ketenagakerjaan."
    )


def test_seeded_work_plan_equals_the_annex_row_by_row(seeded_mou: Agreement) -> None:
    activities = {activity.code: activity for activity in Activity.objects.for_agreement(seeded_mou).with_plan()}
    assert len(activities) == len(annex_rows()) == 18
    for row in annex_rows():
        activity = activities[row.code]
        assert activity.program.title == row.program_title, row.code
        assert activity.title == row.title, row.code
        assert activity.location == row.location, row.code
        assert activity.funding_text == row.funding_text, row.code
        assert join_id(list(activity.funding)) == row.funding_text, row.code
        assert sorted(activity.years) == row.years, row.code
        assert activity.first_party.organizations == resolve(row.party1_units), row.code
        assert activity.first_party.text == row.party1_text, row.code
        assert activity.second_party.organizations == resolve(row.party2_units), row.code
        assert activity.second_party.text == row.party2_text, row.code
        assert activity.output == row.output, row.code
        assert activity.outcome == row.outcome, row.code


def test_annex_keeps_its_own_spelling(seeded_mou: Agreement) -> None:
    kpj = Activity.objects.get(program__number=2, letter="d")
    assert kpj.title == "Melakukan rekonsiliasi data penerima Kartu Pekerja Jakarta (PKJ)"
    assert Activity.objects.get(program__number=1, letter="f").location == "DKI Jakarta"
    assert Activity.objects.get(program__number=1, letter="e").funding == []


def test_funding_sources_are_every_distinct_source(seeded_mou: Agreement) -> None:
    used = {name for funding in Activity.objects.values_list("funding", flat=True) for name in funding}
    assert set(FundingSource.objects.values_list("name", flat=True)) == used
    assert {"APBN", "APBD", "Anggaran Belanja PIHAK KEDUA", "PIHAK KEDUA"} < used


def test_agreement_facts(seeded_mou: Agreement) -> None:
    assert seeded_mou.second_number == "MOU/1/022025"
    assert seeded_mou.signed_on == datetime.date(2025, 2, 4)
    assert seeded_mou.signed_place == "Jakarta"
    assert (seeded_mou.starts_on, seeded_mou.ends_on) == (datetime.date(2025, 2, 4), datetime.date(2030, 2, 3))
    assert seeded_mou.plan_years == [2025, 2026, 2027, 2028, 2029]
    assert seeded_mou.status == Agreement.Status.IN_FORCE
    assert len(seeded_mou.scope) == 3
    assert len(seeded_mou.legal_basis) == 15
    text = flat_mou_text()
    for clause in [seeded_mou.title, seeded_mou.object_text, *seeded_mou.scope, *seeded_mou.legal_basis]:
        assert clause in text


def test_parties_and_their_authority(seeded_mou: Agreement) -> None:
    first, second = Party.objects.filter(agreement=seeded_mou).order_by("side")
    assert (first.side, first.institution, first.signatory_name) == (Side.FIRST, Institution.PEMPROV, "Marullah Matali")
    assert (second.side, second.institution, second.signatory_name) == (Side.SECOND, Institution.BPJS, "Deny Yusyulian")
    assert first.office_address.startswith("Jalan Medan Merdeka Selatan")
    assert second.office_address.startswith("Jalan Gatot Subroto")
    text = flat_mou_text()
    for party in (first, second):
        assert party.signatory_title in text
        assert party.signatory_authority in text


def test_liaison_officers_of_pasal_14(seeded_mou: Agreement) -> None:
    first, second = LiaisonOfficer.objects.filter(agreement=seeded_mou).order_by("side")
    assert first.organization.short_name == "Disnakertransgi"
    assert first.email == "disnakertrans@jakarta.go.id"
    assert first.phones == ["(021) 3848303", "(021) 3847937"]
    assert second.organization.short_name == "BPJS Kanwil DKI"
    assert second.email == "kanwil.jakarta@bpjsketenagakerjaan.go.id"
    assert second.phones == ["(021) 5229291", "(021) 5229306"]
    assert {first.valid_from, second.valid_from} == {seeded_mou.signed_on}
    text = flat_mou_text()
    for liaison in (first, second):
        assert liaison.position in text
        assert liaison.address in text


def test_fourteen_pemprov_units_and_the_bpjs_regional_office(seeded_mou: Agreement) -> None:
    pemprov = Organization.objects.filter(institution=Institution.PEMPROV)
    assert set(pemprov.values_list("short_name", flat=True)) == PEMPROV_SHORT_NAMES
    bpjs = Organization.objects.get(institution=Institution.BPJS)
    assert (bpjs.name, bpjs.short_name, bpjs.kind) == (
        "BPJS Ketenagakerjaan Kantor Wilayah DKI Jakarta",
        "BPJS Kanwil DKI",
        Organization.Kind.BPJS_REGIONAL,
    )
    named_in_pasal_6 = resolve(pasal_6_units())
    assert len(set(named_in_pasal_6)) == 12
    assert {org.short_name for org in pemprov} - {org.short_name for org in named_in_pasal_6} == {"Dinsos", "DPPAPP"}


def test_every_unit_spelling_in_the_annex_resolves(seeded_mou: Agreement) -> None:
    spellings = {name for row in annex_rows() for name in (*row.party1_units, *row.party2_units)}
    assert "Dinas Komunikas, Informatika dan Statistik Provinsi DKI Jakarta" in spellings
    for spelling in spellings:
        assert Organization.objects.by_name(spelling).count() == 1, spelling
    assert "Dinas Komunikas, Informatika dan Statistik Provinsi DKI Jakarta" in (
        Organization.objects.get(short_name="Diskominfotik").aliases
    )


@pytest.mark.parametrize(
    ("text", "short_name"),
    [
        ("disnakertransgi", "Disnakertransgi"),
        ("DISKOMINFOTIK", "Diskominfotik"),
        ("bp bumd", "BP BUMD"),
        ("BPBUMD", "BP BUMD"),
        ("Bp. Bumd", "BP BUMD"),
        ("dpmptsp", "DPMPTSP"),
        ("  citata ", "Citata"),
        ("bpjs kanwil dki", "BPJS Kanwil DKI"),
        ("dinas sosial provinsi dki jakarta", "Dinsos"),
        ("Disnakertrans", "Disnakertransgi"),
    ],
)
def test_units_resolve_by_name_ignoring_case_and_punctuation(seeded_mou: Agreement, text: str, short_name: str) -> None:
    assert Organization.objects.by_name(text).get().short_name == short_name


@pytest.mark.parametrize("text", ["", "  ", "Dinas", "Disnaker transgi DKI", "BPJS"])
def test_by_name_does_not_guess(seeded_mou: Agreement, text: str) -> None:
    assert not Organization.objects.by_name(text).exists()


def test_split_units_keeps_the_annex_order() -> None:
    cell = "Dinas Sosial Provinsi DKI Jakarta Dinas Kebudayaan Provinsi DKI Jakarta."
    assert split_units(cell) == ["Dinas Sosial Provinsi DKI Jakarta", "Dinas Kebudayaan Provinsi DKI Jakarta."]


@pytest.mark.django_db
def test_second_run_changes_nothing() -> None:
    first = load()
    counts = {model.__name__: model.objects.count() for model in SEED_MODELS}
    before = dump()
    second = load()
    assert dump() == before
    assert {model.__name__: model.objects.count() for model in SEED_MODELS} == counts
    # 15 units, 5 funding sources, 1 agreement, 2 parties, 2 liaisons, 3 programs, 18 activities,
    # 36 responsibilities and their 36 unit lists.
    assert "118 dibuat, 0 diperbarui, 0 tetap" in first
    assert "0 dibuat, 0 diperbarui, 118 tetap" in second
    assert "dibuat:" not in second
    assert "diperbarui:" not in second


def test_rerun_reads_everything_in_a_few_queries(seeded_mou: Agreement, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(16):  # 15, and one asking whether an addendum changed the plan
        report = seed_mou_load()
    assert not report.changed


def test_rerun_restores_the_transcription_and_keeps_admin_aliases(seeded_mou: Agreement) -> None:
    activity = Activity.objects.get(program__number=1, letter="a")
    original = activity.title
    Activity.objects.filter(pk=activity.pk).update(title="diubah")
    dinsos = Organization.objects.get(short_name="Dinsos")
    dinsos.aliases = [*dinsos.aliases, "Dinas Sosial DKI"]
    dinsos.save()
    output = load()
    assert "diperbarui: Kegiatan 1a (title)" in output
    assert "1 diperbarui, 117 tetap" in output
    assert Activity.objects.get(pk=activity.pk).title == original
    assert "Dinas Sosial DKI" in Organization.objects.get(short_name="Dinsos").aliases


def test_rerun_restores_the_unit_order_keeping_the_unit_rows(seeded_mou: Agreement) -> None:
    units = ResponsibleUnit.objects.filter(
        responsibility__activity__program__number=3, responsibility__activity__letter="c", responsibility__side=1
    )
    before = list(units.order_by("position").values_list("pk", "organization__short_name"))
    assert [short_name for _pk, short_name in before] == ["Disnakertransgi", "DPMPTSP", "Citata", "BPPBJ"]
    for offset in (100, 0):  # reverse the order, as an edit in the admin might
        for position, (pk, _short_name) in enumerate(reversed(before), start=1):
            ResponsibleUnit.objects.filter(pk=pk).update(position=position + offset)
    output = load()
    assert "diperbarui: Penanggung jawab Kegiatan 3c PIHAK KESATU" in output
    assert list(units.order_by("position").values_list("pk", "organization__short_name")) == before


def test_rerun_drops_a_unit_the_annex_does_not_name(seeded_mou: Agreement) -> None:
    duty = Responsibility.objects.get(activity__program__number=1, activity__letter="a", side=1)
    ResponsibleUnit.objects.create(
        responsibility=duty, organization=Organization.objects.get(short_name="Dinsos"), position=2
    )
    assert "diperbarui: Penanggung jawab Kegiatan 1a PIHAK KESATU" in load()
    assert [org.short_name for org in duty.organizations] == ["Disnakertransgi"]


@pytest.mark.django_db
def test_dry_run_saves_nothing() -> None:
    output = load("--dry-run")
    assert "118 dibuat" in output
    assert "--dry-run" in output
    assert not Agreement.objects.exists()
    assert not Organization.objects.exists()


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_hasher")
def test_demo_creates_one_account_per_role_with_the_given_password() -> None:
    load("--demo", "--demo-password", "rahasia-demo-123")
    users = get_user_model().objects.all()
    assert {user.role for user in users} == set(Role.values)
    assert users.filter(is_superuser=True, is_staff=True).count() == 1
    for user in users:
        assert user.check_password("rahasia-demo-123"), user.username
    by_name = {user.username: user for user in users}
    assert by_name["staf.dppkukm"].organization.short_name == "DPPKUKM"
    assert by_name["staf.dinsos"].organization.short_name == "Dinsos"
    assert by_name["petugas.bpjs"].organization.short_name == "BPJS Kanwil DKI"
    assert by_name["tindaklanjut.dpmptsp"].role == Role.FOLLOWUP_AGENCY


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_hasher")
def test_demo_passwords_are_random_printed_once_and_kept() -> None:
    first = load("--demo")
    passwords = dict(re.findall(r"^  (\S+) \(.*\): dibuat, kata sandi: (\S+)$", first, flags=re.MULTILINE))
    assert len(passwords) == get_user_model().objects.count() == 7
    assert len(set(passwords.values())) == 7
    before = dump()
    second = load("--demo")
    assert "kata sandi:" not in second
    assert second.count("sudah ada, kata sandi tidak diubah") == 7
    assert dump() == before
    for username, password in passwords.items():
        assert get_user_model().objects.get(username=username).check_password(password), username


@pytest.mark.django_db
def test_holiday_calendar_is_synced_for_the_whole_term() -> None:
    out = io.StringIO()
    call_command("load_seed_mou", stdout=out)
    assert "Kalender hari libur disinkronkan" in out.getvalue()
    years = {day.year for day in Holiday.objects.dates("date", "year")}
    assert set(range(2025, 2031)) <= years


@pytest.mark.django_db
def test_holiday_sync_is_skipped_when_the_calendar_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "core.workdays", None)  # makes the import fail
    out = io.StringIO()
    call_command("load_seed_mou", stdout=out)
    assert "Kalender hari libur dilewati" in out.getvalue()
    assert not Holiday.objects.exists()
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_demo_password_needs_demo() -> None:
    with pytest.raises(CommandError, match="--demo"):
        load("--demo-password", "x")
