"""The year's data exchange in figures, for chapter III of the annual report (Pasal 11): aggregates only.

Per stream: periods due by the end of the year (or today, if earlier), received, received on time
in working days (the rule of :meth:`ExchangePeriodQuerySet.on_time_rates`, not counted again
here), and the match results: people of the 2e lists (registered-active, registered-inactive, not
registered), the Kartu Pekerja Jakarta holders of the 2d files (the same three, and the mismatches
``dataexchange.kpj`` finds) and the companies of the 2a files (linked to the employer registry,
under review, not linked). Then the year's Satu Data Indonesia extract (2c): companies and registered workers per
city with its reference period. Nothing about a person or a single company leaves this module.

A period counts once: when a sender replaced a file, the latest accepted file of the period stands.
The result is JSON-ready and in printed order, so the report's snapshot can freeze it as it is.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import tanggal
from dataexchange.kpj import Mismatch, kpj_counts, kpj_holders
from dataexchange.models import DataRow, ExchangePeriod, MatchStatus, Stream, Submission
from dataexchange.sdi import latest_sdi_submission, sdi_extract
from workplan.models import Agreement

JSON = dict[str, Any]
PEOPLE_STREAMS = ("2e",)
COMPANY_STREAMS = ("2a",)
KPJ_STREAM = "2d"


def exchange_year_summary(
    *, year: int, agreement: Agreement | None = None, today: datetime.date | None = None
) -> JSON | None:
    """Chapter III's figures for ``year``; ``None`` when nothing was due, received or extracted."""
    until = min(datetime.date(year, 12, 31), today or timezone.localdate())
    streams = Stream.objects.filter(is_active=True).order_by("code")
    if agreement is not None:
        streams = streams.filter(agreement=agreement)
    periods = ExchangePeriod.objects.filter(stream__in=streams, year=year)
    timeliness = _timeliness(periods, until)
    rows = [_stream_row(stream, timeliness.get(stream.code, Counter()), periods) for stream in streams]
    sdi = _sdi(year, agreement)
    if not any(row["due"] or row["matching"] for row in rows) and sdi is None:
        return None
    has_matching = any(row["matching"] for row in rows)
    return {"year": year, "until": tanggal(until), "streams": rows, "has_matching": has_matching, "sdi": sdi}


def _timeliness(periods: Any, until: datetime.date) -> dict[str, Counter[str]]:
    """Due, on time and late per stream code, summed over ``on_time_rates``' units and quarters."""
    totals: dict[str, Counter[str]] = {}
    for row in periods.on_time_rates(today=until):
        totals.setdefault(row["stream__code"], Counter()).update(
            {"due": row["due"], "on_time": row["on_time"], "late": row["late"]}
        )
    return totals


def _stream_row(stream: Stream, counts: Counter[str], periods: Any) -> JSON:
    due, on_time, late = counts["due"], counts["on_time"], counts["late"]
    return {
        "code": stream.code,
        "title": stream.title,
        "cadence": str(stream.get_cadence_display()),
        "due": due,
        "received": on_time + late,
        "on_time": on_time,
        "late": late,
        "missing": due - on_time - late,
        "on_time_rate": round(100 * on_time / due, 1) if due else None,
        "matching": _matching(stream, periods.filter(stream=stream)),
    }


def standing_submissions(periods: Any) -> Any:
    """The latest accepted list of each period: the file that stands when a sender replaced one."""
    accepted = Submission.objects.filter(
        period__in=periods, kind=Submission.Kind.LIST, status=Submission.Status.ACCEPTED
    )
    return accepted.order_by("period_id", "-finished_at", "-pk").distinct("period_id")


def _matching(stream: Stream, periods: Any) -> JSON | None:
    standing = standing_submissions(periods)
    if stream.code in PEOPLE_STREAMS:
        return _people_matches(standing)
    if stream.code == KPJ_STREAM:
        return _kpj_matches(standing)
    if stream.code in COMPANY_STREAMS:
        return _company_matches(standing)
    return None


def _people_matches(standing: Any) -> JSON | None:
    """Registered-active / registered-inactive / not registered, over the matched lists of the year."""
    matched = [s for s in standing.only("rows", "matched_active", "matched_inactive", "not_registered",
                                        "matched_at", "period_id") if s.matched_at is not None]  # fmt: skip
    if not matched:
        return None
    return {
        "title": _("Hasil pemadanan NIK dengan data kepesertaan BPJS Ketenagakerjaan"),
        "lists": len(matched),
        "rows": [
            [str(MatchStatus.ACTIVE.label), sum(s.matched_active or 0 for s in matched)],
            [str(MatchStatus.INACTIVE.label), sum(s.matched_inactive or 0 for s in matched)],
            [str(MatchStatus.NOT_REGISTERED.label), sum(s.not_registered or 0 for s in matched)],
        ],
        "total": sum(s.rows for s in matched),
    }


def _company_matches(standing: Any) -> JSON | None:
    """2a: companies linked to the employer registry, waiting in the review queue, not linked."""
    rows = _company_counts(standing)
    if not rows["total"]:
        return None
    linked = rows["linked"]
    figures = [
        [_("Cocok dengan pemberi kerja terdaftar"), linked],
        [_("Dalam antrean tinjauan pemadanan"), rows["review"]],
        [_("Tidak cocok dengan pemberi kerja terdaftar"), rows["total"] - linked - rows["review"]],
    ]
    return {"title": _("Hasil pemadanan perusahaan dengan daftar pemberi kerja"), "rows": figures,
            "total": rows["total"]}  # fmt: skip


def _kpj_matches(standing: Any) -> JSON | None:
    """2d: the KPJ holders per participation and per mismatch (``dataexchange.kpj``), as reconciled when each
    file was accepted, summed over the year's files."""
    participation: Counter[str] = Counter()
    mismatches: Counter[str] = Counter()
    total = 0
    for submission in standing.select_related("period"):
        counts = kpj_counts(kpj_holders(submission, as_accepted=True))
        total += counts["holders"]
        participation.update(dict(counts["participation"]))
        mismatches.update({label: n for _code, label, n in counts["mismatches"]})
    if not total:
        return None
    rows = [[str(label), participation[str(label)]] for label in MatchStatus.labels]
    rows += [[str(label), mismatches[str(label)]] for label in Mismatch.labels]
    return {"title": _("Rekonsiliasi penerima Kartu Pekerja Jakarta"), "rows": rows, "total": total}


def _company_counts(standing: Any) -> dict[str, int]:
    counts: dict[str, int] = DataRow.objects.filter(submission__in=standing.values("pk")).aggregate(
        total=Count("pk"),
        linked=Count("pk", filter=Q(employer__isnull=False)),
        review=Count("pk", filter=Q(employer=None, review__isnull=False, review__decision=None)),
    )
    return counts


def _sdi(year: int, agreement: Agreement | None) -> JSON | None:
    """The year's Satu Data Indonesia extract (2c), aggregate per city, from its latest accepted file."""
    submission = latest_sdi_submission(year=year, agreement=agreement)
    if submission is None:
        return None
    extract = sdi_extract(submission)
    cities = [[row["wilayah"], row["jumlah_perusahaan"], row["jumlah_pekerja_terdaftar"]] for row in extract["data"]]
    return {
        "reference_period": extract["metadata"]["periode_referensi"],
        "producer": extract["metadata"]["produsen_data"],
        "cities": cities,
        "companies": sum(row[1] for row in cities),
        "workers": sum(row[2] for row in cities),
    }
