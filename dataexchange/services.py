"""Data-exchange workflows: receive a file, process it all or nothing, match, open and chase periods."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.rowerrors import RowError
from core.tabular import Column
from core.upload_checks import CHUNK, UploadLimits, UploadRejected, file_size
from core.workdays import WorkdayCalendar
from dataexchange import companies, generic, pipeline
from dataexchange.models import (
    Cadence,
    DataRow,
    ExchangePeriod,
    MatchStatus,
    SchemaVersion,
    Stream,
    Submission,
    SubmissionError,
)
from dataexchange.progress import progress_step
from dataexchange.schemas import columns_from_json
from dataexchange.seed import list_schema, membership_schema
from workplan.models import Organization

logger = logging.getLogger(__name__)
# The one list stream of people (Nama, NIK, HP) stored through the set-based pipeline; the others are rows.
PERSON_LIST_STREAM = "2e"


class ExchangeError(Exception):
    """A request the exchange cannot serve (unknown stream, unit not a sender...); Indonesian message."""


def exchange_limits() -> UploadLimits:
    limits = UploadLimits.from_settings()
    return UploadLimits(
        max_bytes=settings.EXCHANGE_UPLOAD_MAX_BYTES,
        max_uncompressed_bytes=max(limits.max_uncompressed_bytes, 4 * settings.EXCHANGE_UPLOAD_MAX_BYTES),
        max_compression_ratio=limits.max_compression_ratio,
        max_rows=settings.EXCHANGE_UPLOAD_MAX_ROWS,
    )


def file_sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(partial(file.read, CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


# --- Periods -------------------------------------------------------------------------------------------


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 2, 1)


def period_due_on(stream: Stream, opens_on: datetime.date, calendar: WorkdayCalendar | None = None) -> datetime.date:
    days = stream.due_working_days
    calendar = calendar or WorkdayCalendar.around(opens_on, days)
    return calendar.add(opens_on, days)


def period_for_upload(*, stream: Stream, unit: Organization, year: int, quarter: int) -> ExchangePeriod:
    """The period an upload belongs to. Quarterly periods are opened by the schedule; ad hoc ones on first use."""
    if not stream.senders.filter(pk=unit.pk).exists():
        raise ExchangeError(
            _("%(unit)s bukan pengirim alur %(code)s.") % {"unit": unit.short_name, "code": stream.code}
        )
    period = ExchangePeriod.objects.filter(stream=stream, unit=unit, year=year, quarter=quarter).first()
    if period is not None:
        return period
    opens_on = quarter_start(year, quarter)
    if stream.cadence == Cadence.QUARTERLY and opens_on > timezone.localdate():
        raise ExchangeError(_("Periode %(y)sQ%(q)s belum dibuka.") % {"y": year, "q": quarter})
    if not stream.agreement.starts_on <= opens_on <= stream.agreement.ends_on and not (
        stream.agreement.starts_on <= datetime.date(year, 3 * quarter, 28) <= stream.agreement.ends_on
    ):
        raise ExchangeError(_("Periode %(y)sQ%(q)s di luar masa berlaku Nota Kesepakatan.") % {"y": year, "q": quarter})
    period, _created = ExchangePeriod.objects.get_or_create(
        stream=stream, unit=unit, year=year, quarter=quarter,
        defaults={"opens_on": opens_on, "due_on": period_due_on(stream, opens_on)},
    )  # fmt: skip
    return period


# --- Receiving a file --------------------------------------------------------------------------------------


def submission_receive(
    *,
    file: IO[bytes],
    filename: str,
    organization: Organization,
    schema: SchemaVersion,
    period: ExchangePeriod | None,
    by: Any = None,
    source: str = Submission.Source.WEB,
) -> tuple[Submission, bool]:
    """Keep the file and create its submission; ``(existing, False)`` when the same file came before.

    The same bytes for the same period (or, for BPJS's extract, from the same office) are the
    same submission: a re-upload, or a retry after a lost connection, is recognised by SHA-256.
    """
    digest = file_sha256(file)
    kind = Submission.Kind.MEMBERSHIP if schema.version >= 1000 else Submission.Kind.LIST
    existing = _same_file(kind, period, organization, digest)
    if existing is not None:
        return existing, False
    submission = Submission(
        kind=kind, period=period, organization=organization, schema=schema, uploaded_by=by if by and by.pk else None,
        source=source, filename=filename[:255], sha256=digest, size=file_size(file),
        purpose=schema.stream.purpose,
    )  # fmt: skip
    submission.file.save(f"{digest[:16]}.{filename.rsplit('.', 1)[-1].lower()[:5]}", File(file), save=False)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # the same file, uploaded at the same moment by another request
        submission.file.delete(save=False)
        return _same_file(kind, period, organization, digest), False  # type: ignore[return-value]
    return submission, True


def _same_file(kind: str, period: ExchangePeriod | None, organization: Organization, digest: str) -> Submission | None:
    found = Submission.objects.filter(sha256=digest, kind=kind)
    found = found.filter(period=period) if kind == Submission.Kind.LIST else found.filter(organization=organization)
    return found.first()


# --- Processing -------------------------------------------------------------------------------------


def submission_process(*, submission_id: int) -> Submission:
    """Validate and store one submission, all or nothing, in one transaction; a second call changes nothing.

    A worker killed half-way leaves the transaction uncommitted: nothing of the file is stored and
    the submission is still waiting, so the retried task starts it again from the kept file.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("schema__stream").get(pk=submission_id)
        if submission.is_finished:
            return submission
        _process_locked(submission)
    return submission


def stored_in_partitions() -> Q:
    """The submissions whose rows are a partition of their own: BPJS's extracts and the 2e lists."""
    return Q(kind=Submission.Kind.MEMBERSHIP) | Q(kind=Submission.Kind.LIST, schema__stream__code=PERSON_LIST_STREAM)


def _process_locked(submission: Submission) -> None:
    columns = columns_from_json(submission.schema.columns)
    if submission.kind == Submission.Kind.LIST and submission.schema.stream.code != PERSON_LIST_STREAM:
        _process_rows(submission, columns)
        return
    membership = submission.kind == Submission.Kind.MEMBERSHIP
    check = pipeline.check_members if membership else pipeline.check_people
    with submission.file.open("rb") as file, connection.cursor() as cursor:
        # synchronous_commit stays on: off saved nothing measurable (the COMMIT of a 1M-row list: 0.04 s off,
        # 0.06 s on, load 9; the WAL is flushed by the WAL writer while the rows are written), and off would
        # let a server crash just after COMMIT lose an acceptance the sender has already been shown.
        # A million tokens hash-joined and grouped in memory rather than sorted on disk (measured: the
        # store went to a merge join with 130 MB of external sorts under the default 4 MB).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # The validation expressions are large: compiling them costs more than it saves (measured 15% slower).
        cursor.execute("SET LOCAL jit = off")
        stage = pipeline.stage_name(submission.pk)
        try:
            checked = check(cursor, file=file, filename=submission.filename, columns=columns, limits=exchange_limits(),
                            table=stage)  # fmt: skip
            progress_step(submission.pk, "checked")
        except UploadRejected as rejection:
            checked = pipeline.Checked(errors=[RowError(None, "", "", rejection.message)])
        submission.rows = checked.rows
        if checked.errors:
            _reject(submission, checked.errors)
        elif membership:
            pipeline.store_members(cursor, stage=checked.stage, submission_id=submission.pk)  # type: ignore[arg-type]
            _accept(submission)
            _refresh_statistics_after_commit(submission.pk)
        else:
            extract = latest_membership(submission.schema.stream)
            counts = pipeline.store_people(cursor, stage=checked.stage, submission_id=submission.pk,  # type: ignore[arg-type]
                                           membership_id=extract.pk if extract else None)  # fmt: skip
            _accept(submission, counts if extract else None)
            _refresh_statistics_after_commit(submission.pk)
        pipeline.drop_stage(cursor, stage)
        logger.info("submission %s: %s rows, %s errors, %s judged in Python", submission.pk, checked.rows,
                    len(checked.errors), checked.python_rows)  # fmt: skip


def _refresh_statistics_after_commit(submission_id: int) -> None:
    """The planner's statistics of the new rows, gathered by the worker once they are committed (0.2-2 s
    with a million-row file, measured in the benchmark; kept out of the upload, see
    :func:`pipeline.refresh_statistics`). A broker that is down costs only the statistics, logged."""
    from dataexchange import tasks  # tasks call this module's services

    transaction.on_commit(lambda: tasks.refresh_token_statistics.delay(submission_id), robust=True)


def token_statistics_refresh(*, submission_id: int) -> None:
    with connection.cursor() as cursor:
        pipeline.refresh_statistics(cursor, submission_id=submission_id)


def _process_rows(submission: Submission, columns: tuple[Column, ...]) -> None:
    """Company and aggregate streams: small files, checked row by row through the shared pipeline."""
    with submission.file.open("rb") as file:
        result = generic.check_rows(file=file, filename=submission.filename, columns=columns, limits=exchange_limits())
    submission.rows = result.rows
    if result.errors:
        _reject(submission, list(result.errors))
        return
    DataRow.objects.bulk_create(
        (DataRow(submission=submission, row=item["row"], values=item["values"]) for item in result.items),
        batch_size=2000,
    )
    _accept(submission)
    if submission.schema.stream.code in companies.QUARTERLY_COMPANY_STREAMS:
        companies.companies_match(submission_id=submission.pk)  # the registry links, the review queue, the hooks


def _reject(submission: Submission, errors: list[RowError]) -> None:
    SubmissionError.objects.bulk_create(
        (SubmissionError(submission=submission, row=e.row, column=e.column[:200], value=e.value, message=e.message)
         for e in errors),
        batch_size=5000,
    )  # fmt: skip
    submission.error_count = len(errors)
    _finish(submission, Submission.Status.REJECTED)


def _accept(submission: Submission, counts: dict[str, int] | None = None) -> None:
    if counts is not None:
        _set_counts(submission, counts)
    _finish(submission, Submission.Status.ACCEPTED)
    if submission.period_id:
        submission.period.mark_delivered(submission.finished_at)  # type: ignore[union-attr, arg-type]


def _set_counts(submission: Submission, counts: dict[str, int]) -> None:
    submission.matched_active = counts.get(MatchStatus.ACTIVE, 0)
    submission.matched_inactive = counts.get(MatchStatus.INACTIVE, 0)
    submission.not_registered = counts.get(MatchStatus.NOT_REGISTERED, 0)
    submission.matched_at = timezone.now()


def _finish(submission: Submission, status: str) -> None:
    submission.status = status
    submission.progress = 100
    submission.finished_at = timezone.now()
    submission.save()


def latest_membership(stream: Stream) -> Submission | None:
    return (
        Submission.objects.filter(kind=Submission.Kind.MEMBERSHIP, status=Submission.Status.ACCEPTED,
                                  schema__stream=stream)
        .order_by("-finished_at")
        .first()
    )  # fmt: skip


@transaction.atomic
def submission_match(*, submission_id: int, membership: Submission | None = None) -> Submission:
    """Match an accepted list again, against ``membership`` or BPJS's latest extract."""
    submission = Submission.objects.select_for_update().get(pk=submission_id, status=Submission.Status.ACCEPTED)
    membership = membership or latest_membership(submission.schema.stream)
    if membership is None:
        raise ExchangeError(_("Belum ada data kepesertaan dari BPJS untuk dipadankan."))
    with connection.cursor() as cursor:
        counts = pipeline.rematch(cursor, submission_id=submission.pk, membership_id=membership.pk)
    _set_counts(submission, counts)
    submission.save()
    return submission


def change_report(*, submission_id: int) -> dict[str, int]:
    """Quarter-on-quarter change for an accepted list: BPJS's latest extract against the one before it."""
    submission = Submission.objects.select_related("schema__stream").get(pk=submission_id)
    extracts = Submission.objects.filter(
        kind=Submission.Kind.MEMBERSHIP, status=Submission.Status.ACCEPTED, schema__stream=submission.schema.stream,
        purged_at=None,
    ).order_by("-finished_at")[:2]  # fmt: skip
    current, previous = [*extracts, None, None][:2]
    if current is None or previous is None:
        raise ExchangeError(_("Perbandingan antartriwulan memerlukan dua data kepesertaan BPJS."))
    with connection.cursor() as cursor:
        return pipeline.change_counts(cursor, submission_id=submission.pk, previous_id=previous.pk,
                                      current_id=current.pk)  # fmt: skip


def submission_errors(submission: Submission) -> Iterator[RowError]:
    for error in submission.errors.order_by("row", "pk").iterator(chunk_size=5000):
        yield RowError(error.row, error.column, error.value, error.message)


def schema_for(stream: Stream, *, membership: bool = False) -> SchemaVersion:
    return membership_schema(stream) if membership else list_schema(stream)
