"""Escalation ladder: staff, head of unit, secretariat; each step once and logged."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from accounts.models import Role
from evaluation.models import EvaluationReport
from evaluation.services import report_html
from evaluation.snapshot import snapshot_build
from notifications import tasks
from notifications.models import EscalationStep, Notification, UnitHead
from notifications.registry import DueItem
from notifications.services import escalation_summary, escalations_run
from tests.notifications.conftest import make_user
from workplan.models import Organization

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(provided):
    staff = make_user("staf.dishub", short_name="Dishub")
    head = make_user("kadis.dishub", short_name="Dishub")
    secretariat = make_user("sekretariat", Role.SECRETARIAT, "Disnakertransgi")
    dishub = Organization.objects.get(short_name="Dishub")
    UnitHead.objects.create(organization=dishub, user=head)
    provided.append(
        DueItem(
            key="uji:lap-q1",
            title="Laporan triwulan I Dishub",
            due_on=D(2025, 6, 2),
            recipients=frozenset({staff.pk}),
            organization_id=dishub.pk,
        )
    )
    return staff, head, secretariat


def levels() -> list[int]:
    return list(EscalationStep.objects.order_by("level").values_list("level", flat=True))


def test_nothing_escalates_on_the_due_date(ladder) -> None:
    assert escalations_run(today=D(2025, 6, 2)) == []


def test_the_ladder_climbs_one_step_at_a_time_and_each_step_is_logged_once(ladder, settings) -> None:
    staff, head, secretariat = ladder
    settings.NOTIFICATIONS_ESCALATION_WORKING_DAYS = [1, 3, 5]
    assert [s.level for s in escalations_run(today=D(2025, 6, 3))] == [1]
    assert escalations_run(today=D(2025, 6, 3)) == []
    assert [s.level for s in escalations_run(today=D(2025, 6, 5))] == [2]
    assert [s.level for s in escalations_run(today=D(2025, 6, 9))] == [3]  # the weekend does not count
    assert levels() == [1, 2, 3]
    steps = {s.level: s for s in EscalationStep.objects.all()}
    assert list(steps[2].notified.all()) == [head]
    assert list(steps[3].notified.all()) == [secretariat]
    assert steps[3].working_days_overdue == 5
    assert Notification.objects.get(recipient=head).subject.startswith("Eskalasi ke kepala unit (3 hari kerja")
    assert Notification.objects.filter(recipient=staff).count() == 1
    assert EscalationStep.objects.in_year(2025).count() == 3


@pytest.mark.usefixtures("holidays_2025")
def test_holidays_do_not_count_as_days_late(ladder, settings) -> None:
    settings.NOTIFICATIONS_ESCALATION_WORKING_DAYS = [1, 3, 5]
    # 6 June 2025 is Idul Adha and 9 June cuti bersama: on 9 June the report is 3 working days late.
    escalations_run(today=D(2025, 6, 9))
    assert levels() == [1, 2]


def test_the_daily_task_is_safe_to_run_twice(ladder) -> None:
    with time_machine.travel(
        datetime.datetime(2025, 6, 10, 7, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    ):
        assert tasks.escalate_overdue.apply().get() == {"steps": 3}
        assert tasks.escalate_overdue.apply().get() == {"steps": 0}


def test_the_escalation_log_is_visible_to_the_secretariat_by_year(ladder, settings) -> None:
    from django.test import Client
    from django.urls import reverse

    staff, _head, secretariat = ladder
    escalations_run(today=D(2025, 6, 9))
    client = Client()
    client.force_login(secretariat)
    page = client.get(reverse("notifications:escalations"), {"year": 2025})
    assert page.status_code == 200
    assert (
        page.text.count("Laporan triwulan I Dishub") == 3 and "Kepala unit" in page.text and "kadis.dishub" in page.text
    )
    assert "Tidak ada eskalasi" in client.get(reverse("notifications:escalations"), {"year": 2026}).text
    client.force_login(staff)
    assert client.get(reverse("notifications:escalations")).status_code == 403


def test_the_steps_of_the_year_are_in_the_annual_report(ladder, settings, seeded_mou) -> None:
    settings.NOTIFICATIONS_ESCALATION_WORKING_DAYS = [1, 3, 5]
    for day in (D(2025, 6, 3), D(2025, 6, 5), D(2025, 6, 9)):
        escalations_run(today=day)
    summary = escalation_summary(start=D(2025, 1, 1), end=D(2025, 12, 31))
    # the seeded plan's own overdue reports climb the ladder too; ours is one item among them
    assert summary["total"] == EscalationStep.objects.in_year(2025).count()
    assert sum(row["count"] for row in summary["levels"]) == summary["total"]
    ours = [row for row in summary["items"] if row["title"] == "Laporan triwulan I Dishub"]
    assert [(r["level"], r["escalated_on"], r["due_on"], r["working_days_overdue"]) for r in ours] == [
        ("Sekretariat", "9 Juni 2025", "2 Juni 2025", 5)
    ]
    assert escalation_summary(start=D(2026, 1, 1), end=D(2026, 12, 31))["total"] == 0
    report = EvaluationReport(agreement=seeded_mou, year=2025, version=1)
    report.snapshot = snapshot_build(agreement=seeded_mou, year=2025)
    html = report_html(report)
    section = html[html.index('id="eskalasi"') :]
    assert "Laporan triwulan I Dishub" in section and "9 Juni 2025" in section
