"""The COPY fast path and the row-by-row path of core.tabular_copy stage the same rows with the same numbers."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from core.tabular import Column
from core.tabular_copy import stage_table
from core.upload_checks import UploadLimits, UploadRejected

pytestmark = pytest.mark.django_db
COLUMNS = (Column("name", "Nama"), Column("nik", "NIK"), Column("phone", "No. HP", required=False))


def staged(tmp_path: object, name: str, content: bytes) -> tuple[bool, list[tuple[object, ...]]]:
    path = tmp_path / name  # type: ignore[operator]
    path.write_bytes(content)
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as file:
        stage = stage_table(cursor, file=file, filename=name, columns=COLUMNS, table="t_stage", limits=UploadLimits())
        name_col, nik_col = stage.column("name"), stage.column("nik")
        cursor.execute(f"SELECT row, btrim({name_col}), btrim({nik_col}) FROM t_stage ORDER BY row")  # noqa: S608
        return stage.bulk, cursor.fetchall()


@pytest.mark.parametrize(
    "content",
    [
        b'Nama,NIK,No. HP\r\nBudi,3171,0812\r\n,,\r\nSiti,"31,72",\r\n',
        "\ufeffNama;NIK;No. HP\nBudi;3171;0812\n;;\nSiti;31,72;\n".encode(),
        "Nama\tNIK\tNo. HP\nBudi\t3171\t0812\n\t\t\nSiti\t31,72\t\n".encode("cp1252"),
    ],
)
def test_fast_path_numbers_rows_as_the_reader_does_and_skips_blank_rows(tmp_path: object, content: bytes) -> None:
    bulk, rows = staged(tmp_path, "x.csv", content)
    assert bulk is True
    assert rows == [(2, "Budi", "3171"), (4, "Siti", "31,72")]


def test_title_rows_and_ragged_rows_take_the_row_by_row_path(tmp_path: object) -> None:
    bulk, rows = staged(tmp_path, "x.csv", b"Daftar BPU\nNama,NIK,No. HP\nBudi,3171,0812\nSiti,31\n")
    assert bulk is False and rows == [(3, "Budi", "3171"), (4, "Siti", "31")]
    bulk, rows = staged(tmp_path, "y.csv", b"Nama,NIK,No. HP\nBudi,3171,0812\nSiti,31\n")
    assert bulk is False and rows == [(2, "Budi", "3171"), (3, "Siti", "31")]


def test_rejections_are_the_pipelines(tmp_path: object) -> None:
    with pytest.raises(UploadRejected, match="Judul kolom tidak dikenali"):
        staged(tmp_path, "x.csv", b"Foo,Bar\n1,2\n")
