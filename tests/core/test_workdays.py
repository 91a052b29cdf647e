"""The working-day calendar: Idul Fitri 2025, admin holidays, the package sync and the commands."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.models import Holiday
from core.workdays import (
    WorkdayCalendar,
    add_working_days,
    is_working_day,
    package_holidays,
    sync_holidays,
    working_days_between,
    years_without_cuti_bersama,
)

pytestmark = pytest.mark.django_db

D = datetime.date
FORCE_MAJEURE_EVENT = D(2025, 3, 27)  # Thursday before Nyepi and Idul Fitri 2025


@pytest.fixture
def holidays_2025() -> None:
    sync_holidays(years=[2025])


def test_package_gives_idul_fitri_2025_and_its_cuti_bersama() -> None:
    """Checked against the package, not assumed: the counts below depend on these dates."""
    days = package_holidays([2025])
    national = {d for d, (_, kind) in days.items() if kind == Holiday.Kind.NATIONAL}
    cuti = {d for d, (_, kind) in days.items() if kind == Holiday.Kind.CUTI_BERSAMA}
    assert {D(2025, 3, 31), D(2025, 4, 1)} <= national
    assert "Idul Fitri" in days[D(2025, 3, 31)][0]
    assert {D(2025, 3, 28), D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4), D(2025, 4, 7)} <= cuti
    assert D(2025, 8, 18) in cuti  # added by the mid-year SKB revision
    assert len(cuti) == 11


def test_fourteen_working_days_across_idul_fitri_2025(holidays_2025: None) -> None:
    assert add_working_days(FORCE_MAJEURE_EVENT, 14) == D(2025, 4, 28)


def test_fourteen_working_days_with_weekends_only() -> None:
    assert not Holiday.objects.exists()
    assert add_working_days(FORCE_MAJEURE_EVENT, 14) == D(2025, 4, 16)


def test_counting_backwards_across_idul_fitri(holidays_2025: None) -> None:
    assert add_working_days(D(2025, 4, 28), -14) == FORCE_MAJEURE_EVENT
    # Pasal 14: notice 7 working days before a change of address on Tue 8 Apr 2025.
    assert add_working_days(D(2025, 4, 8), -7) == D(2025, 3, 19)


def test_day_one_is_the_first_working_day_after_the_event(holidays_2025: None) -> None:
    assert add_working_days(FORCE_MAJEURE_EVENT, 1) == D(2025, 4, 8)
    assert add_working_days(D(2025, 3, 31), 1) == D(2025, 4, 8)  # starting on a holiday
    assert add_working_days(D(2025, 4, 5), 0) == D(2025, 4, 5)


def test_counting_the_event_day_is_configurable(holidays_2025: None) -> None:
    assert add_working_days(FORCE_MAJEURE_EVENT, 14, count_event_day=True) == D(2025, 4, 25)
    with override_settings(WORKDAYS_COUNT_EVENT_DAY=True):
        assert add_working_days(FORCE_MAJEURE_EVENT, 14) == D(2025, 4, 25)
        assert add_working_days(D(2025, 4, 25), -14) == FORCE_MAJEURE_EVENT
        assert working_days_between(FORCE_MAJEURE_EVENT, D(2025, 4, 25)) == 14
        # An event on a holiday is not a working day, so it cannot be day 1.
        assert add_working_days(D(2025, 3, 31), 1) == D(2025, 4, 8)


def test_working_days_between_is_the_inverse_of_add(holidays_2025: None) -> None:
    assert working_days_between(FORCE_MAJEURE_EVENT, D(2025, 4, 28)) == 14
    assert working_days_between(D(2025, 4, 28), FORCE_MAJEURE_EVENT) == -14
    assert working_days_between(D(2025, 4, 4), D(2025, 4, 4)) == 0
    assert working_days_between(D(2025, 3, 27), D(2025, 4, 7)) == 0  # Nyepi to Idul Fitri break


def test_is_working_day(holidays_2025: None) -> None:
    assert is_working_day(D(2025, 4, 8))
    assert not is_working_day(D(2025, 4, 5))  # Saturday
    assert not is_working_day(D(2025, 3, 31))  # Idul Fitri
    assert not is_working_day(D(2025, 4, 7))  # cuti bersama


def test_admin_holiday_changes_the_deadline(holidays_2025: None) -> None:
    extra = Holiday.objects.create(date=D(2025, 4, 28), name="Hari libur khusus", kind=Holiday.Kind.EXTRA)
    assert add_working_days(FORCE_MAJEURE_EVENT, 14) == D(2025, 4, 29)
    extra.delete()
    Holiday.objects.filter(date=D(2025, 4, 18)).update(is_active=False)  # Good Friday cancelled
    assert add_working_days(FORCE_MAJEURE_EVENT, 14) == D(2025, 4, 25)


@pytest.mark.parametrize("count", [14, 250, -250, 2000])
def test_add_working_days_reads_holidays_in_one_query(
    holidays_2025: None, django_assert_num_queries: object, count: int
) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        add_working_days(FORCE_MAJEURE_EVENT, count)


def test_a_calendar_answers_many_deadlines_without_more_queries(
    holidays_2025: None, django_assert_num_queries: object
) -> None:
    calendar = WorkdayCalendar(D(2025, 1, 1), D(2025, 12, 31))
    with django_assert_num_queries(0):  # type: ignore[operator]
        deadlines = [calendar.add(D(2025, 1, 1) + datetime.timedelta(days=i), 14) for i in range(300)]
    assert D(2025, 4, 28) in deadlines


def test_add_and_between_agree_for_any_start_and_count(holidays_2025: None) -> None:
    calendar = WorkdayCalendar(D(2024, 6, 1), D(2026, 6, 30))

    @given(start=st.dates(D(2025, 1, 1), D(2025, 12, 31)), n=st.integers(-80, 80), event_day=st.booleans())
    def check(start: datetime.date, n: int, event_day: bool) -> None:
        end = calendar.add(start, n, count_event_day=event_day)
        if n:
            assert calendar.is_working_day(end)
            # Counting the event day, +1 and -1 both give the event day: between() says +1.
            expected = 1 if event_day and end == start else n
            assert calendar.between(start, end, count_event_day=event_day) == expected
        assert (end > start) == (n > 0) or (event_day and end == start)

    check()


def test_holidays_between_lists_weekday_holidays(holidays_2025: None) -> None:
    skipped = WorkdayCalendar(FORCE_MAJEURE_EVENT, D(2025, 4, 28)).holidays_between(D(2025, 4, 28), D(2025, 3, 28))
    assert [day for day, _ in skipped] == [
        D(2025, 3, 28),
        D(2025, 3, 31),
        D(2025, 4, 1),
        D(2025, 4, 2),
        D(2025, 4, 3),
        D(2025, 4, 4),
        D(2025, 4, 7),
        D(2025, 4, 18),
    ]


def test_years_without_cuti_bersama_flags_undecreed_years() -> None:
    sync_holidays(years=[2027, 2028])
    assert years_without_cuti_bersama(D(2027, 1, 1), D(2028, 12, 31)) == [2028]


def test_the_database_refuses_an_unknown_kind_or_source() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(date=D(2025, 7, 1), name="x", kind="libur")
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(date=D(2025, 7, 1), name="x", kind=Holiday.Kind.EXTRA, source="sk")


# The sync from the holidays package


def test_sync_is_idempotent() -> None:
    first = sync_holidays(years=[2025, 2026])
    second = sync_holidays(years=[2025, 2026])
    assert first.created == Holiday.objects.count() > 40
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert second.unchanged == first.created
    assert Holiday.objects.filter(date=D(2025, 4, 2), kind=Holiday.Kind.CUTI_BERSAMA).exists()
    assert Holiday.objects.filter(date=D(2025, 3, 31), kind=Holiday.Kind.NATIONAL).exists()


def test_sync_defaults_to_the_mou_term() -> None:
    sync_holidays()
    years = {day.year for day in Holiday.objects.dates("date", "year")}
    assert years == {2025, 2026, 2027, 2028, 2029, 2030}


def test_sync_never_overwrites_or_reactivates_admin_rows(holidays_2025: None) -> None:
    Holiday.objects.filter(date=D(2025, 3, 31)).update(name="Idul Fitri (SKB revisi)", source=Holiday.Source.ADMIN)
    Holiday.objects.filter(date=D(2025, 4, 7)).update(is_active=False)  # cancelled, still marked package
    result = sync_holidays(years=[2025])
    assert Holiday.objects.get(date=D(2025, 3, 31)).name == "Idul Fitri (SKB revisi)"
    assert not Holiday.objects.get(date=D(2025, 4, 7)).is_active
    assert result.kept_admin == 2
    assert (result.created, result.updated, result.removed) == (0, 0, 0)


def test_sync_updates_package_rows_and_removes_stale_estimates(holidays_2025: None) -> None:
    Holiday.objects.filter(date=D(2025, 6, 6)).update(name="nama lama")
    package = Holiday.Source.PACKAGE
    Holiday.objects.create(date=D(2025, 6, 5), name="Idul Adha (perkiraan lama)", kind="libur_nasional", source=package)
    Holiday.objects.create(date=D(2025, 7, 1), name="Pilkada ulang", kind=Holiday.Kind.EXTRA)
    result = sync_holidays(years=[2025])
    assert Holiday.objects.get(date=D(2025, 6, 6)).name == "Hari Raya Idul Adha"
    assert not Holiday.objects.filter(date=D(2025, 6, 5)).exists()
    assert Holiday.objects.filter(date=D(2025, 7, 1)).exists()  # an administrator's day stays
    assert (result.updated, result.removed, result.kept_admin) == (1, 1, 1)


def test_sync_holidays_command_reports_and_dry_run_saves_nothing() -> None:
    out, err = StringIO(), StringIO()
    call_command("sync_holidays", "--year", "2028", "--dry-run", stdout=out, stderr=err)
    assert "Tahun 2028:" in out.getvalue() and "Uji coba" in out.getvalue()
    assert "belum ada cuti bersama untuk tahun 2028" in err.getvalue()
    assert not Holiday.objects.exists()
    call_command("sync_holidays", "--year", "2025", stdout=out, stderr=err)
    assert Holiday.objects.filter(date__year=2025).count() == len(package_holidays([2025]))


# The workdays command


def run_workdays(*args: str) -> list[str]:
    out = StringIO()
    call_command("workdays", *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def test_workdays_command_forwards(holidays_2025: None) -> None:
    lines = run_workdays("2025-03-27", "+14")
    assert lines[:2] == ["2025-04-28", "Senin, 28 April 2025"]
    assert "  Senin, 31 Maret 2025: Hari Raya Idul Fitri" in lines
    assert "  Jumat, 18 April 2025: Wafat Yesus Kristus" in lines
    assert len([line for line in lines if line.startswith("  ")]) == 8


def test_workdays_command_backwards_with_a_negative_count(holidays_2025: None) -> None:
    lines = run_workdays("2025-04-28", "-14")
    assert lines[:2] == ["2025-03-27", "Kamis, 27 Maret 2025"]
    assert run_workdays("2025-04-28", "-14", "--verbosity", "0") == ["2025-03-27"]


def test_workdays_command_without_holidays_says_so() -> None:
    lines = run_workdays("2025-03-27", "14")
    assert lines[0] == "2025-04-16"
    assert "Tidak ada hari libur yang dilewati" in lines[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2025-02-30", "+1"), "Tanggal tidak valid"),
        (("27-03-2025", "+1"), "format ISO"),
        (("2025-03-27", "+x"), "Jumlah hari kerja tidak valid"),
        (("2025-03-27", "-1.5"), "Jumlah hari kerja tidak valid"),
        (("2025-03-27", "+99999"), "paling banyak"),
        (("2025-03-27", "-x"), "Argumen kurang atau tidak dikenali"),
        (("2025-03-27",), "Argumen kurang atau tidak dikenali"),
    ],
)
def test_workdays_command_rejects_bad_input_in_indonesian(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run_workdays(*args)


# The admin


@pytest.fixture
def plain_static(settings: object) -> None:
    """Admin pages render without a collected static manifest (tests do not run collectstatic)."""
    storages = dict(settings.STORAGES)  # type: ignore[attr-defined]
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = storages  # type: ignore[attr-defined]


def test_editing_a_package_row_in_the_admin_makes_it_an_admin_row(holidays_2025: None, admin_client: object) -> None:
    row = Holiday.objects.get(date=D(2025, 4, 7))
    data = {"date": "2025-04-07", "name": "Cuti bersama (Keppres)", "kind": row.kind, "is_active": "on", "basis": ""}
    response = admin_client.post(reverse("admin:core_holiday_change", args=[row.pk]), data)  # type: ignore[attr-defined]
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.name, row.source) == ("Cuti bersama (Keppres)", Holiday.Source.ADMIN)
    sync_holidays(years=[2025])
    assert Holiday.objects.get(date=D(2025, 4, 7)).name == "Cuti bersama (Keppres)"


def test_admin_can_add_a_cuti_bersama_and_deactivate_a_day(
    holidays_2025: None, admin_client: object, plain_static: None
) -> None:
    url = reverse("admin:core_holiday_add")
    data = {"date": "2028-02-29", "name": "Cuti Bersama Idul Fitri", "kind": "cuti_bersama", "is_active": "on"}
    assert admin_client.post(url, data).status_code == 302  # type: ignore[attr-defined]
    assert Holiday.objects.get(date=D(2028, 2, 29)).source == Holiday.Source.ADMIN
    good_friday = Holiday.objects.get(date=D(2025, 4, 18))
    changelist = reverse("admin:core_holiday_changelist")
    action = {"action": "deactivate", "_selected_action": [good_friday.pk]}
    assert admin_client.post(changelist, action).status_code == 302  # type: ignore[attr-defined]
    good_friday.refresh_from_db()
    assert (good_friday.is_active, good_friday.source) == (False, Holiday.Source.ADMIN)
    response = admin_client.get(changelist, {"tahun": "2028", "q": "Idul"})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Holiday.objects.get(date=D(2028, 2, 29))]
