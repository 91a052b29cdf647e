"""The progress pages through HTTP: the journey, evidence download, yearly status, query counts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.workplan.progress_fixtures import PNG_BYTES, YEAR, activity, filled_report, pdf_upload, personas, unit_of
from workplan.models import EvidenceFile, ProgressReport, ResponsibleUnit, YearlyStatus

__all__ = ["personas"]
State = ProgressReport.State


@pytest.fixture
def owner_unit(seeded_mou):
    return unit_of(seeded_mou, "1c", "DPPKUKM")


def test_pages_need_login(client, seeded_mou):
    for name in ("workplan:matrix", "workplan:tasks", "workplan:review-queue", "workplan:reports-export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_report_journey_through_the_pages(client, personas, owner_unit):
    client.force_login(personas["owner"])
    url = reverse("workplan:report-new", args=[owner_unit.pk, YEAR, 1])
    assert "Batas waktu" in client.get(url).text
    response = client.post(
        url, {"work_status": "berjalan", "realisation": "Sosialisasi di 2 kecamatan", "achievement": "60"}
    )
    report = ProgressReport.objects.get(unit=owner_unit, year=YEAR, quarter=1)
    assert response["Location"] == reverse("workplan:report", args=[report.pk])
    client.post(reverse("workplan:evidence-upload", args=[report.pk]), {"file": pdf_upload()})
    assert report.evidence.count() == 1
    client.post(reverse("workplan:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == State.SUBMITTED

    client.force_login(personas["secretariat"])
    assert report.unit.organization.short_name in client.get(reverse("workplan:review-queue")).text
    client.post(reverse("workplan:report-return", args=[report.pk]), {"reason": ""})
    report.refresh_from_db()
    assert report.state == State.SUBMITTED  # refused: a reason is required
    client.post(reverse("workplan:report-return", args=[report.pk]), {"reason": "Foto kegiatan belum ada."})
    report.refresh_from_db()
    assert report.state == State.RETURNED

    client.force_login(personas["owner"])
    page = client.get(reverse("workplan:report", args=[report.pk])).text
    assert "Foto kegiatan belum ada." in page and "Ajukan ulang" in page
    client.post(reverse("workplan:evidence-upload", args=[report.pk]), {"file": pdf_upload("foto.png", PNG_BYTES)})
    client.post(reverse("workplan:report-submit", args=[report.pk]))

    client.force_login(personas["secretariat"])
    client.post(reverse("workplan:report-approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == State.APPROVED
    client.force_login(personas["owner"])
    page = client.get(reverse("workplan:report", args=[report.pk])).text
    assert "Terkunci: disetujui oleh sekretariat" in page
    assert client.post(reverse("workplan:report", args=[report.pk]), {"realisation": "x"}).status_code == 403


def test_upload_refused_by_content_is_explained(client, personas, owner_unit):
    report = filled_report(owner_unit, personas["owner"])
    client.force_login(personas["owner"])
    response = client.post(
        reverse("workplan:evidence-upload", args=[report.pk]),
        {"file": pdf_upload("virus.pdf", b"MZ\x90\x00")},
        follow=True,
    )
    assert "Jenis berkas tidak diizinkan" in response.text
    assert not EvidenceFile.objects.exists()


def test_evidence_download_gives_the_file_as_attachment(client, personas, owner_unit):
    from workplan.progress import evidence_attach

    report = filled_report(owner_unit, personas["owner"])
    evidence = evidence_attach(report=report, upload=pdf_upload(), by=personas["owner"])
    client.force_login(personas["leadership"])
    response = client.get(reverse("workplan:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="daftar-hadir.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_yearly_status_htmx_explains_a_refusal_and_saves_a_valid_status(client, personas, owner_unit):
    client.force_login(personas["owner"])
    url = reverse("workplan:yearly-status", args=[owner_unit.pk, YEAR])
    response = client.post(url, {"status": "selesai", "reason": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "sudah disetujui sekretariat" in response.text
    assert 'role="alert"' in response.text and not YearlyStatus.objects.exists()
    response = client.post(
        url, {"status": "tidak_terlaksana", "reason": "Anggaran dialihkan"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Tidak terlaksana" in response.text
    assert YearlyStatus.objects.get(unit=owner_unit, year=YEAR).reason == "Anggaran dialihkan"


def test_matrix_colours_by_rollup_and_filters_by_unit_and_program(client, personas, seeded_mou):
    c1 = activity(seeded_mou, "1c")
    for unit in ResponsibleUnit.objects.filter(responsibility__activity=c1):
        YearlyStatus.objects.create(unit=unit, year=YEAR, status="selesai", set_by=personas["secretariat"])
    client.force_login(personas["leadership"])
    page = client.get(reverse("workplan:matrix")).text
    assert page.count('data-status="selesai"') == 1
    filtered = client.get(
        reverse("workplan:matrix"),
        {"unit": c1.responsibilities.first().units.first().organization_id},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in filtered.text and ">1c</a>" in filtered.text and ">1a</a>" not in filtered.text
    program3 = seeded_mou.programs.get(number=3)
    page = client.get(reverse("workplan:matrix"), {"program": program3.pk}).text
    assert ">3c</a>" in page and ">1c</a>" not in page


def test_activity_detail_shows_both_parties_and_who_is_holding_it_up(client, personas, seeded_mou, owner_unit):
    YearlyStatus.objects.create(unit=owner_unit, year=YEAR, status="selesai", set_by=personas["owner"])
    client.force_login(personas["owner"])
    page = client.get(reverse("workplan:activity", args=[owner_unit.responsibility.activity_id])).text
    assert "PIHAK KESATU" in page and "PIHAK KEDUA" in page
    assert "Belum selesai" in page and "BPJS Kanwil DKI (Direncanakan)" in page


def test_history_on_the_report_page_shows_who_and_before_after(client, personas, owner_unit):
    report = filled_report(owner_unit, personas["owner"])
    report.submit(by=personas["owner"])
    report.return_(by=personas["secretariat"], reason="Kurang lengkap")
    client.force_login(personas["owner"])
    page = client.get(reverse("workplan:report", args=[report.pk])).text
    assert "Riwayat perubahan" in page
    assert "diajukan → dikembalikan" in page and "sekretariat" in page


@time_machine.travel(datetime.datetime(YEAR, 8, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_my_tasks_lists_this_years_quarters_with_due_dates(client, personas, owner_unit):
    filled_report(owner_unit, personas["owner"], quarter=2)
    client.force_login(personas["owner"])
    page = client.get(reverse("workplan:tasks")).text
    assert "Triwulan III 2025" in page and "terlambat" in page
    assert "14 Juli 2025" in page  # Q2 due: 10 working days after 30 June
    client.force_login(personas["leadership"])
    assert "tidak mengisi laporan" in client.get(reverse("workplan:tasks")).text


def test_export_is_scoped_and_formula_safe(client, personas, seeded_mou, owner_unit):
    filled_report(owner_unit, personas["owner"], realisation='=HYPERLINK("http://x")')
    filled_report(unit_of(seeded_mou, "1c", "Dishub"), personas["other"])
    client.force_login(personas["owner"])
    text = client.get(reverse("workplan:reports-export")).content.decode()
    assert "DPPKUKM" in text and "Dishub" not in text
    assert "'=HYPERLINK" in text


# --- Query counts do not grow with the rows ---


def _fill(seeded_mou, personas, quarters):
    """Reports for every unit of 1c and 1d (submitted) and yearly statuses, for ``quarters`` quarters."""
    from workplan.models import Activity

    units = ResponsibleUnit.objects.filter(responsibility__activity__in=Activity.objects.filter(program__number=1))
    for unit in units.select_related("organization"):
        author = personas["bpjs"] if unit.organization.institution == "bpjs" else personas["owner"]
        for quarter in quarters:
            ProgressReport.objects.update_or_create(
                unit=unit,
                year=YEAR,
                quarter=quarter,
                defaults={"created_by": author, "realisation": "x", "achievement": 50, "state": "diajukan"},
            )
        YearlyStatus.objects.update_or_create(unit=unit, year=YEAR, defaults={"status": "berjalan", "set_by": author})


@pytest.mark.parametrize(
    ("name", "who"),
    [("workplan:matrix", "leadership"), ("workplan:tasks", "owner"), ("workplan:review-queue", "secretariat")],
)
@time_machine.travel(datetime.datetime(YEAR, 12, 1, 9, tzinfo=datetime.UTC))
def test_list_pages_use_a_fixed_number_of_queries(
    client, personas, seeded_mou, django_assert_max_num_queries, name, who
):
    client.force_login(personas[who])
    _fill(seeded_mou, personas, [1])
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse(name)).status_code == 200
    _fill(seeded_mou, personas, [1, 2, 3, 4])
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


@time_machine.travel(datetime.datetime(YEAR, 12, 1, 9, tzinfo=datetime.UTC))
def test_activity_page_and_report_api_use_a_fixed_number_of_queries(
    client, personas, seeded_mou, django_assert_max_num_queries
):
    from rest_framework.test import APIClient

    c1 = activity(seeded_mou, "1c")
    api = APIClient()
    api.force_authenticate(personas["secretariat"])
    client.force_login(personas["secretariat"])
    # In a test everything is one transaction, so the history context of this first request (its user)
    # is attached to the rows _fill writes later: warm up once so both measured pages resolve a user.
    client.get(reverse("workplan:activity", args=[c1.pk]))
    counts = []
    for quarters in ([1], [1, 2, 3, 4]):
        _fill(seeded_mou, personas, quarters)
        with django_assert_max_num_queries(30) as page:
            assert client.get(reverse("workplan:activity", args=[c1.pk])).status_code == 200
        with django_assert_max_num_queries(10) as listing:
            assert api.get(reverse("workplan-api:reports")).json()["count"] == 30 * len(quarters)
        counts.append((len(page.captured_queries), len(listing.captured_queries)))
    assert counts[0] == counts[1]


def test_pages_are_indonesian_first_with_english_available(client, personas, owner_unit):
    from django.utils import translation

    report = filled_report(owner_unit, personas["owner"])
    client.force_login(personas["owner"])
    page = client.get(reverse("workplan:matrix")).text
    assert "Matriks rencana kerja" in page and "Sedang berjalan" in page
    client.cookies["django_language"] = "en"  # what the language switch in the header sets
    page = client.get(reverse("workplan:matrix")).text
    assert "Work-plan matrix" in page and "In progress" in page
    page = client.get(reverse("workplan:report", args=[report.pk])).text
    assert "Submit for review" in page and "Realisation" in page
    with translation.override("en"):
        assert str(report.achievement_band) == "Fair"
