"""Who sees what, the dashboard with the report's charts, the XLSX and CSV exports and the command."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import EvaluationReport
from evaluation.services import report_generate
from tests.evaluation.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(year_data, fast_pdf):
    report = EvaluationReport.objects.create(agreement=year_data["agreement"], year=YEAR, version=1)
    return report_generate(report_id=report.pk)


def test_pages_need_login(client, ready):
    for url in [
        reverse("evaluation:reports"),
        reverse("evaluation:report", args=[ready.pk]),
        reverse("evaluation:report-download", args=[ready.pk]),
        reverse("evaluation:dashboard"),
        reverse("evaluation:export-matrix"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], url


@pytest.mark.parametrize(
    ("persona", "report", "dashboard", "generate"),
    [
        ("secretariat", 200, 200, 302),
        ("leadership", 200, 200, 403),
        ("bpjs", 200, 200, 403),
        ("owner", 200, 403, 403),
        ("followup", 200, 403, 403),
    ],
)
def test_access_by_role(client, personas, ready, persona, report, dashboard, generate):
    client.force_login(personas[persona])
    assert client.get(reverse("evaluation:report-download", args=[ready.pk])).status_code == report
    assert client.get(reverse("evaluation:dashboard")).status_code == dashboard
    assert client.get(reverse("evaluation:export-quarters", args=[YEAR])).status_code == dashboard
    assert client.get(reverse("evaluation:export-cases", args=[YEAR, "csv"])).status_code == dashboard
    assert client.post(reverse("evaluation:reports"), {"year": YEAR}).status_code == generate
    assert client.post(reverse("evaluation:report-finalise", args=[ready.pk])).status_code in {302, 403}
    if persona != "secretariat":
        assert client.post(reverse("evaluation:report-finalise", args=[ready.pk])).status_code == 403
        url = reverse("evaluation:report-recommendations", args=[ready.pk])
        assert client.post(url, {"recommendations": "x"}).status_code == 403


def test_the_approve_button_is_for_the_two_parties_only(client, personas, ready):
    ready.set_recommendations(text="Lanjutkan.", by=personas["secretariat"])
    ready.finalise(by=personas["secretariat"])
    client.force_login(personas["owner"])
    assert client.post(reverse("evaluation:report-approve", args=[ready.pk])).status_code == 403
    client.force_login(personas["bpjs"])
    assert "Setujui laporan" in client.get(reverse("evaluation:report", args=[ready.pk])).text


def test_dashboard_shows_the_report_charts_and_filters(client, personas, year_data):
    client.force_login(personas["leadership"])
    page = client.get(reverse("evaluation:dashboard"), {"year": YEAR}).text
    assert page.count("<svg") == 2 and "Capaian per program" in page and "Status penanggung jawab" in page
    assert "style=" not in page.split("<main", 1)[1]  # CSP: no inline styles
    assert "1c. " in page and "<td>DPPKUKM</td>" in page and "Tidak terlaksana" in page
    assert "Teridentifikasi" in page and "Rekomendasi TMP2T terbit" in page  # the compliance funnel
    assert "<strong>1a</strong>" in page  # not done, and who holds it up
    dishub = year_data["submitted"].unit.organization
    fragment = client.get(reverse("evaluation:dashboard"), {"unit": dishub.pk}, HTTP_HX_REQUEST="true").text
    assert "<html" not in fragment and "<td>Dishub</td>" in fragment and "<td>DPPKUKM</td>" not in fragment


def test_exports_neutralise_formulas(client, personas, year_data):
    year_data["submitted"].obstacles = '=HYPERLINK("http://evil","klik")'
    year_data["submitted"].save()
    client.force_login(personas["secretariat"])
    response = client.get(reverse("evaluation:export-quarters", args=[YEAR]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kode", "Kegiatan", "Penanggung jawab", "Triwulan")
    assert len(rows) == 3  # header, the approved and the submitted report
    assert '\'=HYPERLINK("http://evil","klik")' in [cell for row in rows for cell in row]
    matrix = load_workbook(io.BytesIO(client.get(reverse("evaluation:export-matrix")).content)).active
    header, *body = list(matrix.iter_rows(values_only=True))
    assert header[4:] == ("2025", "2026", "2027", "2028", "2029")
    assert ("1a", "Disnakertransgi", "Tidak terlaksana") in [(r[0], r[3], r[4]) for r in body]


def test_the_command_writes_the_pdf_without_storing_a_version(year_data, tmp_path, capsys):
    target = tmp_path / "monev-2025.pdf"
    call_command("evaluation_report", "--year", str(YEAR), "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-") and not EvaluationReport.objects.exists()
    assert "halaman, SHA-256" in capsys.readouterr().out
    with pytest.raises(Exception, match="di luar rencana kerja"):
        call_command("evaluation_report", "--year", "2031", "--output", str(target))


def test_the_history_page_makes_the_same_few_queries_for_many_versions(
    client, personas, ready, django_assert_max_num_queries
):
    for version in range(2, 8):
        EvaluationReport.objects.create(
            agreement=ready.agreement, year=YEAR, version=version, requested_by=personas["secretariat"]
        )
    client.force_login(personas["owner"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("evaluation:reports")).text
    assert "versi 7" in page and "Buat laporan" not in page  # dinas staff read, never generate


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_case_list_export_is_the_annex_with_formulas_neutralised(client, personas, year_data, file_format):
    client.force_login(personas["secretariat"])
    response = client.get(reverse("evaluation:export-cases", args=[YEAR, file_format]))
    assert response.status_code == 200 and f"kasus-kepatuhan-{YEAR}.{file_format}" in response["Content-Disposition"]
    if file_format == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0][:4]) == ["No", "Pemberi kerja", "NPP", "Wilayah"] and rows[0][7] == "No. rekomendasi"
    names = [row[1] for row in rows[1:]]
    assert names == ["PT Alfa Sentosa", "PT Beta Makmur", '\'=HYPERLINK("http://x") CV Gamma']
    assert [str(row[0]) for row in rows[1:]] == ["1", "2", "3"]
    assert "e-0417/PN.01.00" in [row[7] for row in rows[1:]]


def test_the_case_list_export_is_for_the_dashboard_roles_and_years_of_the_term(client, personas, year_data):
    client.force_login(personas["owner"])
    assert client.get(reverse("evaluation:export-cases", args=[YEAR, "csv"])).status_code == 403
    client.force_login(personas["secretariat"])
    assert client.get(reverse("evaluation:export-cases", args=[YEAR, "pdf"])).status_code == 404
    assert client.get(reverse("evaluation:export-cases", args=[1999, "csv"])).status_code == 404
