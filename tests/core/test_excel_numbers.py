"""A NIK that a spreadsheet stored as a number is rejected with the reason, never silently altered."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from core.identifiers import IdentifierError, validate_nik
from core.rowerrors import RowErrors
from core.tabular import Column, Row, validate_table

COLUMNS = [Column("name", "Nama"), Column("nik", "NIK")]


def _xlsx(*rows: list[object]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "NIK"])
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def _check(row: Row, errors: RowErrors) -> str | None:
    try:
        return validate_nik(row["nik"])
    except IdentifierError as error:
        row.error(errors, "nik", str(error.message))
        return None


@pytest.mark.parametrize("number", [3171234567890001, 3171234567890000])
def test_numeric_nik_cell_is_rejected_with_the_reason(number: int) -> None:
    result = validate_table(file=_xlsx(["Ani", number]), filename="bpu.xlsx", columns=COLUMNS, check=_check)

    assert result.items == []
    [error] = list(result.errors)
    assert error.row == 2
    assert error.column == "NIK"
    assert "E+15" in error.value
    assert "angka" in error.message.lower() or "excel" in error.message.lower()


def test_nik_typed_as_text_passes() -> None:
    result = validate_table(file=_xlsx(["Ani", "3171234507900001"]), filename="bpu.xlsx", columns=COLUMNS, check=_check)

    assert not list(result.errors)
    assert result.items == ["3171234507900001"]
