"""Checks an uploaded file passes before anything parses it (part of the pipeline in :mod:`core.tabular`).

Size, extension and content; for XLSX the zip directory, so that a zip bomb (huge declared
uncompressed size, or an absurd compression ratio) is refused without being inflated. Each
refusal is an :class:`UploadRejected` carrying an Indonesian message for the user.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
MIB = 1024 * 1024
CSV_EXTENSIONS = {".csv", ".tsv", ".txt"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}


class UploadRejected(Exception):
    """The file cannot be read at all. ``message`` is Indonesian and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UploadLimits:
    """What a file may cost before it is parsed. Defaults come from the settings ``UPLOAD_*``."""

    max_bytes: int = 10 * MIB
    max_uncompressed_bytes: int = 100 * MIB
    max_compression_ratio: int = 100
    max_zip_entries: int = 1000
    max_rows: int = 200_000
    # Tiny XML parts compress very well; the ratio is only judged on parts larger than this.
    ratio_floor_bytes: int = MIB

    @classmethod
    def from_settings(cls) -> UploadLimits:
        defaults = cls()
        return cls(
            max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", defaults.max_bytes),
            max_uncompressed_bytes=getattr(settings, "UPLOAD_MAX_UNCOMPRESSED_BYTES", defaults.max_uncompressed_bytes),
            max_compression_ratio=getattr(settings, "UPLOAD_MAX_COMPRESSION_RATIO", defaults.max_compression_ratio),
            max_rows=getattr(settings, "UPLOAD_MAX_ROWS", defaults.max_rows),
        )


def megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB".replace(".", ",")


def file_kind(filename: str) -> str:
    """``"csv"`` or ``"xlsx"`` from the file name, or :class:`UploadRejected`."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return "csv"
    if suffix in XLSX_EXTENSIONS:
        return "xlsx"
    if suffix in {".xls", ".ods"}:
        raise UploadRejected(
            _("Berkas %(name)s tidak didukung. Simpan ulang sebagai .xlsx atau .csv.") % {"name": filename}
        )
    raise UploadRejected(
        _("Jenis berkas %(name)s tidak didukung. Unggah berkas CSV (.csv) atau Excel (.xlsx).") % {"name": filename}
    )


def file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    end = file.seek(0, 2)
    file.seek(position)
    return end


def check_upload(file: IO[bytes], *, filename: str, limits: UploadLimits) -> str:
    """Reject what must not be parsed; return the kind (``csv``/``xlsx``) of an acceptable file."""
    kind = file_kind(filename)
    size = file_size(file)
    if size == 0:
        raise UploadRejected(_("Berkas %(name)s kosong.") % {"name": filename})
    if size > limits.max_bytes:
        raise UploadRejected(
            _("Berkas %(name)s terlalu besar: %(size)s, batasnya %(limit)s.")
            % {"name": filename, "size": megabytes(size), "limit": megabytes(limits.max_bytes)}
        )
    file.seek(0)
    head = file.read(CHUNK)
    file.seek(0)
    if kind == "xlsx":
        check_xlsx(file, head=head, filename=filename, size=size, limits=limits)
    else:
        check_csv_head(head, filename=filename)
    return kind


def check_csv_head(head: bytes, *, filename: str) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise UploadRejected(_("Berkas %(name)s berisi data Excel; beri nama berakhiran .xlsx.") % {"name": filename})
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in head:
        raise UploadRejected(_("Isi berkas %(name)s bukan teks CSV.") % {"name": filename})


def check_xlsx(file: IO[bytes], *, head: bytes, filename: str, size: int, limits: UploadLimits) -> None:
    """A real XLSX is a zip with a workbook part; its directory must promise a sane size."""
    invalid = _("Berkas %(name)s bukan berkas Excel (.xlsx) yang sah atau berkasnya rusak.") % {"name": filename}
    if not head.startswith(b"PK\x03\x04"):
        raise UploadRejected(invalid)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
        # NotImplementedError: a damaged directory that claims an unknown zip version.
        raise UploadRejected(invalid) from error
    finally:
        file.seek(0)
    if not any(entry.filename == "xl/workbook.xml" for entry in entries):
        raise UploadRejected(invalid)
    check_zip_directory(entries, size=size, limits=limits)


def check_zip_directory(entries: Sequence[zipfile.ZipInfo], *, size: int, limits: UploadLimits) -> None:
    """Zip-bomb guard, from the sizes the zip directory declares."""
    bomb = _("Berkas Excel ditolak: isinya setelah dibuka terlalu besar atau rasio kompresinya tidak wajar.")
    total = sum(entry.file_size for entry in entries)
    if len(entries) > limits.max_zip_entries or total > limits.max_uncompressed_bytes:
        raise UploadRejected(bomb)
    if total > limits.ratio_floor_bytes and total / size > limits.max_compression_ratio:
        raise UploadRejected(bomb)
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.ratio_floor_bytes and ratio > limits.max_compression_ratio:
            raise UploadRejected(bomb)
