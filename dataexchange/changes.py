"""The quarter-on-quarter change report of an accepted list, per person, NIK masked.

* 2e list: BPJS's latest membership extract against the one before it (the counts are
  :func:`dataexchange.services.change_report`; this module lists the people behind them);
* 2d file: each Kartu Pekerja Jakarta holder's participation now (:mod:`dataexchange.kpj`) against the
  previous quarter's accepted 2d file of the same sender, matched on the NIK token.

Categories: newly inactive, reactivated, newly registered, (still) not registered, unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dataexchange import kpj, services
from dataexchange.models import MatchStatus, Submission

PAGE = 100
LABELS = {
    "newly_inactive": gettext_lazy("Baru tidak aktif"),
    "reactivated": gettext_lazy("Aktif kembali"),
    "newly_registered": gettext_lazy("Baru terdaftar"),
    "still_not_registered": gettext_lazy("Belum terdaftar"),
    "unchanged": gettext_lazy("Tidak berubah"),
}
KPJ_LABELS = {**LABELS, "still_not_registered": gettext_lazy("Pemegang KPJ belum terdaftar")}
PERSON_SQL = """
SELECT p.row, p.name, p.nik_masked, CASE
         WHEN b.active AND c.active IS FALSE THEN 'newly_inactive'
         WHEN b.active IS FALSE AND c.active THEN 'reactivated'
         WHEN b.active IS NULL AND c.active IS NOT NULL THEN 'newly_registered'
         WHEN b.active IS NULL AND c.active IS NULL THEN 'still_not_registered'
         ELSE 'unchanged' END AS category
FROM dataexchange_personrecord p
LEFT JOIN dataexchange_membershiprecord b ON b.nik_hash = p.nik_hash AND b.submission_id = %(previous)s
LEFT JOIN dataexchange_membershiprecord c ON c.nik_hash = p.nik_hash AND c.submission_id = %(current)s
WHERE p.submission_id = %(list)s
"""


@dataclass(frozen=True)
class Change:
    row: int
    name: str
    nik_masked: str
    category: str


@dataclass
class ChangeReport:
    counts: dict[str, int]
    compared_with: str  # what the current state is compared with, for the page
    labels: dict[str, object]


def _extract_pair(submission: Submission) -> tuple[int, int]:
    extracts = Submission.objects.filter(
        kind=Submission.Kind.MEMBERSHIP, status=Submission.Status.ACCEPTED, schema__stream=submission.schema.stream,
        purged_at=None,
    ).order_by("-finished_at").values_list("pk", flat=True)[:2]  # fmt: skip
    current, previous = [*extracts, 0, 0][:2]
    return previous, current


def previous_kpj_file(submission: Submission) -> Submission | None:
    """The latest accepted 2d file of the same sender for an earlier quarter."""
    period = submission.period
    if period is None:
        return None
    earlier = Q(period__year__lt=period.year) | Q(period__year=period.year, period__quarter__lt=period.quarter)
    found = Submission.objects.filter(earlier, period__stream=period.stream, period__unit=period.unit,
                                      status=Submission.Status.ACCEPTED)  # fmt: skip
    return found.select_related("period__stream").order_by("-period__year", "-period__quarter", "-finished_at").first()


def _kpj_category(now: str, before: str | None) -> str:
    if now == MatchStatus.NOT_REGISTERED:
        return "still_not_registered"
    if before in {None, MatchStatus.NOT_REGISTERED}:
        return "newly_registered"
    if (before, now) == (MatchStatus.ACTIVE, MatchStatus.INACTIVE):
        return "newly_inactive"
    if (before, now) == (MatchStatus.INACTIVE, MatchStatus.ACTIVE):
        return "reactivated"
    return "unchanged"


def kpj_changes(submission: Submission) -> list[Change]:
    """Every holder with a NIK in this 2d file against the previous quarter's (absent there: not registered)."""
    previous = previous_kpj_file(submission)
    if previous is None:
        raise services.ExchangeError(_("Perbandingan antartriwulan memerlukan berkas 2d triwulan sebelumnya."))
    before = {h.token: h.participation for h in kpj.kpj_holders(previous, as_accepted=True) if h.token is not None}
    return [
        Change(h.row, h.name, h.nik_masked, _kpj_category(h.participation, before.get(h.token)))
        for h in kpj.kpj_holders(submission)
        if h.token is not None
    ]


def change_report(submission: Submission) -> ChangeReport:
    """Counts per category; :class:`services.ExchangeError` when there is nothing to compare with yet."""
    if submission.schema.stream.code == "2d":
        counts = dict.fromkeys(LABELS, 0) | Counter(c.category for c in kpj_changes(submission))
        return ChangeReport(counts, _("berkas 2d triwulan sebelumnya"), dict(KPJ_LABELS))
    counts = services.change_report(submission_id=submission.pk)
    return ChangeReport(counts, _("data kepesertaan BPJS sebelumnya"), dict(LABELS))


def _list_sql(category: str) -> tuple[str, dict[str, str]]:
    where = "WHERE category = %(category)s" if category else "WHERE category <> 'unchanged'"
    return f"SELECT * FROM ({PERSON_SQL}) x {where} ORDER BY row", {"category": category}  # noqa: S608


def _shown(change: Change, category: str) -> bool:
    return change.category == category if category else change.category != "unchanged"


def changes_page(submission: Submission, *, category: str, page: int) -> list[Change]:
    """One page of the people in ``category`` (every changed person when empty), in file order."""
    if submission.schema.stream.code == "2d":
        changes = [c for c in kpj_changes(submission) if _shown(c, category)]
        return changes[(page - 1) * PAGE : page * PAGE]
    previous, current = _extract_pair(submission)
    sql, params = _list_sql(category)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {PAGE} OFFSET %(offset)s",
                       {**params, "list": submission.pk, "previous": previous, "current": current,
                        "offset": (page - 1) * PAGE})  # fmt: skip
        return [Change(*row) for row in cursor.fetchall()]


def changes_all(submission: Submission) -> Iterator[Change]:
    """Every changed person (not the unchanged), streamed from a server-side cursor for a long list."""
    if submission.schema.stream.code == "2d":
        yield from (c for c in kpj_changes(submission) if _shown(c, ""))
        return
    previous, current = _extract_pair(submission)
    sql, params = _list_sql("")
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, {**params, "list": submission.pk, "previous": previous, "current": current})
        while chunk := cursor.fetchmany(5000):
            yield from (Change(*row) for row in chunk)


def change_rows(submission: Submission, labels: dict[str, object]) -> Iterator[list[object]]:
    """The export: one line per changed person, NIK masked."""
    yield [_("Baris"), _("Nama"), "NIK", _("Perubahan")]
    for change in changes_all(submission):
        yield [change.row, change.name, change.nik_masked, str(labels[change.category])]
