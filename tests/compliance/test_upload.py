"""Non-compliance lists: headers, row errors, all or nothing, matching, idempotency, warnings."""

import datetime
import io

import openpyxl
import pytest

from compliance.models import CaseEvent, NonComplianceUpload, SanctionCase
from compliance.states import Status
from compliance.uploads import noncompliance_list_upload, parse_categories, parse_date
from registry.models import Employer
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 7, 1)

HEADER = (
    "NPP;Nama Perusahaan;NIB;NPWP;Alamat;Kota;Kategori;TK Terdaftar;TK Seharusnya;Tunggakan;Periode;"
    "Tanggal Teguran 1;Tanggal Teguran 2"
)


def csv_file(*rows, header=HEADER):
    return io.BytesIO("\n".join([header, *rows]).encode("utf-8"))


def upload(people, file, name="daftar.csv", **kwargs):
    kwargs.setdefault("today", TODAY)
    return noncompliance_list_upload(file=file, filename=name, by=people["bpjs"], source="perintah", **kwargs)


def errors_of(outcome):
    return [(e.row, e.column, e.message) for e in outcome.result.errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PWBD", ["pwbd"]),
        ("PDS-TK", ["pds_tk"]),
        ("PDS Tenaga Kerja", ["pds_tk"]),
        ("pds upah", ["pds_upah"]),
        ("PDS Program dan Piutang", ["pds_program", "tunggakan"]),
        ("PDS Upah, PDS Program; Tunggakan", ["pds_upah", "pds_program", "tunggakan"]),
    ],
)
def test_categories_are_read_in_their_common_spellings(text, expected):
    assert parse_categories(text) == (expected, [])


def test_unknown_categories_are_named():
    assert parse_categories("PWBD, Lalai") == (["pwbd"], ["Lalai"])


@pytest.mark.parametrize("text", ["2025-06-02", "02/06/2025", "2-6-2025", "2 Juni 2025", "2025-06-02 00:00:00"])
def test_dates_are_read_in_the_usual_forms(text):
    assert parse_date(text) == datetime.date(2025, 6, 2)


def test_an_accepted_list_creates_employers_and_one_case_per_category(people):
    outcome = upload(
        people,
        csv_file(
            "JJ000001;PT Maju Jaya;9120001234567;;Jl. Sudirman 1;Jakarta Selatan;PDS Program dan Piutang;10;25;"
            "Rp 15.000.000;2025-05;;",
            ";CV Belum Daftar;;;Jl. Kramat 2;3173;PWBD;;12;;2025-05;;",
        ),
    )
    assert outcome.result.accepted, errors_of(outcome)
    assert outcome.counts == {"employers_created": 2, "cases_opened": 3, "cases_existing": 0, "name_reviews": 0}
    maju = Employer.objects.get(npp="JJ000001")
    assert (maju.nib, maju.region.kode_bps) == ("9120001234567", "3171")
    arrears = SanctionCase.objects.get(employer=maju, category="tunggakan")
    assert (arrears.arrears_amount, arrears.registered_workers, arrears.expected_workers) == (15000000, 10, 25)
    assert Employer.objects.get(name="CV Belum Daftar").region.kode_bps == "3173"
    record = NonComplianceUpload.objects.get()
    assert record.accepted and record.rows == 2 and record.summary["cases_opened"] == 3 and len(record.sha256) == 64


def test_uploading_the_same_list_again_changes_nothing(people):
    rows = ("JJ000001;PT Maju Jaya;;;;Jakarta Selatan;PWBD;;;;;2025-06-02;2025-06-17",)
    upload(people, csv_file(*rows))
    events = CaseEvent.objects.count()
    again = upload(people, csv_file(*rows))
    assert again.counts == {"employers_created": 0, "cases_opened": 0, "cases_existing": 1, "name_reviews": 0}
    assert CaseEvent.objects.count() == events
    assert Employer.objects.count() == 1 and SanctionCase.objects.count() == 1


def test_warnings_already_given_become_the_cases_warnings(people):
    upload(people, csv_file("JJ000001;PT Maju Jaya;;;;Jakarta Selatan;PWBD;;;;;2025-06-02;2025-06-17"))
    case = SanctionCase.objects.get()
    assert (case.status, case.warning_1_on, case.warning_2_on) == (
        Status.WARNING_2,
        datetime.date(2025, 6, 2),
        datetime.date(2025, 6, 17),
    )
    assert case.deadline == datetime.date(2025, 7, 1)
    assert list(case.events.values_list("actor__username", flat=True)) == ["bpjs", "bpjs", "bpjs"]


def test_rows_are_matched_to_the_registry_by_identifier_then_name_and_city(people):
    by_nib = EmployerFactory(name="PT Lama Sekali", npp="", nib="9120001234567")
    by_name = EmployerFactory(name="PT Sentosa Abadi", npp="")
    outcome = upload(
        people,
        csv_file(
            ";Lama Sekali (Persero);9120001234567;;;Jakarta Pusat;PWBD;;;;;;",
            "JJ777777;SENTOSA ABADI, PT;;;;Jaksel;PDS Upah;;;;;;",
        ),
    )
    assert outcome.result.accepted, errors_of(outcome)
    assert outcome.counts["employers_created"] == 0
    by_name.refresh_from_db()
    assert by_name.npp == "JJ777777"  # filled in, since the registry had none
    assert SanctionCase.objects.filter(employer=by_nib, category="pwbd").exists()
    assert by_nib.aliases.filter(name="Lama Sekali (Persero)").exists() is False  # same normalised name


def test_one_bad_row_rejects_the_whole_list_and_every_error_is_reported(people):
    outcome = upload(
        people,
        csv_file(
            "JJ000001;PT Baik;;;;Jakarta Selatan;PWBD;;;;;;",
            "JJ000002;;12345;;;Bandung;Lalai;banyak;;Rp 1.500,50;;2025-13-01;",
            "JJ000003;PT Teguran;;;;Jakarta Timur;PWBD;;;;;2025-06-02;2025-06-10",
        ),
    )
    assert not outcome.result.accepted and outcome.upload is not None and not outcome.upload.accepted
    found = {(row, column) for row, column, _message in errors_of(outcome)}
    assert found >= {
        (3, "Nama Perusahaan"),
        (3, "NIB"),
        (3, "Kota"),
        (3, "Kategori"),
        (3, "Tunggakan"),
        (3, "Tanggal Teguran 1"),
        (4, "Tanggal Teguran 2"),
    }
    assert Employer.objects.count() == 0 and SanctionCase.objects.count() == 0
    messages = dict(((row, column), message) for row, column, message in errors_of(outcome))
    assert "sesudah teguran I berakhir (16 Juni 2025)" in messages[(4, "Tanggal Teguran 2")]


def test_a_repeated_employer_and_category_is_refused(people):
    outcome = upload(
        people,
        csv_file("JJ000001;PT A;;;;Jakarta Selatan;PWBD;;;;;;", "jj000001;PT A;;;;Jakarta Selatan;PWBD, Piutang;;;;;;"),
    )
    assert errors_of(outcome) == [(3, "Kategori", "Pemberi kerja dan kategori ini sudah ada di baris 2.")]


def test_an_identifier_that_contradicts_the_registry_is_refused(people):
    EmployerFactory(npp="JJ000001", nib="9120001234567")
    outcome = upload(people, csv_file("JJ000001;PT A;9120009999999;;;Jakarta Selatan;PWBD;;;;;;"))
    assert [(row, column) for row, column, _m in errors_of(outcome)] == [(2, "NIB")]


def test_headers_are_recognised_in_their_variants_and_below_a_title(people):
    header = "Nama Pemberi Kerja,No NPP,Wilayah Kota,Jenis Ketidakpatuhan,Jumlah TK Terdaftar"
    file = io.BytesIO(
        "\n".join(
            ["Daftar Ketidakpatuhan Kanwil DKI,,,,", header, "PT Varian,JJ000009,Jakarta Barat,PDS TK,3"]
        ).encode()
    )
    outcome = upload(people, file)
    assert outcome.result.accepted, errors_of(outcome)
    assert SanctionCase.objects.get().registered_workers == 3


def test_a_file_without_the_needed_columns_is_one_file_error(people):
    outcome = upload(people, io.BytesIO(b"Perusahaan;Alamat\nPT A;Jl. B\n"))
    (error,) = outcome.result.errors
    assert error.row is None and "Kota" in error.message and "Kategori" in error.message


def test_xlsx_lists_are_read_too(people):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NPP", "Nama Perusahaan", "Kota", "Kategori", "Tanggal Teguran 1"])
    sheet.append(["JJ000010", "PT Excel", "Jakarta Utara", "PDS Upah", datetime.datetime(2025, 6, 2)])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    outcome = upload(people, data, name="daftar.xlsx")
    assert outcome.result.accepted, errors_of(outcome)
    assert SanctionCase.objects.get().warning_1_on == datetime.date(2025, 6, 2)


def test_a_dry_run_checks_and_records_nothing(people):
    outcome = upload(people, csv_file("JJ000001;PT A;;;;Jakarta Selatan;PWBD;;;;;;"), dry_run=True)
    assert outcome.result.accepted and not outcome.result.stored
    assert not NonComplianceUpload.objects.exists() and not Employer.objects.exists()


def test_rows_of_one_new_employer_create_it_once(people):
    outcome = upload(
        people,
        csv_file(
            ";PT Baru Sekali;9120001234567;;;Jakarta Selatan;PWBD;;;;;;",
            "JJ000050;PT Baru Sekali;9120001234567;;;Jakarta Selatan;Piutang;;;;;;",
        ),
    )
    assert outcome.result.accepted, errors_of(outcome)
    assert outcome.counts == {"employers_created": 1, "cases_opened": 2, "cases_existing": 0, "name_reviews": 0}
    assert Employer.objects.get().nib == "9120001234567"


def test_a_new_employer_with_a_name_like_a_known_one_is_flagged_for_review(people):
    EmployerFactory(name="PT Maju Jaya Abadi", npp="")
    outcome = upload(people, csv_file(";PT Maju Jaya Abdi;;;;Jakarta Selatan;PWBD;;;;;;"))
    assert outcome.counts["employers_created"] == 1
    (note,) = outcome.notes
    assert note.startswith("Baris 2: pemberi kerja baru, tetapi namanya mirip PT Maju Jaya Abadi")


def test_an_upload_of_many_rows_takes_a_bounded_number_of_queries(people, django_assert_max_num_queries):
    rows = [f"JJ{n:06d};PT Nomor {n};;;;Jakarta Timur;PDS Upah;{n};{n + 5};;2025-06;;" for n in range(300)]
    with django_assert_max_num_queries(60):
        outcome = upload(people, csv_file(*rows))
    assert outcome.counts == {"employers_created": 300, "cases_opened": 300, "cases_existing": 0, "name_reviews": 0}
