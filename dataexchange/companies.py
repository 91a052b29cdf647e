"""2a/2d: the companies of an accepted file matched to the one employer registry, with a review queue.

Identifiers first, then the exact normalised name in the region (``registry.matching.match_batch``);
then a decision a reviewer made earlier for the same normalised name and region
(``registry.MatchDecision``, one memory shared with the non-compliance lists); only what is left
and has a similar employer name (``similar_names``) becomes a :class:`ReviewItem`. A decision,
once made, is applied to every later file and never asked again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from dataexchange import hooks
from dataexchange.models import DataRow, ReviewItem, Submission
from registry.matching import Wanted, match_batch, similar_names
from registry.models import Employer, MatchDecision, Region
from registry.names import normalize_company_name

QUARTERLY_COMPANY_STREAMS = ("2a", "2d")


@transaction.atomic
def companies_match(*, submission_id: int) -> dict[str, int]:
    """Link each company row to an employer or queue it for review; returns counts. Running it again adds nothing."""
    submission = Submission.objects.select_for_update().get(pk=submission_id, status=Submission.Status.ACCEPTED)
    rows = list(DataRow.objects.filter(submission=submission, employer=None, review=None).order_by("row"))
    regions = dict(Region.objects.values_list("kode_bps", "pk"))
    wanted = [_wanted(row, regions) for row in rows]
    counts = {"matched": 0, "remembered": 0, "review": 0, "unmatched": 0}
    leftover: list[tuple[DataRow, Wanted]] = []
    for row, want, found in zip(rows, wanted, match_batch(wanted), strict=True):
        if found is not None:
            _link(row, found.employer, found.key)
            counts["matched"] += 1
        elif (decision := _decision(want)) is not None:
            _link(row, decision.employer, "keputusan")
            counts["remembered"] += 1
        else:
            leftover.append((row, want))
    for (row, _want), candidate in zip(leftover, similar_names([w for _r, w in leftover]), strict=True):
        if candidate is None:
            counts["unmatched"] += 1
            continue
        ReviewItem.objects.create(data_row=row, candidate_id=candidate.employer_id, score=candidate.score)
        counts["review"] += 1
    announce_active_employers(submission)
    return counts


def announce_active_employers(submission: Submission) -> None:
    """Tell ``dataexchange.hooks``' listeners which linked employers this quarterly 2a/2d file shows aktif."""
    period = submission.period
    if period is None or period.stream.code not in QUARTERLY_COMPANY_STREAMS:
        return
    rows = DataRow.objects.filter(submission=submission, employer__isnull=False, values__status=True)
    # a 2d row with a NIK is a KPJ holder: its status is the worker's participation, not the employer's
    rows = rows.exclude(values__has_key="nik").filter(Q(values__arrears__isnull=True) | Q(values__arrears=0))
    employer_ids = set(rows.values_list("employer_id", flat=True))
    source = hooks.exchange_source(code=period.stream.code, year=period.year, quarter=period.quarter)
    hooks.employers_active(employer_ids=employer_ids, source=source)


def _wanted(row: DataRow, regions: dict[str, int]) -> Wanted:
    values: dict[str, Any] = row.values
    return Wanted(npp=values.get("npp", ""), nib=values.get("nib", ""), npwp=values.get("npwp", ""),
                  name=values.get("company", ""), region_id=regions.get(values.get("city", "")))  # fmt: skip


def _decision(want: Wanted) -> MatchDecision | None:
    key = normalize_company_name(want.name)
    if not key or want.region_id is None:
        return None
    return MatchDecision.objects.filter(name_key=key, region_id=want.region_id).first()


def _link(row: DataRow, employer: Employer | None, key: str) -> None:
    row.employer, row.match_key = employer, key
    row.save(update_fields=["employer", "match_key"])


@transaction.atomic
def review_decide(*, item: ReviewItem, accept: bool, by: Any) -> MatchDecision:
    """Record the answer for this name and region (the candidate, or none) and apply it to the row."""
    row = item.data_row
    want = _wanted(row, dict(Region.objects.values_list("kode_bps", "pk")))
    if want.region_id is None:  # never queued: similar_names needs the region
        raise ValueError("review item without a region")
    decision = MatchDecision.objects.remember(
        name=want.name, region_id=want.region_id, employer=item.candidate if accept else None, by=by
    )
    item.decision = decision
    item.save(update_fields=["decision"])
    _link(row, decision.employer, "keputusan")
    announce_active_employers(row.submission)
    return decision
