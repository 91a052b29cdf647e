"""The list upload through the browser, the API and the management command."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.models import NonComplianceUpload, SanctionCase

pytestmark = pytest.mark.django_db

GOOD = b"NPP;Nama Perusahaan;Kota;Kategori\nJJ000001;PT Maju Jaya;Jakarta Selatan;PWBD\n"
BAD = b"NPP;Nama Perusahaan;Kota;Kategori\nJJ000001;PT Maju Jaya;Bandung;PWBD\n"


def csv(content, name="daftar.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_bpjs_uploads_a_list_in_the_browser(client, people):
    client.force_login(people["bpjs"])
    assert client.get(reverse("compliance:upload")).status_code == 200
    response = client.post(reverse("compliance:upload"), {"file": csv(GOOD)})
    assert response.status_code == 200
    assert "1 kasus baru" in response.content.decode()
    assert SanctionCase.objects.count() == 1
    assert "Unggah daftar ketidakpatuhan" in client.get(reverse("compliance:cases")).content.decode()


def test_a_refused_list_shows_its_errors_and_offers_the_report(client, people):
    client.force_login(people["bpjs"])
    response = client.post(reverse("compliance:upload"), {"file": csv(BAD)})
    page = response.content.decode()
    assert response.status_code == 400 and "Kota tidak dikenal" in page and "Bandung" in page
    upload = NonComplianceUpload.objects.get()
    report = client.get(reverse("compliance:upload-errors", args=[upload.pk, "csv"]))
    assert report.status_code == 200 and "Kota tidak dikenal" in report.content.decode("utf-8-sig")
    assert client.get(reverse("compliance:upload-errors", args=[upload.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("who", ["sekretariat", "dpmptsp", "pimpinan", "dishub"])
def test_only_bpjs_uploads_lists(client, people, who):
    client.force_login(people[who])
    assert client.post(reverse("compliance:upload"), {"file": csv(GOOD)}).status_code == 403
    assert not SanctionCase.objects.exists()


def test_agencies_cannot_read_upload_error_reports(client, people):
    client.force_login(people["bpjs"])
    client.post(reverse("compliance:upload"), {"file": csv(BAD)})
    upload = NonComplianceUpload.objects.get()
    client.force_login(people["dpmptsp"])
    assert client.get(reverse("compliance:upload-errors", args=[upload.pk, "csv"])).status_code == 404


def test_the_api_applies_checks_and_refuses(people):
    api = APIClient()
    api.force_authenticate(people["bpjs"])
    dry = api.post("/api/compliance/uploads/", {"file": csv(GOOD), "dry_run": "true"}, format="multipart")
    assert dry.status_code == 200 and dry.json()["stored"] is False
    applied = api.post("/api/compliance/uploads/", {"file": csv(GOOD)}, format="multipart")
    assert applied.status_code == 201 and applied.json()["cases_opened"] == 1
    again = api.post("/api/compliance/uploads/", {"file": csv(GOOD)}, format="multipart")
    assert again.status_code == 201 and again.json()["cases_opened"] == 0 and again.json()["cases_existing"] == 1
    refused = api.post("/api/compliance/uploads/", {"file": csv(BAD)}, format="multipart")
    assert refused.status_code == 400 and refused.json()["errors"][0]["column"] == "Kota"
    api.force_authenticate(people["sekretariat"])
    assert api.post("/api/compliance/uploads/", {"file": csv(GOOD)}, format="multipart").status_code == 403


def test_the_command_prints_a_json_summary_and_exits_1_when_refused(people, tmp_path):
    good, bad = tmp_path / "baik.csv", tmp_path / "salah.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(BAD)
    out = io.StringIO()
    call_command("compliance_upload", str(good), "--user", "bpjs", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["accepted"], summary["cases_opened"]) == (True, 1)
    with pytest.raises(SystemExit) as exit_:
        call_command("compliance_upload", str(bad), "--user", "bpjs", stdout=io.StringIO())
    assert exit_.value.code == 1
    out = io.StringIO()
    call_command("compliance_upload", str(good), "--user", "bpjs", "--dry-run", stdout=out)
    assert json.loads(out.getvalue())["stored"] is False


def test_the_command_refuses_a_user_who_is_not_bpjs(people, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "baik.csv"
    path.write_bytes(GOOD)
    with pytest.raises(CommandError, match="bukan petugas BPJS"):
        call_command("compliance_upload", str(path), "--user", "dishub")
