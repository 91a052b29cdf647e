"""Damaged lists found by the assurance corpus: recorded as refused with row errors, never a crash."""

import io

import pytest

from compliance.models import NonComplianceUpload, SanctionCase
from compliance.uploads import noncompliance_list_upload

pytestmark = pytest.mark.django_db
HEADER = "NPP;Nama Perusahaan;Kota;Kategori"


def upload(people, content: bytes, name: str = "daftar.csv"):
    return noncompliance_list_upload(file=io.BytesIO(content), filename=name, by=people["bpjs"], source="perintah")


def test_nul_bytes_in_cells_are_reported_not_stored_raw(people) -> None:
    outcome = upload(people, f"{HEADER}\nJJ1;PT A\x00;Jakarta Timur;PW\x00BD\n".encode("utf-32"))
    assert NonComplianceUpload.objects.get().accepted is False or outcome.result.accepted
    assert "\x00" not in str(NonComplianceUpload.objects.get().summary)


def test_a_windows_path_as_file_name_is_stored_under_its_last_part(people) -> None:
    outcome = upload(people, f"{HEADER}\nJJ1;PT A;Jakarta Timur;PWBD\n".encode(), name="..\\..\\windows\\daftar.csv")
    stored = NonComplianceUpload.objects.get()
    assert outcome.upload == stored and stored.file.name.endswith("daftar.csv") and ".." not in stored.file.name
    assert SanctionCase.objects.count() == int(outcome.result.accepted)


def test_superscript_digits_in_a_count_are_a_row_error(people) -> None:
    header = "NPP;Nama Perusahaan;Kota;Kategori;TK Terdaftar"
    outcome = upload(people, f"{header}\nJJ1;PT A;Jakarta Timur;PWBD;¹²\n".encode())
    assert not outcome.result.accepted and [e.row for e in outcome.result.errors] == [2]
