"""Generation: versions on demand through Celery with progress, the yearly schedule, idempotency."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from evaluation.models import EvaluationReport, ReportRefused
from evaluation.services import SCHEDULE_TASK_NAME, report_request, reports_due, schedule_ensure
from evaluation.tasks import generate_due_reports, generate_report
from tests.evaluation.conftest import YEAR

pytestmark = pytest.mark.django_db
Job = EvaluationReport.Job


def test_a_request_queues_a_version_that_celery_renders_once(year_data, personas, fast_pdf, eager,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(agreement=year_data["agreement"], year=YEAR, by=personas["secretariat"])
    report.refresh_from_db()
    assert (report.version, report.state, report.job, report.progress) == (1, "draf", Job.DONE, 100)
    assert report.snapshot["year"] == YEAR and report.pdf and len(report.sha256) == 64
    assert len(fast_pdf) == 1
    generate_report.apply(args=[report.pk])  # a task delivered twice changes nothing
    report.refresh_from_db()
    assert len(fast_pdf) == 1 and report.job == Job.DONE


def test_later_versions_are_revisions_that_keep_the_recommendations(year_data, personas, fast_pdf):
    agreement, secretariat = year_data["agreement"], personas["secretariat"]
    first = report_request(agreement=agreement, year=YEAR, by=secretariat)
    first.recommendations = "Lanjutkan sosialisasi BPU."
    first.save()
    second = report_request(agreement=agreement, year=YEAR, by=secretariat)
    assert (second.version, second.state, second.recommendations) == (2, "revisi", "Lanjutkan sosialisasi BPU.")
    with pytest.raises(ReportRefused, match="di luar jangka waktu"):
        report_request(agreement=agreement, year=2031, by=secretariat)


def test_the_snapshot_is_taken_once_per_version(year_data, personas, fast_pdf):
    report = report_request(agreement=year_data["agreement"], year=YEAR, by=personas["secretariat"])
    generate_report.apply(args=[report.pk])
    report.refresh_from_db()
    taken = report.snapshot_taken_at
    year_data["approved"].follow_up = "Diubah sesudahnya"
    year_data["approved"].save()
    EvaluationReport.objects.filter(pk=report.pk).update(job=Job.QUEUED)
    generate_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.snapshot_taken_at == taken and "Diubah sesudahnya" not in str(report.snapshot)
    assert fast_pdf[0] == fast_pdf[1]  # same snapshot, same document


def test_a_failed_render_is_recorded_for_the_page(year_data, personas, monkeypatch):
    def broken(html):
        raise RuntimeError("font hilang")

    monkeypatch.setattr("evaluation.rendering.render_pdf", broken)
    report = report_request(agreement=year_data["agreement"], year=YEAR, by=personas["secretariat"])
    with pytest.raises(RuntimeError):
        generate_report.apply(args=[report.pk], throw=True)
    report.refresh_from_db()
    assert report.job == Job.FAILED and "font hilang" in report.job_error


def test_the_schedule_makes_one_report_per_year_however_often_it_runs(year_data, fast_pdf):
    with time_machine.travel(datetime.datetime(2026, 1, 14, 5, tzinfo=datetime.UTC)):
        assert generate_due_reports.apply().get() == []  # before the configured day (15 January)
    with time_machine.travel(datetime.datetime(2026, 1, 15, 5, tzinfo=datetime.UTC)):
        made = generate_due_reports.apply().get()
        again = generate_due_reports.apply().get()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 5, tzinfo=datetime.UTC)):
        later = reports_due(today=datetime.date(2026, 3, 1))
    reports = EvaluationReport.objects.filter(year=2025)
    assert len(made) == 1 and again == [] and later == []
    assert reports.count() == 1 and reports.get().scheduled and reports.get().job == Job.DONE


def test_the_database_refuses_a_second_version_one(year_data):
    from django.db import IntegrityError, transaction

    EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)


def test_the_periodic_task_is_created_once_and_follows_the_setting(db, settings):
    schedule_ensure()
    settings.EVALUATION_REPORT_DAY = (2, 1)
    schedule_ensure()
    task = PeriodicTask.objects.get(name=SCHEDULE_TASK_NAME)
    assert PeriodicTask.objects.filter(task="evaluation.tasks.generate_due_reports").count() == 1
    assert task.enabled and "1/2" in task.description and task.crontab.hour == "5"


def test_the_browser_polls_until_the_report_is_ready(client, year_data, personas, fast_pdf):
    client.force_login(personas["secretariat"])
    response = client.post(reverse("evaluation:reports"), {"year": YEAR})
    report = EvaluationReport.objects.get()
    assert response["Location"] == reverse("evaluation:report", args=[report.pk])
    status_url = reverse("evaluation:report-status", args=[report.pk])
    page = client.get(response["Location"]).text
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 2s"' in page and "<progress" in page
    generate_report.apply(args=[report.pk])
    fragment = client.get(status_url, HTTP_HX_REQUEST="true").text
    assert "Laporan siap" in fragment and "hx-trigger" not in fragment
    assert reverse("evaluation:report-download", args=[report.pk]) in fragment
    history = client.get(reverse("evaluation:reports")).text
    assert "versi 1" in history and "Siap" in history
