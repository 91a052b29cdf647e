"""Set-based processing of an uploaded list: staging table, validation in PostgreSQL, all-or-nothing store.

Called by :func:`dataexchange.services.submission_process` inside one transaction:

1. :func:`core.tabular_copy.stage_table` checks the file, recognises the headers and COPYs the rows
   into the submission's own ``UNLOGGED`` staging table (:func:`stage_name`; a temporary table
   would keep every scan on one CPU);
2. for a 2e list one parallel ``CREATE TABLE AS`` applies :mod:`core.identifiers_sql` to every row
   and computes what would be stored (token, masks); for the extract one scan validates. Only the
   rows the SQL cannot accept (usually none) are read back and judged again by the Python
   validators of :mod:`core.identifiers`, which word the messages and settle what the SQL left
   undecided;
3. a file with any error stores only its errors; a clean one is stored with one
   ``INSERT ... SELECT`` that also matches each NIK against BPJS's latest membership extract;
4. :func:`drop_stage` removes the staging tables before COMMIT (a rollback removes them anyway).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext as _

from core.identifiers import IdentifierError, looks_excel_truncated, validate_nik, validate_phone
from core.identifiers_sql import nik_plain_valid_sql, phone_plain_valid_sql
from core.rowerrors import RowError
from core.tabular import Column
from core.tabular_copy import StagedTable, drop_staged, stage_table
from core.upload_checks import UploadLimits
from dataexchange.privacy import hmac_pads, nik_token_sql

STAGE = "exchange_stage"
PEOPLE = "dataexchange_personrecord"  # partitioned by list (migration 0008)
MEMBERS = "dataexchange_membershiprecord"  # partitioned by extract (migration 0009)
NAME_MAX = 200
MEMBER_ACTIVE = ("aktif", "active", "ya", "1", "a")
MEMBER_INACTIVE = (
    "nonaktif",
    "non aktif",
    "non-aktif",
    "non_aktif",
    "tidak aktif",
    "inactive",
    "tidak",
    "0",
    "n",
    "na",
)


@dataclass
class Checked:
    """What validation found: rows read, every error, and how the SQL/Python split went."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    python_rows: int = 0  # rows the SQL rejected or left undecided, judged again in Python
    stage: StagedTable | None = None


def _message(error: IdentifierError) -> str:
    return str(error.messages[0])


def _cell(stage: StagedTable, key: str) -> str:
    return stage.column(key) or "NULL::text"


def _e164(column: str) -> str:
    """After validation a phone cell is plain national digits (``0812-3456 7890``) or Python's E.164."""
    return f"CASE WHEN left({column}, 1) = '+' THEN {column} ELSE '+62' || substr(translate({column}, ' -', ''), 2) END"


def stage_name(submission_id: int) -> str:
    """The submission's own staging table: shared (UNLOGGED) tables are visible by name to every session."""
    return f"{STAGE}_{int(submission_id)}"


def drop_stage(cursor: CursorWrapper, table: str) -> None:
    """Before COMMIT, whatever the outcome: the staging table ``table`` and its computed rows go (a
    rollback takes them anyway)."""
    cursor.execute(f"DROP TABLE IF EXISTS {table}_rows")
    drop_staged(cursor, table)


def _computed(stage: StagedTable) -> str:
    """The table of computed rows beside the staging table (see :func:`check_people`)."""
    return f"{stage.table}_rows"


def person_columns(nik: str, phone: str) -> dict[str, str]:
    """What is stored of a person's NIK and phone, as SQL over those cells (after validation: a plain
    16-digit NIK, a phone as national digits or E.164); bind ``inner``/``outer`` with :func:`hmac_parameters`."""
    has_phone = f"coalesce({phone}, '') <> ''"
    e164 = _e164(phone)
    return {
        "token": nik_token_sql(nik),
        "nik_masked": f"left({nik}, 4) || '**********' || right({nik}, 2)",
        "phone_masked": f"""CASE WHEN NOT {has_phone} THEN '' ELSE '0' || substr({e164}, 4, 3) ||
                              repeat('*', length({e164}) - 10) || right({e164}, 4) END""",
    }


def check_people(cursor: CursorWrapper, *, file: IO[bytes], filename: str, columns: Sequence[Column],
                 limits: UploadLimits, table: str) -> Checked:  # fmt: skip
    """Stage a 2e list (Nama, NIK, HP) into ``table``, validate it and compute what would be stored.

    One scan judges every row and computes its token and masks into ``<table>_rows``
    (:func:`store_people` joins that to the extract): a plain ``CREATE TABLE AS``, which
    PostgreSQL runs on both CPUs, where a validation scan followed by a storing scan ran twice on
    one. A rejected file has hashed its NIKs for nothing, and that table goes with the transaction.
    """
    checked = Checked()
    stage = checked.stage = stage_table(cursor, file=file, filename=filename, columns=columns, table=table,
                                        limits=limits, shared=True)  # fmt: skip
    checked.rows = stage.rows
    cursor.execute(f"ANALYZE {stage.table}")  # the planner's row count: it decides the parallel plan on it
    name, nik, phone = _cell(stage, "name"), _cell(stage, "nik"), _cell(stage, "phone")
    computed = _computed(stage)
    stored = ", ".join(f"{sql} AS {column}" for column, sql in person_columns(nik, phone).items())
    # Plain cells (16 digits; 0812-3456-7890) are judged here with core.identifiers_sql; the cells of
    # the other rows that the SQL did not accept go to the Python validators, which word the messages
    # and normalise what they accept.
    cursor.execute(
        f"""CREATE UNLOGGED TABLE {computed} AS
            SELECT row, btrim({name}) AS name, {stored}, {nik_plain_valid_sql(nik)} AS nik_ok,
                   coalesce({phone}, '') = '' OR {phone_plain_valid_sql(phone)} AS phone_ok
            FROM {stage.table}""",  # noqa: S608 - identifiers and SQL built here, no user input
        hmac_parameters(),
    )
    suspects = _suspects(cursor, stage, name=name, nik=nik, phone=phone)
    checked.python_rows = len(suspects)
    fixes = _judge_people(suspects, stage, checked.errors)
    _apply_fixes(cursor, stage, fixes)
    _recompute_people(cursor, stage, fixes)
    if not checked.errors:
        _check_duplicates(cursor, stage, checked.errors)
    _check_excel_column(cursor, stage, checked.errors)
    checked.errors.sort(key=lambda error: error.row or 0)
    return checked


def _suspects(cursor: CursorWrapper, stage: StagedTable, *, name: str, nik: str, phone: str) -> list[tuple[Any, ...]]:
    """The cells of the rows the SQL did not accept (usually none: then the staged rows are not read again)."""
    cursor.execute(
        f"""SELECT row, nik_ok, phone_ok FROM {_computed(stage)}
            WHERE NOT nik_ok OR NOT phone_ok OR coalesce(name, '') = '' OR length(name) > {NAME_MAX}"""  # noqa: S608
    )
    verdicts = {row: (nik_ok, phone_ok) for row, nik_ok, phone_ok in cursor.fetchall()}
    if not verdicts:
        return []
    cursor.execute(
        f"SELECT row, {name}, {nik}, {phone} FROM {stage.table} WHERE row = ANY(%s) ORDER BY row",  # noqa: S608
        [list(verdicts)],
    )
    return [(*cells, *verdicts[cells[0]]) for cells in cursor.fetchall()]


def hmac_parameters() -> dict[str, bytes]:
    inner, outer = hmac_pads()
    return {"inner": inner, "outer": outer}


def _judge_people(
    suspects: list[tuple[Any, ...]], stage: StagedTable, errors: list[RowError]
) -> list[tuple[int, str, str]]:
    """Python's verdict on the suspect rows; returns the normalised cells of rows it accepts after all."""
    fixes = []
    headers = stage.header.names
    for row, name, nik, phone, nik_ok, phone_ok in suspects:
        found = len(errors)
        if not (name or "").strip():
            errors.append(RowError(row, headers["name"], name or "", _("Nama wajib diisi.")))
        elif len(name.strip()) > NAME_MAX:
            errors.append(RowError(row, headers["name"], name, _("Nama paling panjang %d karakter.") % NAME_MAX))
        # A cell the SQL accepted is plain already (the agreement tests hold it to Python's verdict):
        # phonenumbers costs ~0.3 ms a number, so a bad NIK does not send its good phone to Python too.
        normal_nik = nik if nik_ok else _try(validate_nik, nik, row, headers["nik"], errors)
        normal_phone = (phone or "") if phone_ok else ""
        if not phone_ok and (phone or "").strip():
            normal_phone = _try(validate_phone, phone, row, headers.get("phone", "HP"), errors)
        if len(errors) == found:
            fixes.append((row, normal_nik, normal_phone))
    return fixes


def _try(validator: Callable[[object], str], value: str | None, row: int, column: str, errors: list[RowError]) -> str:
    try:
        return validator(value or "")
    except IdentifierError as error:
        errors.append(RowError(row, column, value or "", _message(error)))
        return ""


def _apply_fixes(cursor: CursorWrapper, stage: StagedTable, fixes: list[tuple[int, str, str]]) -> None:
    """Write Python's normalised NIK and phone back, so that the SQL store sees plain values."""
    if not fixes:
        return
    nik, phone = stage.column("nik"), stage.column("phone")
    assignments = f"{nik} = f.nik" + (f", {phone} = f.phone" if phone else "")
    # One UPDATE from arrays, not executemany: pghistory's context (every web request) prepends its
    # own parameters to each statement, which breaks executemany's list of parameter rows.
    cursor.execute(
        f"UPDATE {stage.table} SET {assignments} FROM {FIXED} WHERE {stage.table}.row = f.row",  # noqa: S608
        _fixed(fixes),
    )


def _recompute_people(cursor: CursorWrapper, stage: StagedTable, fixes: list[tuple[int, str, str]]) -> None:
    """The token and masks of the rows Python accepted after all, from their normalised NIK and phone."""
    if not fixes:
        return
    recomputed = ", ".join(f"{column} = {sql}" for column, sql in person_columns("f.nik", "f.phone").items())
    cursor.execute(
        f"""UPDATE {_computed(stage)} c SET {recomputed}, nik_ok = true, phone_ok = true
            FROM {FIXED} WHERE c.row = f.row""",  # noqa: S608 - identifiers built here, values as parameters
        {**_fixed(fixes), **hmac_parameters()},
    )


FIXED = "unnest(%(rows)s::integer[], %(niks)s::text[], %(phones)s::text[]) AS f(row, nik, phone)"


def _fixed(fixes: list[tuple[int, str, str]]) -> dict[str, list[Any]]:
    rows, niks, phones = (list(column) for column in zip(*fixes, strict=True))
    return {"rows": rows, "niks": niks, "phones": phones}


def _check_duplicates(cursor: CursorWrapper, stage: StagedTable, errors: list[RowError]) -> None:
    """After validation every NIK cell is 16 plain digits, so equal NIKs are equal cells."""
    nik = _cell(stage, "nik")
    # One hashed pass finds whether any NIK repeats (usually none); only then a second pass names the rows.
    # (The 16-character cells group faster than their 32-byte tokens: 0.64 s against 1.09 s a million.)
    cursor.execute(f"SELECT {nik} FROM {stage.table} GROUP BY 1 HAVING count(*) > 1 LIMIT 1")  # noqa: S608
    if cursor.fetchone() is None:
        return
    cursor.execute(
        f"""SELECT array_agg(row ORDER BY row), {nik} FROM {stage.table}
            WHERE {nik} IN (SELECT {nik} FROM {stage.table} GROUP BY 1 HAVING count(*) > 1) GROUP BY 2"""  # noqa: S608
    )
    for rows, value in cursor.fetchall():
        for row in rows[1:]:
            message = _("NIK ini sudah ada di baris %(first)s; setiap orang cukup satu kali.") % {"first": rows[0]}
            errors.append(RowError(row, stage.header.names["nik"], value, message))


def _check_excel_column(cursor: CursorWrapper, stage: StagedTable, errors: list[RowError]) -> None:
    """A whole column of 16-digit values ending in 0 lost its last digit to Excel (core.identifiers)."""
    nik = _cell(stage, "nik")
    cursor.execute(f"SELECT {nik} FROM {stage.table} WHERE right({nik}, 1) <> '0' LIMIT 1")  # noqa: S608
    if cursor.fetchone() is not None:
        return
    cursor.execute(f"SELECT {nik} FROM {stage.table} LIMIT 1000")  # noqa: S608
    if looks_excel_truncated([value or "" for (value,) in cursor.fetchall()]):
        errors.insert(0, RowError(None, stage.header.names["nik"], "", _(
            "Semua NIK berakhiran 0: Excel hanya menyimpan 15 digit angka sehingga digit terakhir hilang. "
            "Ubah format kolom NIK menjadi Teks lalu salin ulang dari sumber."
        )))  # fmt: skip


def store_people(
    cursor: CursorWrapper, *, stage: StagedTable, submission_id: int, membership_id: int | None
) -> dict[str, int]:
    """Store the validated rows as the list's own PersonRecord partition, matched against the extract.

    The rows go into a fresh table without indexes, which is then indexed once and attached
    (migration 0008): maintaining the two indexes row by row cost more than writing the rows.
    """
    computed = _computed(stage)
    cursor.execute(f"ANALYZE {computed}")  # one token per row: the join's estimate, so a hash join
    partition = _new_partition(cursor, PEOPLE, submission_id)
    ids = _id_sequence(cursor, PEOPLE)
    # The counts come back from the INSERT itself (RETURNING): no second pass over the million rows.
    cursor.execute(
        f"""WITH stored AS (INSERT INTO {partition}
              (id, submission_id, row, name, nik_hash, nik_masked, phone_masked, match_status)
            SELECT nextval('{ids}'::regclass), %(submission)s, c.row, c.name, c.token, c.nik_masked, c.phone_masked,
                   CASE WHEN %(membership)s = 0 THEN '' WHEN m.active THEN 'aktif' WHEN NOT m.active THEN 'nonaktif'
                        ELSE 'belum' END
            FROM {computed} c
            LEFT JOIN dataexchange_membershiprecord m ON m.nik_hash = c.token AND m.submission_id = %(membership)s
            RETURNING match_status)
            SELECT match_status, count(*) FROM stored GROUP BY 1""",  # noqa: S608
        {"submission": submission_id, "membership": membership_id or 0},
    )
    counts = dict(cursor.fetchall())
    _attach_partition(cursor, PEOPLE, partition, submission_id, keys=("(submission_id, id)", "(submission_id, row)"))
    return counts


def _new_partition(cursor: CursorWrapper, table: str, submission_id: int) -> str:
    """A bare table shaped like ``table`` for one submission's rows; attach it with :func:`_attach_partition`."""
    partition = f"{table}_{int(submission_id)}"
    # A table of that name can only be left over from a database whose ids were reset (tests): this
    # submission is processed once, under its row lock, so nothing else can own it.
    if _table_exists(cursor, partition):
        cursor.execute(f"DROP TABLE {partition}")
    # The CHECK lets ATTACH PARTITION skip its validating scan of the rows.
    cursor.execute(
        f"""CREATE TABLE {partition} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
              CONSTRAINT {partition}_list CHECK (submission_id = {int(submission_id)}))"""
    )
    return partition


def _table_exists(cursor: CursorWrapper, table: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    return bool(cursor.fetchone()[0])


def _id_sequence(cursor: CursorWrapper, table: str) -> str:
    """The sequence behind ``table``'s identity ``id``, read once: ``pg_get_serial_sequence`` in the row
    expression looked it up again for every row (measured: 5 s a million rows, ``'...'::regclass`` 0.8 s)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    name = str(cursor.fetchone()[0])
    if not name.replace("_", "").replace(".", "").isalnum():  # it goes into the SQL text as a literal
        raise ValueError(name)
    return name


def _attach_partition(cursor: CursorWrapper, table: str, partition: str, submission_id: int, *,
                      keys: Sequence[str]) -> None:  # fmt: skip
    """Index the filled partition once, as the parent's indexes (primary key first), and attach it."""
    primary, *others = keys
    cursor.execute(f"ALTER TABLE {partition} ADD PRIMARY KEY {primary}")
    for columns in others:
        cursor.execute(f"CREATE INDEX ON {partition} {columns}")
    # SHARE UPDATE EXCLUSIVE on the parent until COMMIT: readers go on, a second upload's attach waits.
    cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {partition} FOR VALUES IN ({int(submission_id)})")


def refresh_statistics(cursor: CursorWrapper, *, submission_id: int) -> None:
    """After a list or an extract is accepted: the new list partition's statistics, and the tokens'
    statistics of the two partitioned tables, which autovacuum never gathers for a partitioned parent.

    Without the parents' statistics PostgreSQL estimates every join on the tokens (re-match, change
    report) at its default selectivity, 1/200: measured on a 20,000-person list and two extracts, the
    change report's first page was planned as nested loops over the extracts (0.67 s, growing with
    the square of the rows) and as hash joins once they were gathered (0.04 s).
    """
    partition = f"{PEOPLE}_{int(submission_id)}"
    if _table_exists(cursor, partition):
        cursor.execute(f"ANALYZE {partition}")
    cursor.execute(f"ANALYZE {PEOPLE} (nik_hash), {MEMBERS} (nik_hash)")


def statistics_gathered_at(cursor: CursorWrapper) -> datetime.datetime | None:
    """When both partitioned parents were last analyzed (the older of the two), or None if never."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")  # this transaction may have read the statistics already
    cursor.execute(
        "SELECT min(greatest(last_analyze, last_autoanalyze)) FROM pg_stat_user_tables WHERE relname IN (%s, %s)",
        [PEOPLE, MEMBERS],
    )
    return cursor.fetchone()[0]


def count_matches(cursor: CursorWrapper, *, submission_id: int) -> dict[str, int]:
    cursor.execute(
        "SELECT match_status, count(*) FROM dataexchange_personrecord WHERE submission_id = %s GROUP BY 1",
        [submission_id],
    )
    return dict(cursor.fetchall())


def rematch(cursor: CursorWrapper, *, submission_id: int, membership_id: int) -> dict[str, int]:
    """Match an accepted list again against another extract; only the people whose status changes are written."""
    verdict = "CASE WHEN m.active THEN 'aktif' ELSE 'nonaktif' END"
    cursor.execute(
        f"""UPDATE dataexchange_personrecord p SET match_status = {verdict}
            FROM dataexchange_membershiprecord m
            WHERE p.submission_id = %(list)s AND m.submission_id = %(extract)s AND m.nik_hash = p.nik_hash
              AND p.match_status IS DISTINCT FROM {verdict}""",  # noqa: S608 - constant SQL
        {"list": submission_id, "extract": membership_id},
    )
    cursor.execute(
        """UPDATE dataexchange_personrecord p SET match_status = 'belum'
           WHERE p.submission_id = %(list)s AND p.match_status <> 'belum' AND NOT EXISTS (
             SELECT 1 FROM dataexchange_membershiprecord m
             WHERE m.submission_id = %(extract)s AND m.nik_hash = p.nik_hash)""",
        {"list": submission_id, "extract": membership_id},
    )
    return count_matches(cursor, submission_id=submission_id)


def match_counts(cursor: CursorWrapper, *, submission_id: int, membership_id: int) -> dict[str, int]:
    """The matching itself, without writing: per-status counts of a stored list against an extract."""
    cursor.execute(
        """SELECT CASE WHEN m.active THEN 'aktif' WHEN NOT m.active THEN 'nonaktif' ELSE 'belum' END, count(*)
           FROM dataexchange_personrecord p
           LEFT JOIN dataexchange_membershiprecord m ON m.nik_hash = p.nik_hash AND m.submission_id = %(extract)s
           WHERE p.submission_id = %(list)s GROUP BY 1""",
        {"list": submission_id, "extract": membership_id},
    )
    return dict(cursor.fetchall())


# --- BPJS membership extract ---------------------------------------------------------------------


def _status_sql(column: str) -> str:
    def values(words: tuple[str, ...]) -> str:
        return ", ".join("'" + word + "'" for word in words)

    def spellings(words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({form for word in words for form in (word, word.title(), word.upper())}))

    key = f"lower(btrim({column}))"
    # The spellings as written (Aktif, Non Aktif) are looked up as they are, before trimming and
    # lowering: a million rows cost 1.2 s through lower(btrim()), a fraction of that this way.
    return (f"CASE WHEN {column} IN ({values(spellings(MEMBER_ACTIVE))}) THEN true "
            f"WHEN {column} IN ({values(spellings(MEMBER_INACTIVE))}) THEN false "
            f"WHEN {key} IN ({values(MEMBER_ACTIVE)}) THEN true "
            f"WHEN {key} IN ({values(MEMBER_INACTIVE)}) THEN false END")  # fmt: skip


def _month_sql(column: str) -> str:
    """``2025-03``, ``2025-03-01``, ``03/2025`` or ``202503`` as the first of that month; blank is NULL."""
    text = f"btrim({column})"
    usual = ", ".join(f"'{y}-{m:02d}'" for y in range(1990, 2101) for m in range(1, 13))
    # The usual 2025-03 first, untrimmed, with one hashed lookup: the checks below with their repeated
    # btrim cost 3.8 s a million rows (measured), this 1.6 s; other forms fall through to them.
    return f"""CASE
      WHEN {column} IN ({usual}) THEN to_date({column}, 'YYYY-MM')
      WHEN coalesce({text}, '') = '' THEN NULL
      WHEN {text} ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])(-[0-9]{{2}})?$' THEN to_date(left({text}, 7), 'YYYY-MM')
      WHEN {text} ~ '^(0?[1-9]|1[0-2])/[0-9]{{4}}$' THEN to_date({text}, 'MM/YYYY')
      WHEN {text} ~ '^[0-9]{{4}}(0[1-9]|1[0-2])$' THEN to_date({text}, 'YYYYMM')
    END"""


def check_members(cursor: CursorWrapper, *, file: IO[bytes], filename: str, columns: Sequence[Column],
                  limits: UploadLimits, table: str) -> Checked:  # fmt: skip
    """Stage BPJS's extract (NIK, status aktif/non aktif, last month paid) into ``table`` and validate it."""
    checked = Checked()
    stage = checked.stage = stage_table(cursor, file=file, filename=filename, columns=columns, table=table,
                                        limits=limits, shared=True)  # fmt: skip
    checked.rows = stage.rows
    cursor.execute(f"ANALYZE {stage.table}")
    nik, status, paid = _cell(stage, "nik"), _cell(stage, "status"), _cell(stage, "last_paid")
    cursor.execute(
        f"""SELECT row, {nik}, {status}, {paid}, nik_ok, active, month FROM (
              SELECT row, {nik}, {status}, {paid}, {nik_plain_valid_sql(nik)} AS nik_ok,
                     {_status_sql(status)} AS active, {_month_sql(paid)} AS month FROM {stage.table}) v
            WHERE NOT nik_ok OR active IS NULL OR (month IS NULL AND coalesce(btrim({paid}), '') <> '')
            ORDER BY row"""  # noqa: S608
    )
    suspects = cursor.fetchall()
    checked.python_rows = len(suspects)
    headers = stage.header.names
    fixes = []
    for row, nik_value, status_value, paid_value, _v, active, month in suspects:
        found = len(checked.errors)
        normal = _try(validate_nik, nik_value, row, headers["nik"], checked.errors)
        if active is None:
            message = _("Status kepesertaan harus Aktif atau Non Aktif.")
            checked.errors.append(RowError(row, headers["status"], status_value or "", message))
        if month is None and (paid_value or "").strip():
            message = _("Bulan iuran terakhir tidak dikenali; tulis seperti 2025-03.")
            checked.errors.append(RowError(row, headers.get("last_paid", ""), paid_value, message))
        if len(checked.errors) == found:
            fixes.append((row, normal, ""))
    _apply_fixes(cursor, stage, fixes)
    if not checked.errors:
        _check_duplicates(cursor, stage, checked.errors)
    return checked


def store_members(cursor: CursorWrapper, *, stage: StagedTable, submission_id: int) -> None:
    """Store the validated extract as its own MembershipRecord partition (migration 0009), as a list is stored."""
    nik, status, paid = _cell(stage, "nik"), _cell(stage, "status"), _cell(stage, "last_paid")
    inner, outer = hmac_pads()
    partition = _new_partition(cursor, MEMBERS, submission_id)
    ids = _id_sequence(cursor, MEMBERS)
    cursor.execute(
        f"""INSERT INTO {partition} (id, submission_id, nik_hash, active, last_paid_month)
            SELECT nextval('{ids}'::regclass), %(submission)s, {nik_token_sql("n")}, {_status_sql(status)},
                   {_month_sql(paid)}
            FROM (SELECT *, {nik} AS n FROM {stage.table} OFFSET 0) d""",  # noqa: S608
        {"submission": submission_id, "inner": inner, "outer": outer},
    )
    _attach_partition(cursor, MEMBERS, partition, submission_id, keys=("(submission_id, id)", "(submission_id)"))
    cursor.execute(
        f"ANALYZE {partition}"
    )  # lists are joined against it next; the other extracts need no new statistics


def change_counts(cursor: CursorWrapper, *, submission_id: int, previous_id: int, current_id: int) -> dict[str, int]:
    """Quarter on quarter for the people of one list: newly inactive, reactivated, newly registered, still absent."""
    cursor.execute(
        """SELECT CASE
                 WHEN b.active AND c.active IS FALSE THEN 'newly_inactive'
                 WHEN b.active IS FALSE AND c.active THEN 'reactivated'
                 WHEN b.active IS NULL AND c.active IS NOT NULL THEN 'newly_registered'
                 WHEN b.active IS NULL AND c.active IS NULL THEN 'still_not_registered'
                 ELSE 'unchanged' END, count(*)
           FROM dataexchange_personrecord p
           LEFT JOIN dataexchange_membershiprecord b ON b.nik_hash = p.nik_hash AND b.submission_id = %(previous)s
           LEFT JOIN dataexchange_membershiprecord c ON c.nik_hash = p.nik_hash AND c.submission_id = %(current)s
           WHERE p.submission_id = %(list)s GROUP BY 1""",
        {"list": submission_id, "previous": previous_id, "current": current_id},
    )
    counts = dict.fromkeys(
        ("newly_inactive", "reactivated", "newly_registered", "still_not_registered", "unchanged"), 0
    )
    counts.update(cursor.fetchall())
    return counts
