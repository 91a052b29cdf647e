"""Benchmark: a 50,000-row non-compliance list against a 200,000-employer registry, end to end.

Run against an empty, migrated database of its own (it writes 200,000 employers)::

    DATABASE_URL=postgres://.../mou_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://.../mou_bench .venv/bin/python -m bench.compliance_matching

The list mixes rows found by NPP, by NIB, by exact name within the city, by a misspelt name,
and new employers; each row's true employer is known. Before the upload, the fuzzy-name step
(pg_trgm, ``registry.matching.fuzzy_candidates``) is timed on the misspelt rows and compared on
a sample with a brute-force ``rapidfuzz`` scorer over every name in the same city (time and
recall at 1). Then the whole list goes through ``compliance.uploads.noncompliance_list_upload``.
Figures are printed as JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import string
import time
from collections import defaultdict
from typing import Any

import django
from django.db import connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")
django.setup()

from rapidfuzz import fuzz, process  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from compliance.models import NonComplianceUpload  # noqa: E402
from compliance.uploads import noncompliance_list_upload  # noqa: E402
from registry.matching import Wanted, fuzzy_candidates, match_batch, similar_names  # noqa: E402
from registry.models import Employer, Region  # noqa: E402
from registry.names import normalize_company_name  # noqa: E402

WORDS = [
    "maju",
    "jaya",
    "abadi",
    "sentosa",
    "makmur",
    "sejahtera",
    "karya",
    "bangun",
    "sinar",
    "terang",
    "mulia",
    "indah",
    "permata",
    "bumi",
    "nusa",
    "persada",
    "utama",
    "mandiri",
    "sukses",
    "berkah",
    "cahaya",
    "teknik",
    "logistik",
    "niaga",
    "dagang",
    "pangan",
    "kreasi",
    "cipta",
    "data",
    "solusi",
    "global",
    "prima",
    "citra",
    "wahana",
    "graha",
    "tirta",
    "energi",
    "mitra",
    "usaha",
    "kencana",
    "raya",
    "baru",
    "jakarta",
    "timur",
]
FORMS = ("PT", "PT", "PT", "CV", "PT", "UD")
CATEGORIES = ("PWBD", "PDS TK", "PDS Upah", "PDS Program", "Piutang", "PDS Program dan Piutang")


SYLLABLES = [
    "ba",
    "bu",
    "ka",
    "ri",
    "ma",
    "ta",
    "su",
    "di",
    "na",
    "wi",
    "ja",
    "ya",
    "sa",
    "ra",
    "lo",
    "ko",
    "te",
    "pu",
    "ha",
    "ni",
    "go",
    "re",
    "mu",
    "la",
    "si",
    "de",
]


def proper_names(rng: random.Random, count: int = 3_000) -> list[str]:
    """Made-up proper names (``Karima``, ``Sujaya``): real company names are far more varied than WORDS."""
    return sorted({"".join(rng.choices(SYLLABLES, k=rng.choice((2, 3, 3, 4)))) for _ in range(count)})


NAMES = proper_names(random.Random(7))


def company_name(rng: random.Random) -> str:
    words = [rng.choice(NAMES), *rng.sample(WORDS, rng.choice((1, 2)))]
    rng.shuffle(words)
    return f"{rng.choice(FORMS)} {' '.join(words).title()}"


def misspell(name: str, rng: random.Random) -> str:
    """One or two typing slips: a dropped, doubled or swapped letter (legal form kept)."""
    form, _space, rest = name.partition(" ")
    letters = list(rest)
    for _ in range(rng.choice((1, 2))):
        i = rng.randrange(1, len(letters) - 1)
        kind = rng.choice(("drop", "double", "swap"))
        if kind == "drop" and letters[i] != " ":
            del letters[i]
        elif kind == "double":
            letters.insert(i, letters[i])
        else:
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return f"{form} {''.join(letters)}"


def build_registry(size: int, rng: random.Random) -> list[Employer]:
    regions = list(Region.objects.all())
    employers = []
    for n in range(size):
        employer = Employer(
            name=company_name(rng),
            npp=f"JJ{n:08d}" if n % 10 else "",
            nib=f"{9_120_000_000_000 + n}" if n % 3 == 0 else "",
            address=f"Jalan {rng.choice(WORDS).title()} No. {n % 200 + 1}",
            region=rng.choice(regions),
        )
        employer.normalize()
        employers.append(employer)
    return Employer.objects.bulk_create(employers, batch_size=10_000)


def build_list(registry: list[Employer], size: int, rng: random.Random) -> tuple[str, list[dict[str, Any]]]:
    """CSV text and, per row, what it is and which employer it truly is (None for a new one)."""
    with_npp = [e for e in registry if e.npp]
    with_nib = [e for e in registry if e.nib]
    names_by_region: dict[tuple[int | None, str], int] = defaultdict(int)
    for employer in registry:
        names_by_region[(employer.region_id, employer.name_normalized)] += 1
    unique_name = [e for e in registry if names_by_region[(e.region_id, e.name_normalized)] == 1]
    chosen: set[int] = set()

    def pick(pool: list[Employer]) -> Employer:
        while True:
            employer = rng.choice(pool)
            if employer.pk not in chosen:
                chosen.add(employer.pk)
                return employer

    lines = ["NPP;Nama Perusahaan;NIB;Kota;Kategori;TK Terdaftar;TK Seharusnya"]
    truth: list[dict[str, Any]] = []
    regions = {r.pk: r.kode_bps for r in Region.objects.all()}
    for n in range(size):
        share = n % 100
        if share < 60:
            e = pick(with_npp)
            row, kind, true_pk = (e.npp, e.name, ""), "npp", e.pk
        elif share < 75:
            e = pick(with_nib)
            row, kind, true_pk = ("", e.name.upper(), e.nib), "nib", e.pk
        elif share < 85:
            e = pick(unique_name)
            row, kind, true_pk = ("", f"{e.name.upper()}, Tbk", ""), "nama", e.pk
        elif share < 95:
            e = pick(unique_name)
            row, kind, true_pk = ("", misspell(e.name, rng), ""), "salah_ketik", e.pk
        else:
            e = None
            row, kind, true_pk = (
                ("", f"{company_name(rng)} {''.join(rng.choices(string.ascii_uppercase, k=4))}", ""),
                "baru",
                None,
            )
        region_id = e.region_id if e else rng.choice(list(regions))
        lines.append(f"{row[0]};{row[1]};{row[2]};{regions[region_id]};{rng.choice(CATEGORIES)};{n % 40};{n % 40 + 3}")
        truth.append({"kind": kind, "employer": true_pk, "name": row[1], "region": region_id})
    return "\n".join(lines) + "\n", truth


def exact_matching(rows: list[dict[str, Any]], csv_rows: list[list[str]]) -> dict[str, Any]:
    """match_batch over the whole list: time, and per kind of row the share matched to the true employer."""
    wanted = [Wanted(npp=c[0], nib=c[2], name=c[1], region_id=r["region"]) for r, c in zip(rows, csv_rows, strict=True)]
    started = time.perf_counter()
    matches = match_batch(wanted)
    seconds = time.perf_counter() - started
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, match in zip(rows, matches, strict=True):
        right[row["kind"]][1] += 1
        right[row["kind"]][0] += (match.employer.pk if match else None) == row["employer"]
    return {"seconds": round(seconds, 2), "correct_share": {k: round(a / b, 4) for k, (a, b) in right.items()}}


def _recall(rows: list[dict[str, Any]], found: list[Any]) -> float:
    return round(
        sum(1 for r, c in zip(rows, found, strict=True) if c and c.employer_id == r["employer"]) / len(rows), 4
    )


def fuzzy_comparison(rows: list[dict[str, Any]], sample: int, rng: random.Random) -> dict[str, Any]:
    """The fuzzy-name step on misspelt rows: pg_trgm and brute-force rapidfuzz on the same sample,
    then the list step the upload uses (``similar_names``) on every misspelt row."""
    misspelt = [r for r in rows if r["kind"] == "salah_ketik"]
    subset = [misspelt[i] for i in rng.sample(range(len(misspelt)), min(sample, len(misspelt)))]
    wanted = [Wanted(name=r["name"], region_id=r["region"]) for r in subset]

    started = time.perf_counter()
    trgm = fuzzy_candidates(wanted, threshold=0.3)  # pg_trgm's default threshold
    trgm_seconds = time.perf_counter() - started

    started = time.perf_counter()
    by_region: dict[int, tuple[list[str], list[int]]] = {}
    for region_id, name, pk in Employer.objects.values_list("region_id", "name_normalized", "pk"):
        names, pks = by_region.setdefault(region_id, ([], []))
        names.append(name)
        pks.append(pk)
    brute_hits = 0
    for row in subset:
        names, pks = by_region[row["region"]]
        best = process.extractOne(normalize_company_name(row["name"]), names, scorer=fuzz.ratio)
        brute_hits += bool(best and pks[best[2]] == row["employer"])
    brute_seconds = time.perf_counter() - started

    started = time.perf_counter()
    listed = similar_names([Wanted(name=r["name"], region_id=r["region"]) for r in misspelt])
    listed_seconds = time.perf_counter() - started
    return {
        "misspelt_rows": len(misspelt),
        "sample": len(subset),
        "pg_trgm": {
            "seconds": round(trgm_seconds, 2),
            "ms_per_row": round(1000 * trgm_seconds / len(subset), 2),
            "recall_at_1": _recall(subset, trgm),
        },
        "rapidfuzz_bruteforce": {
            "seconds_including_loading_names": round(brute_seconds, 2),
            "ms_per_row": round(1000 * brute_seconds / len(subset), 2),
            "recall_at_1": round(brute_hits / len(subset), 4),
        },
        "similar_names_all_misspelt_rows": {
            "seconds": round(listed_seconds, 2),
            "ms_per_row": round(1000 * listed_seconds / len(misspelt), 2),
            "recall_at_1_cutoff_85": _recall(misspelt, listed),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employers", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    if Employer.objects.exists():
        raise SystemExit("Database ini sudah berisi pemberi kerja; gunakan database kosong khusus benchmark.")
    rng = random.Random(args.seed)
    figures: dict[str, Any] = {"employers": args.employers, "rows": args.rows}

    started = time.perf_counter()
    registry = build_registry(args.employers, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_employer")  # what autovacuum does after a bulk load
    figures["registry_build_seconds"] = round(time.perf_counter() - started, 1)
    text, truth = build_list(registry, args.rows, rng)
    figures["exact_matching"] = exact_matching(truth, [line.split(";") for line in text.splitlines()[1:]])
    figures["fuzzy"] = fuzzy_comparison(truth, args.sample, rng)

    officer, _ = User.objects.get_or_create(username="bench.bpjs", defaults={"role": Role.BPJS_OFFICER})
    started = time.perf_counter()
    outcome = noncompliance_list_upload(
        file=io.BytesIO(text.encode()), filename="bench.csv", by=officer, source=NonComplianceUpload.Source.COMMAND
    )
    seconds = time.perf_counter() - started
    figures["upload"] = {
        "accepted": outcome.result.accepted,
        "errors": len(outcome.result.errors),
        "seconds": round(seconds, 1),
        "rows_per_second": round(args.rows / seconds),
        **outcome.counts,
        "similar_name_notes": len(outcome.notes),
    }
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
