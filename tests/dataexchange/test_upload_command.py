"""exchange_upload: the 2e list end to end, all or nothing, re-uploads, membership extract and matching."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command

from dataexchange import pipeline
from dataexchange.models import PersonRecord, Submission
from dataexchange.privacy import nik_token
from dataexchange.services import ExchangeError, change_report, submission_match, submission_process
from tests.dataexchange.conftest import VALID, csv_file, write, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = 0
    try:
        call_command("exchange_upload", "--stream", "2e", *args, str(path), stdout=out)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue())


def upload_list(path: Path, unit: str = "Dinsos", period: str = "2025Q3") -> tuple[int, dict[str, Any]]:
    return upload(path, "--period", period, "--unit", unit)


def upload_members(path: Path) -> tuple[int, dict[str, Any]]:
    return upload(path, "--unit", "BPJS Kanwil DKI", "--membership")


def test_clean_list_is_accepted_and_stored_with_masked_nik_and_hmac_token(streams: Any, tmp_path: Path) -> None:
    rows = [["Budi Santoso", VALID[0], "0812-3456-7890"], ["Siti Rahayu", VALID[1], ""]]
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file(rows)))
    assert (code, summary["rows"], summary["accepted"], summary["errors"]) == (0, 2, True, [])
    people = list(PersonRecord.objects.order_by("row"))
    assert [p.row for p in people] == [2, 3]
    assert people[0].nik_masked == "3171**********01"
    assert bytes(people[0].nik_hash) == nik_token(VALID[0])
    assert (people[0].phone_masked, people[1].phone_masked) == ("0812****7890", "")
    assert Submission.objects.get().period.delivered_at is not None


def test_every_bad_row_is_reported_and_nothing_is_stored(streams: Any, tmp_path: Path) -> None:
    rows = [
        ["Budi", VALID[0], "081234567890"],
        ["Siti", "3.17E+15", ""],
        ["", VALID[1], ""],
        ["Agus", "317101410785", "+1 202 555 0100"],
        ["Eko", VALID[0], ""],
    ]
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file(rows)))
    assert code == 1 and summary["accepted"] is False
    found = {(e["row"], e["column"]) for e in summary["errors"]}
    assert found == {(3, "NIK"), (4, "Nama"), (5, "NIK"), (5, "No. HP")}
    sci = next(e for e in summary["errors"] if e["row"] == 3)
    assert sci["value"] == "3.17E+15" and "notasi ilmiah" in sci["message"]
    assert PersonRecord.objects.count() == 0


def test_a_duplicate_nik_names_the_first_row(streams: Any, tmp_path: Path) -> None:
    rows = [["Budi", VALID[0], ""], ["Siti", VALID[1], ""], ["Budi lagi", VALID[0], ""]]
    code, summary = upload_list(write(tmp_path, "dup.csv", csv_file(rows)))
    assert code == 1
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(4, "NIK")]
    assert "baris 2" in summary["errors"][0]["message"]


def test_unrecognised_headers_list_expected_and_found(streams: Any, tmp_path: Path) -> None:
    code, summary = upload_list(write(tmp_path, "x.csv", csv_file([["a", "b"]], header=("Foo", "Bar"))))
    assert code == 1
    [error] = summary["errors"]
    assert error["row"] is None and "Nama, NIK, Nomor Handphone" in error["message"] and "Foo, Bar" in error["message"]


@pytest.mark.parametrize("header", [("NAMA", "nik", "Nomor HP"), ("Nama Lengkap", "N.I.K.", "no hp")])
def test_header_variants_semicolons_and_odd_formats_go_through_python(
    streams: Any, tmp_path: Path, header: tuple[str, ...]
) -> None:
    rows = [["Budi", " 3171-0141-0785-0001 ", "+62 812 3456 7890"], ["Siti", VALID[1], "(021) 5551234"]]
    code, summary = upload_list(write(tmp_path, "x.csv", csv_file(rows, header=header, sep=";")))
    assert (code, summary["errors"]) == (0, [])
    person = PersonRecord.objects.get(row=2)  # token and masks computed again from Python's normal form
    assert bytes(person.nik_hash) == nik_token(VALID[0])
    assert (person.nik_masked, person.phone_masked) == ("3171**********01", "0812****7890")


def staging_tables() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE %s ORDER BY 1", [pipeline.STAGE + "%"])
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.parametrize(
    "rows",
    [
        [["Budi", VALID[0], ""]],  # accepted
        [["Budi", "3.17E+15", ""]],  # rejected by a row
        [["Budi", VALID[0], ""]] * 3,  # over the row limit once staged
    ],
)
def test_no_staging_table_outlives_the_upload(
    streams: Any, tmp_path: Path, rows: list[list[str]], settings: Any
) -> None:
    settings.EXCHANGE_UPLOAD_MAX_ROWS = 2
    upload_list(write(tmp_path, "bpu.csv", csv_file(rows)))
    assert Submission.objects.get().status in {Submission.Status.ACCEPTED, Submission.Status.REJECTED}
    assert staging_tables() == []


def test_xlsx_with_a_title_row_takes_the_row_by_row_path(streams: Any, tmp_path: Path) -> None:
    content = xlsx_bytes([["Daftar BPU Dinsos"], ["Nama", "NIK", "No. HP"], ["Budi", VALID[0], "081234567890"],
                          ["Siti", 3171014107850001.0, ""]])  # fmt: skip
    code, summary = upload_list(write(tmp_path, "bpu.xlsx", content))
    assert code == 1
    [error] = summary["errors"]
    assert (error["row"], error["column"]) == (4, "NIK")


def test_same_file_twice_is_recognised(streams: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[0], ""]]))
    first = upload_list(path)[1]
    again = upload_list(path)[1]
    assert again["submission"] == first["submission"]
    assert Submission.objects.count() == 1 and PersonRecord.objects.count() == 1


def test_matching_against_the_membership_extract(streams: Any, tmp_path: Path) -> None:
    members = csv_file([[VALID[0], "Aktif", "2025-06"], [VALID[1], "Non Aktif", "2024-12"]],
                       header=("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir"))  # fmt: skip
    assert upload_members(write(tmp_path, "m.csv", members))[0] == 0
    rows = [[f"Orang {i}", nik, ""] for i, nik in enumerate(VALID)]
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file(rows)))
    assert code == 0
    assert summary["matching"] == {"registered_active": 1, "registered_inactive": 1, "not_registered": 2}
    status = dict(PersonRecord.objects.values_list("row", "match_status"))
    assert status == {2: "aktif", 3: "nonaktif", 4: "belum", 5: "belum"}


def test_membership_with_unknown_status_is_rejected(streams: Any, tmp_path: Path) -> None:
    members = csv_file([[VALID[0], "mungkin", "2025-06"]], header=("NIK", "Status", "Bulan Iuran Terakhir"))
    code, summary = upload_members(write(tmp_path, "m.csv", members))
    assert code == 1 and summary["errors"][0]["column"] == "Status"


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: the code after it never runs."""


def test_a_worker_killed_while_storing_leaves_nothing_and_the_retry_completes(streams: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[0], ""], ["Siti", VALID[1], ""]]))
    with mock.patch.object(pipeline, "store_people", side_effect=WorkerKilled), pytest.raises(WorkerKilled):
        upload_list(path)
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.RECEIVED and PersonRecord.objects.count() == 0
    assert submission_process(submission_id=submission.pk).status == Submission.Status.ACCEPTED
    assert PersonRecord.objects.count() == 2


def test_unit_that_is_not_a_sender_is_a_usage_error(streams: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "bpu.csv", csv_file([["Budi", VALID[0], ""]]))
    with pytest.raises(Exception, match="bukan pengirim"):
        call_command("exchange_upload", "--stream", "2e", "--period", "2025Q3", "--unit", "Citata", str(path))


def test_a_list_stored_before_the_extract_is_matched_again_when_it_arrives(streams: Any, tmp_path: Path) -> None:
    rows = [[f"Orang {i}", nik, ""] for i, nik in enumerate(VALID)]
    code, summary = upload_list(write(tmp_path, "bpu.csv", csv_file(rows)))
    assert code == 0 and "matching" not in summary
    members = csv_file([[VALID[2], "aktif", ""], [VALID[3], "non-aktif", "03/2025"]],
                       header=("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir"))  # fmt: skip
    assert upload_members(write(tmp_path, "m.csv", members))[0] == 0
    matched = submission_match(submission_id=summary["submission"])
    assert (matched.matched_active, matched.matched_inactive, matched.not_registered) == (1, 1, 2)
    again = submission_match(submission_id=summary["submission"])  # nothing changes the second time
    assert (again.matched_active, again.matched_inactive, again.not_registered) == (1, 1, 2)
    assert dict(PersonRecord.objects.values_list("row", "match_status")) == {2: "belum", 3: "belum", 4: "aktif",
                                                                            5: "nonaktif"}  # fmt: skip


def test_quarter_on_quarter_change_between_two_extracts(streams: Any, tmp_path: Path) -> None:
    header = ("NIK", "Status Kepesertaan", "Bulan Iuran Terakhir")
    before = [[VALID[0], "Aktif", ""], [VALID[1], "Non Aktif", ""], [VALID[2], "Aktif", ""]]
    upload_members(write(tmp_path, "q2.csv", csv_file(before, header=header)))
    code, summary = upload_list(
        write(tmp_path, "bpu.csv", csv_file([[f"O{i}", nik, ""] for i, nik in enumerate(VALID)]))
    )
    assert code == 0
    with pytest.raises(ExchangeError):
        change_report(submission_id=summary["submission"])
    after = [[VALID[0], "Non Aktif", ""], [VALID[1], "Aktif", ""], [VALID[2], "Aktif", ""]]
    upload_members(write(tmp_path, "q3.csv", csv_file(after, header=header)))
    assert change_report(submission_id=summary["submission"]) == {
        "newly_inactive": 1, "reactivated": 1, "newly_registered": 0, "still_not_registered": 1, "unchanged": 1,
    }  # fmt: skip
