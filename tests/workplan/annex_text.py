"""An independent reading of the annex (Dokumen Rencana Kerja) straight from the MoU text.

The seed is a hand transcription; the tests compare it with what this parser reads from
``workplan/seed/nota_kesepakatan_1_2025.txt``: tab-separated rows of 16 columns, header rows
repeated on every page, and rows split across pages (continuation rows have empty leading
columns and carry the rest of each cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MOU_TEXT = Path(__file__).resolve().parents[2] / "workplan" / "seed" / "nota_kesepakatan_1_2025.txt"
COLUMNS = 16
FIRST_YEAR = 2025
# Words broken by a page break, as the text has them, and the word they are.
PAGE_BREAK_WORDS = {"perundangan g-undangan": "perundang-undangan"}
ACTIVITY_START = re.compile(r"^([a-z])\. ")
# Every Pemprov unit the annex names ends with "Provinsi DKI Jakarta"; a cell lists them run together.
UNIT_NAME = re.compile(r"\S.*?(?:Provinsi DKI Jakarta\.?(?= |$)|$)")


@dataclass
class AnnexRow:
    program: int
    program_title: str
    code: str
    title: str
    location: str
    funding_text: str
    years: list[int]
    party1_units: list[str]
    party1_text: str
    party2_units: list[str]
    party2_text: str
    output: str
    outcome: str


def _is_header(cells: list[str]) -> bool:
    return cells[0] in {"No", "(1)"} or cells[5] == "2025" or cells[10] in {"PIHAK KESATU", "PENANGGUNGJAWAB"}


def _table_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index("DOKUMEN RENCANA KERJA")
    rows = [line.split("\t") for line in lines[start:] if "\t" in line]
    assert all(len(cells) == COLUMNS for cells in rows), "every annex row has 16 columns"
    return [[cell.strip() for cell in cells] for cells in rows if not _is_header(cells)]


def _merged_rows(rows: list[list[str]]) -> list[list[str]]:
    merged: list[list[str]] = []
    for cells in rows:
        if ACTIVITY_START.match(cells[2]):
            merged.append(cells)
            continue
        for index, cell in enumerate(cells):
            if cell:
                merged[-1][index] = f"{merged[-1][index]} {cell}".strip()
    return merged


def _repair(cell: str) -> str:
    for broken, word in PAGE_BREAK_WORDS.items():
        cell = cell.replace(broken, word)
    return cell


def split_units(cell: str) -> list[str]:
    return UNIT_NAME.findall(cell)


@cache
def annex_rows() -> tuple[AnnexRow, ...]:
    """The 18 activities of the annex, rows merged across pages."""
    rows: list[AnnexRow] = []
    program, program_title = 0, ""
    for cells in _merged_rows(_table_rows(MOU_TEXT.read_text(encoding="utf-8"))):
        cells = [_repair(cell) for cell in cells]
        if cells[0]:
            program, program_title = int(cells[0]), cells[1]
        letter = ACTIVITY_START.match(cells[2])
        assert letter is not None
        rows.append(_annex_row(program, program_title, letter.group(1), cells))
    return tuple(rows)


def _annex_row(program: int, program_title: str, letter: str, cells: list[str]) -> AnnexRow:
    return AnnexRow(
        program=program,
        program_title=program_title,
        code=f"{program}{letter}",
        title=ACTIVITY_START.sub("", cells[2]),
        location=cells[3],
        funding_text=cells[4],
        years=[FIRST_YEAR + offset for offset, mark in enumerate(cells[5:10]) if mark == "V"],
        party1_units=split_units(cells[10]),
        party1_text=cells[11],
        party2_units=split_units(cells[12]),
        party2_text=cells[13],
        output=cells[14],
        outcome=cells[15],
    )
