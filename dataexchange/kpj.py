"""2d: the Kartu Pekerja Jakarta holders of an accepted file, reconciled against BPJS's data and the registry.

Each row of a 2d file (schema version 2) is one KPJ holder as BPJS reports it: NIK (kept as a token and
a mask), status aktif/non aktif, reported wage, company. For each holder:

* participation: registered-active / registered-inactive (participation lapsed) / not registered, from
  BPJS's latest membership extract when the row has a NIK and an extract exists, else from the row's status;
* mismatches the annex names: the row's status against the extract, the reported wage against the KPJ
  ceiling of the period's year (UMP + 15 %, DOMAIN.md; ``KpjWageCeiling``, entered by the secretariat),
  and the company against the one employer registry (an identifier that points to another name, or a
  company the registry does not know).

Nothing is stored: the result is computed from the stored rows, so it follows the latest extract.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from dataexchange.models import KpjWageCeiling, MatchStatus, MembershipRecord, Submission
from registry.matching import Wanted, match_batch
from registry.models import Region
from registry.names import normalize_company_name

IDENTIFIER_KEYS = {"npp", "nib", "npwp"}
CHUNK = 5_000


class Mismatch(models.TextChoices):
    STATUS = "status", _("Status berbeda dengan data kepesertaan BPJS")
    WAGE = "upah", _("Upah dilaporkan di atas batas KPJ (UMP + 15%)")
    COMPANY = "perusahaan", _("Nama perusahaan berbeda dengan daftar pemberi kerja")
    COMPANY_UNKNOWN = "perusahaan_tidak_dikenal", _("Perusahaan tidak ada di daftar pemberi kerja")


@dataclass(frozen=True)
class Holder:
    row: int
    name: str
    nik_masked: str
    company: str
    npp: str
    wage: int | None
    reported_active: bool | None
    participation: str
    mismatches: tuple[str, ...]
    token: bytes | None = field(default=None, repr=False)  # to follow the holder across quarters

    @property
    def participation_label(self) -> str:
        return str(MatchStatus(self.participation).label)

    @property
    def mismatch_labels(self) -> list[str]:
        return [str(Mismatch(code).label) for code in self.mismatches]


def wage_ceiling(year: int) -> KpjWageCeiling | None:
    """The KPJ income limit for ``year``: its own, else the latest earlier year's (the new UMP is not
    entered yet), else the earliest known; None when no year is entered (the wage is not judged)."""
    limits = KpjWageCeiling.objects.all()
    return limits.filter(year__lte=year).order_by("-year").first() or limits.order_by("year").first()


def latest_extract(submission: Submission, *, until: datetime.datetime | None = None) -> Submission | None:
    """BPJS's latest accepted membership extract under the same agreement (accepted by ``until``, when given)."""
    stream = submission.period.stream  # type: ignore[union-attr]
    found = Submission.objects.filter(kind=Submission.Kind.MEMBERSHIP, status=Submission.Status.ACCEPTED,
                                      schema__stream__agreement_id=stream.agreement_id, purged_at=None)  # fmt: skip
    if until is not None:
        found = found.filter(finished_at__lte=until)
    return found.order_by("-finished_at").first()


def _members(extract: Submission | None, tokens: list[bytes]) -> dict[bytes, bool]:
    if extract is None:
        return {}
    found: dict[bytes, bool] = {}
    for start in range(0, len(tokens), CHUNK):
        records = MembershipRecord.objects.filter(submission=extract, nik_hash__in=tokens[start : start + CHUNK])
        found.update((bytes(token), active) for token, active in records.values_list("nik_hash", "active"))
    return found


def _token(values: dict[str, Any]) -> bytes | None:
    nik = values.get("nik")
    return bytes.fromhex(nik["token"]) if isinstance(nik, dict) else None


def _participation(token: bytes | None, reported: bool | None, members: dict[bytes, bool], checked: bool) -> str:
    active = members.get(token) if token is not None and checked else reported
    if active is None:
        return MatchStatus.NOT_REGISTERED
    return MatchStatus.ACTIVE if active else MatchStatus.INACTIVE


def _company(values: dict[str, Any], found: Any) -> list[str]:
    if found is None:
        return [Mismatch.COMPANY_UNKNOWN]
    name = normalize_company_name(values.get("company", ""))
    if found.key in IDENTIFIER_KEYS and name and name != found.employer.name_normalized:
        return [Mismatch.COMPANY]
    return []


def _mismatches(
    values: dict[str, Any], found: Any, member: bool | None, ceiling: int | None, checked: bool
) -> tuple[str, ...]:
    codes: list[str] = []
    if checked and _token(values) is not None and values.get("status") is not None and values["status"] != bool(member):
        codes.append(Mismatch.STATUS)
    if ceiling is not None and values.get("wage") is not None and values["wage"] > ceiling:
        codes.append(Mismatch.WAGE)
    return (*codes, *_company(values, found))


def kpj_holders(submission: Submission, *, as_accepted: bool = False) -> list[Holder]:
    """Every holder of an accepted 2d file with its participation and mismatches, in file order.

    Against BPJS's latest extract; ``as_accepted``: against the one that was latest when the file was accepted
    (what the reconciliation said then, for the quarter-on-quarter comparison).
    """
    rows = list(submission.data_rows.order_by("row").values_list("row", "values"))
    extract = latest_extract(submission, until=submission.finished_at if as_accepted else None)
    tokens = [t for _row, values in rows if (t := _token(values)) is not None]
    members = _members(extract, tokens)
    regions = dict(Region.objects.values_list("kode_bps", "pk"))
    wanted = [Wanted(npp=v.get("npp", ""), nib=v.get("nib", ""), npwp=v.get("npwp", ""), name=v.get("company", ""),
                     region_id=regions.get(v.get("city", ""))) for _row, v in rows]  # fmt: skip
    limit = wage_ceiling(submission.period.year)  # type: ignore[union-attr]
    ceiling = limit.ceiling if limit else None
    holders = []
    for (row, values), found in zip(rows, match_batch(wanted), strict=True):
        token = _token(values)
        member = members.get(token) if token is not None else None
        holders.append(Holder(
            row=row, name=values.get("name", ""), nik_masked=(values.get("nik") or {}).get("masked", ""),
            company=values.get("company", ""), npp=values.get("npp", ""), wage=values.get("wage"),
            reported_active=values.get("status"),
            participation=_participation(token, values.get("status"), members, extract is not None),
            mismatches=_mismatches(values, found, member, ceiling, extract is not None), token=token,
        ))  # fmt: skip
    return holders


def kpj_counts(holders: list[Holder]) -> dict[str, Any]:
    """Holders per participation status and per mismatch, each with its label, for the period page."""
    participation = Counter(h.participation for h in holders)
    mismatches = Counter(code for h in holders for code in h.mismatches)
    return {
        "holders": len(holders),
        "participation": [(str(label), participation[code]) for code, label in MatchStatus.choices],
        "mismatches": [(code, str(label), mismatches[code]) for code, label in Mismatch.choices],
    }
