"""The MoU as data: Nota Kesepakatan Nomor 1 Tahun 2025 / MOU/1/022025 and its annex.

``nota_kesepakatan_1_2025.json`` is the transcription, word for word, typos included; the only
repairs are the ones a reader makes without thinking: rows split across pages are merged, the
word broken at a page break ("perundangan g-undangan") is one word again, list glue ("; dan")
is dropped from list items, and the units a cell names are referenced by short name. Each
repair is noted in the activity's ``note``. ``nota_kesepakatan_1_2025.txt`` is the text it was
transcribed from; the tests parse the annex from it on their own and compare.

Load it with ``python manage.py load_seed_mou`` (``workplan.services.seed_mou_load``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NotRequired, TypedDict, cast

SEED_DIR = Path(__file__).resolve().parent
MOU_JSON = SEED_DIR / "nota_kesepakatan_1_2025.json"
MOU_TEXT = SEED_DIR / "nota_kesepakatan_1_2025.txt"


class AgreementSeed(TypedDict):
    number: str
    second_number: str
    title: str
    signed_on: str
    signed_place: str
    term_years: int
    starts_on: str
    object_text: str
    scope: list[str]
    legal_basis: list[str]


class PartySeed(TypedDict):
    side: int
    institution: str
    name: str
    signatory_name: str
    signatory_title: str
    signatory_authority: str
    office_address: str


class OrganizationSeed(TypedDict):
    short_name: str
    name: str
    institution: str
    kind: str
    aliases: list[str]
    email: str


class LiaisonSeed(TypedDict):
    side: int
    organization: str
    position: str
    address: str
    phones: list[str]
    email: str


class DutySeed(TypedDict):
    units: list[str]
    text: str


class ActivitySeed(TypedDict):
    letter: str
    title: str
    location: str
    funding: list[str]
    years: list[int]
    party1: DutySeed
    party2: DutySeed
    output: str
    outcome: str
    note: NotRequired[str]  # what the transcriber repaired or kept; not loaded


class ProgramSeed(TypedDict):
    number: int
    title: str
    activities: list[ActivitySeed]


class MouSeed(TypedDict):
    source: str
    agreement: AgreementSeed
    parties: list[PartySeed]
    organizations: list[OrganizationSeed]
    liaison_officers: list[LiaisonSeed]
    programs: list[ProgramSeed]


def read_mou_seed(path: Path = MOU_JSON) -> MouSeed:
    """The transcription as plain data."""
    return cast(MouSeed, json.loads(path.read_text(encoding="utf-8")))
