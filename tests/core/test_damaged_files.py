"""Damaged files found by the assurance corpus (docs/assurance.md): refused with a message, never a crash."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.rowerrors import RowError
from core.upload_checks import UploadLimits, UploadRejected, check_upload


def unknown_zip_version() -> bytes:
    """A workbook whose zip directory claims version 16.2: ``zipfile`` raises NotImplementedError."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buffer.getvalue())
    directory = data.index(b"PK\x01\x02")
    data[directory + 6 : directory + 8] = (162).to_bytes(2, "little")
    return bytes(data)


def test_a_zip_claiming_an_unknown_version_is_refused_as_a_damaged_workbook() -> None:
    with pytest.raises(UploadRejected, match="rusak"):
        check_upload(io.BytesIO(unknown_zip_version()), filename="daftar.xlsx", limits=UploadLimits())


def test_a_nul_byte_in_a_row_error_is_shown_as_a_symbol_postgresql_can_store() -> None:
    error = RowError(2, "Na\x00ma", "Bu\x00di", "salah")
    assert (error.column, error.value) == ("Na\u2400ma", "Bu\u2400di")
