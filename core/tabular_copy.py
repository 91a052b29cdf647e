"""The shared upload pipeline's bulk path: a checked CSV/XLSX file into a PostgreSQL staging table.

For uploads of a million rows (data exchange, DOMAIN.md section 3), where building a Python
object per row costs seconds. The file passes the same checks and header recognition as
:func:`core.tabular.read_table` (nothing is copied here), then lands in a temporary table
``<table>(row integer, c0 text, c1 text, ...)`` with one text column per column of the header
row, ``row`` numbered as :class:`core.tabular.RawRow` numbers it, and rows whose cells are all
empty left out, as :func:`core.tabular.iter_raw_rows` leaves them out:

* fast path: a CSV (UTF-8 or Windows-1252) whose header is its first record goes to PostgreSQL
  byte for byte through ``COPY ... (FORMAT csv, HEADER)``, which parses it at COPY speed;
* otherwise (XLSX, UTF-16, title rows above the header, a ragged row that COPY refuses) the
  rows read by :mod:`core.tabular` are written with ``COPY ... FROM STDIN`` row by row.

Cells are not trimmed on the fast path; the SQL that reads the table trims (``btrim``).
Call inside ``transaction.atomic()``. The table is temporary (``ON COMMIT DROP``), or with
``shared=True`` an ``UNLOGGED`` table that PostgreSQL's parallel workers can scan too (a temporary
table is private to its backend, so every query over it runs on one CPU); a shared table is
created in the caller's transaction, so a rollback removes it, and :func:`drop_staged` removes it
before a commit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import IO, Any

import psycopg
from django.db import transaction
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext as _

from core.tabular import (
    SNIFF_LINES,
    Column,
    HeaderMap,
    RawRow,
    detect_encoding,
    find_header,
    iter_raw_rows,
    sniff_delimiter,
    text_lines,
)
from core.upload_checks import CHUNK, UploadLimits, UploadRejected, file_kind

COPY_ENCODINGS = {"utf-8-sig": "UTF8", "cp1252": "WIN1252"}
MAX_COLUMNS = 1000


@dataclass(frozen=True)
class StagedTable:
    """Where the rows are: ``column(key)`` names the staging column holding a declared column."""

    table: str
    header: HeaderMap
    rows: int
    bulk: bool  # True when the file went through the fast path

    def column(self, key: str) -> str | None:
        position = self.header.index.get(key)
        return None if position is None else f"c{position}"


def stage_table(
    cursor: CursorWrapper,
    *,
    file: IO[bytes],
    filename: str,
    columns: Sequence[Column],
    table: str,
    limits: UploadLimits | None = None,
    shared: bool = False,
) -> StagedTable:
    """Check ``file``, recognise its header, and load its rows into the temporary table ``table``.

    Raises :class:`UploadRejected` as :func:`core.tabular.read_table` does. ``table`` is a
    plain identifier chosen by the caller, never user input.
    """
    limits = limits or UploadLimits.from_settings()
    raw = iter_raw_rows(file, filename=filename, limits=limits)
    header = find_header(raw, columns)
    width = max(header.width, *(position + 1 for position in header.index.values()))
    if width > MAX_COLUMNS:  # PostgreSQL's own limit is 1,600 columns per table
        raise UploadRejected(
            _("Berkas memiliki %(count)s kolom; paling banyak %(max)s.") % {"count": width, "max": MAX_COLUMNS}
        )
    persistence = "UNLOGGED" if shared else "TEMPORARY"
    _create(cursor, table, width, persistence)
    loaded = None
    if header.row == 1:
        loaded = _try_bulk(cursor, file, filename=filename, table=table, width=width, persistence=persistence)
    bulk = loaded is not None
    if loaded is None:
        loaded = _copy_rows(cursor, table, width, raw)
    blank = " AND ".join(f"coalesce(btrim(c{i}), '') = ''" for i in range(width))
    # the table name is the caller's identifier and the rest is built here: no user input in the SQL
    cursor.execute(f"DELETE FROM {table} WHERE {blank}")  # noqa: S608
    count = loaded - cursor.rowcount  # COPY's own count, not one more pass over the table
    if count > limits.max_rows:
        message = _("Berkas melebihi batas %(max)s baris.") % {"max": f"{limits.max_rows:,}".replace(",", ".")}
        raise UploadRejected(message)
    return StagedTable(table=table, header=header, rows=count, bulk=bulk)


def drop_staged(cursor: CursorWrapper, table: str) -> None:
    """Remove a staging table (and its row sequence) of this transaction; nothing happens if there is none."""
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"DROP SEQUENCE IF EXISTS {table}_row")


def _create(cursor: CursorWrapper, table: str, width: int, persistence: str) -> None:
    """A fresh table, also when an earlier upload in the same transaction (a test, a batch) left one."""
    drop_staged(cursor, table)
    cells = ", ".join(f"c{i} text" for i in range(width))
    on_commit = " ON COMMIT DROP" if persistence == "TEMPORARY" else ""
    cursor.execute(f"CREATE {persistence} TABLE {table} (row integer NOT NULL, {cells}){on_commit}")


def _try_bulk(cursor: CursorWrapper, file: IO[bytes], *, filename: str, table: str, width: int,
              persistence: str) -> int | None:  # fmt: skip
    """COPY the CSV as it is: the rows loaded, or ``None`` (nothing loaded) when the file is not for the fast path."""
    if file_kind(filename) != "csv":
        return None
    encoding = detect_encoding(file, filename=filename)
    if encoding not in COPY_ENCODINGS:
        return None
    delimiter = sniff_delimiter("".join(islice(text_lines(file, encoding), SNIFF_LINES)))
    quoted = "E'\\t'" if delimiter == "\t" else f"'{delimiter}'"
    cells = ", ".join(f"c{i}" for i in range(width))
    options = f"FORMAT csv, HEADER true, DELIMITER {quoted}, ENCODING '{COPY_ENCODINGS[encoding]}'"
    file.seek(0)
    try:
        with transaction.atomic():  # a savepoint: a refused COPY leaves the table empty
            cursor.execute(f"CREATE {persistence} SEQUENCE {table}_row START 2")
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN row SET DEFAULT nextval('{table}_row')")
            with cursor.cursor.copy(f"COPY {table} ({cells}) FROM STDIN ({options})") as copy:
                for chunk in iter(partial(file.read, CHUNK), b""):
                    copy.write(chunk)
            loaded = int(cursor.cursor.rowcount)
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN row DROP DEFAULT")
    except psycopg.DataError:  # ragged rows, stray quotes, bytes the encoding lacks
        return None
    return loaded


def _copy_rows(cursor: CursorWrapper, table: str, width: int, rows: Iterator[RawRow]) -> int:
    cells = ", ".join(f"c{i}" for i in range(width))
    with cursor.cursor.copy(f"COPY {table} (row, {cells}) FROM STDIN") as copy:
        for row in rows:
            # PostgreSQL text holds no NUL byte: a damaged file's NUL is staged as U+2400 and reported.
            values: list[Any] = [row.number, *(cell.replace("\x00", "\u2400") for cell in row.cells[:width])]
            values.extend([""] * (width + 1 - len(values)))
            copy.write_row(values)
    return int(cursor.cursor.rowcount)
