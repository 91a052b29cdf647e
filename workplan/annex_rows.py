"""Validating one row of an annex spreadsheet: program, activity, funding, years, units.

Used by :mod:`workplan.annex_sheet`. Every problem of a row is reported (not only the first),
with the row number, the column and the value as the file has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from core.formatting import join_id
from core.rowerrors import RowErrors
from core.tabular import Row
from workplan.models import Agreement, FundingSource, Organization, Side

LETTER = re.compile(r"^([a-z]{1,2})\s*[.)]\s*(.*)$", re.DOTALL)
UNIT_SEPARATOR = re.compile(r"[\n;]+")
SIDE_KEYS: dict[int, tuple[str, str]] = {
    Side.FIRST.value: ("first_units", "first_text"),
    Side.SECOND.value: ("second_units", "second_text"),
}
REQUIRED = {"location": "LOKASI", "output": "OUTPUT", "outcome": "OUTCOME"}


@dataclass
class AnnexRow:
    """One valid annex row, ready to store."""

    number: int
    program_number: int
    program_title: str
    letter: str
    title: str
    location: str
    funding: list[str]
    years: list[int]
    output: str
    outcome: str
    units: dict[int, list[Organization]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)

    def activity_fields(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "location": self.location,
            "funding": self.funding,
            "years": self.years,
            "output": self.output,
            "outcome": self.outcome,
        }


@dataclass
class ProgramState:
    number: int | None
    title: str
    row: int
    letters: dict[str, int] = field(default_factory=dict)


# --- Funding (column 5) ----------------------------------------------------------------------


def split_funding(text: str, names: list[str]) -> list[str] | None:
    """``APBN, APBD dan X`` into known names, or ``None`` when a part is not a known source.

    Names may themselves contain commas and "dan", so the text is matched against the names
    (longest first, with backtracking) rather than split on separators.
    """
    text = " ".join(text.split()).rstrip(" .;")
    ordered = sorted({" ".join(name.split()) for name in names}, key=len, reverse=True)

    @cache
    def parse(start: int) -> tuple[str, ...] | None:
        for name in ordered:
            end = start + len(name)
            if text[start:end].casefold() != name.casefold():
                continue
            if end == len(text):
                return (name,)
            for separator in (", dan ", ", ", " dan "):
                if text[end : end + len(separator)].casefold() == separator:
                    rest = parse(end + len(separator))
                    if rest is not None:
                        return (name, *rest)
        return None

    found = parse(0) if text else ()
    return None if found is None else list(found)


# --- Units (columns 11 and 13) ---------------------------------------------------------------


class UnitResolver:
    """Finds an organization by official name, short name or alias, ignoring case and punctuation."""

    def __init__(self) -> None:
        self._found: dict[str, list[Organization]] = {}
        self._choices: dict[int, tuple[str, Organization]] | None = None

    def matches(self, text: str) -> list[Organization]:
        if text not in self._found:
            self._found[text] = list(Organization.objects.by_name(text)[:2])
        return self._found[text]

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """The closest official names, for the error message."""
        if self._choices is None:
            names = ((o.name, o) for o in Organization.objects.all())
            self._choices = dict(enumerate(names))
        choices = {key: name for key, (name, _org) in self._choices.items()}
        found = process.extract(
            text, choices, scorer=fuzz.ratio, processor=utils.default_process, limit=limit, score_cutoff=50
        )
        return [f"{name} ({self._choices[key][1].short_name})" for name, _score, key in found]


# --- The row validator -----------------------------------------------------------------------


class AnnexValidator:
    """Called once per row, in file order; keeps the current program between rows."""

    def __init__(self, *, agreement: Agreement, years: dict[str, int]) -> None:
        self.years = years
        self.units = UnitResolver()
        self.funding_names = list(FundingSource.objects.values_list("name", flat=True))
        self.institutions = {party.side: party.institution for party in agreement.parties.all()}
        self.program: ProgramState | None = None
        self.programs: dict[int, int] = {}

    def __call__(self, row: Row, errors: RowErrors) -> AnnexRow | None:
        before = len(errors)
        program = self.check_program(row, errors)
        letter, title = self.check_activity(row, errors, program)
        for key, label in REQUIRED.items():
            if not row[key]:
                row.error(errors, key, _("Kolom %(column)s wajib diisi.") % {"column": label})
        funding = self.check_funding(row, errors)
        years = self.check_years(row, errors)
        units = {side: self.check_units(row, errors, side) for side in SIDE_KEYS}
        texts = {side: self.check_party_text(row, errors, side) for side in SIDE_KEYS}
        if len(errors) > before or program is None or program.number is None:
            return None
        return AnnexRow(
            number=row.number,
            program_number=program.number,
            program_title=program.title,
            letter=letter,
            title=title,
            location=row["location"],
            funding=funding,
            years=years,
            output=row["output"],
            outcome=row["outcome"],
            units=units,
            texts=texts,
        )

    def check_program(self, row: Row, errors: RowErrors) -> ProgramState | None:
        """Columns (1) and (2): filled on a program's first row; may be repeated on the next ones."""
        if not row["no"]:
            if row["program"]:
                row.error(errors, "no", _("Nomor program kosong, padahal judul program diisi."))
            elif self.program is None:
                row.error(errors, "no", _("Baris kegiatan sebelum program pertama: isi nomor dan judul program."))
                self.program = ProgramState(number=None, title="", row=row.number)  # reported once, not per row
            return self.program
        number = parse_number(row["no"])
        if number is None:
            row.error(errors, "no", _("Nomor program harus bilangan bulat, misalnya 1."))
        elif self.program is not None and number == self.program.number:
            if row["program"] and row["program"] != self.program.title:
                message = _("Judul program berbeda dengan judul di baris %(row)s.") % {"row": self.program.row}
                row.error(errors, "program", message)
            return self.program
        elif number in self.programs:
            message = _("Nomor program %(number)s sudah dipakai di baris %(row)s.")
            row.error(errors, "no", message % {"number": number, "row": self.programs[number]})
        else:
            self.programs[number] = row.number
        if not row["program"]:
            row.error(errors, "program", _("Judul program wajib diisi pada baris pertama program."))
        self.program = ProgramState(number=number, title=row["program"], row=row.number)
        return self.program

    def check_activity(self, row: Row, errors: RowErrors, program: ProgramState | None) -> tuple[str, str]:
        """Column (3): ``a. Judul kegiatan``, the letter unique within the program."""
        match = LETTER.match(row["activity"])
        if not row["activity"] or (match and not match.group(2).strip()):
            row.error(errors, "activity", _("Judul tahapan kegiatan wajib diisi."))
            return "", ""
        if match is None:
            row.error(errors, "activity", _('Tahapan kegiatan harus diawali huruf kegiatan, misalnya "a. ".'))
            return "", ""
        letter, title = match.group(1), match.group(2).strip()
        if program is not None and letter in program.letters:
            message = _('Huruf kegiatan "%(letter)s" sudah dipakai di baris %(row)s dalam program yang sama.')
            row.error(errors, "activity", message % {"letter": letter, "row": program.letters[letter]})
        elif program is not None:
            program.letters[letter] = row.number
        return letter, title

    def check_funding(self, row: Row, errors: RowErrors) -> list[str]:
        funding = split_funding(row["funding"], self.funding_names)
        if funding is None:
            message = _("Sumber dana tidak dikenal. Tulis satu atau beberapa dari: %(names)s.")
            row.error(errors, "funding", message % {"names": "; ".join(self.funding_names) or "-"})
            return []
        return funding

    def check_years(self, row: Row, errors: RowErrors) -> list[int]:
        years = []
        for key, year in self.years.items():
            value = row[key].upper()
            if value == "V":
                years.append(year)
            elif value:
                row.error(errors, key, _("Isi kolom tahun dengan huruf V atau kosongkan."))
        return years

    def check_units(self, row: Row, errors: RowErrors, side: int) -> list[Organization]:
        """Column (11)/(13): one unit per line; each must be known, once, and of this party."""
        key = SIDE_KEYS[side][0]
        names = [name.strip() for name in UNIT_SEPARATOR.split(row[key]) if name.strip()]
        if not names:
            row.error(errors, key, _("Penanggung jawab wajib diisi, satu unit kerja per baris."))
        units: list[Organization] = []
        for name in names:
            unit = self.resolve_unit(row, errors, key, name)
            if unit is not None and unit in units:
                row.error(errors, key, _("Unit kerja ini tercantum dua kali."), value=name)
            elif unit is not None and self.institutions.get(side, unit.institution) != unit.institution:
                row.error(
                    errors, key, _("Unit kerja ini bukan unit %(side)s.") % {"side": Side(side).label}, value=name
                )
            elif unit is not None:
                units.append(unit)
        return units

    def resolve_unit(self, row: Row, errors: RowErrors, key: str, name: str) -> Organization | None:
        found = self.units.matches(name)
        if len(found) == 1:
            return found[0]
        if found:
            row.error(errors, key, _("Nama unit kerja ini cocok dengan lebih dari satu unit."), value=name)
            return None
        close = self.units.suggestions(name)
        message = _("Unit kerja tidak dikenal; tulis satu unit kerja per baris.")
        if close:
            message += " " + _("Mungkin maksudnya: %(names)s.") % {"names": join_id(close)}
        row.error(errors, key, message, value=name)
        return None

    def check_party_text(self, row: Row, errors: RowErrors, side: int) -> str:
        key = SIDE_KEYS[side][1]
        if not row[key]:
            row.error(errors, key, _("Kegiatan %(side)s wajib diisi.") % {"side": Side(side).label})
        return row[key]


def parse_number(text: str) -> int | None:
    text = text.strip().rstrip(".")
    return int(text) if text.isdigit() and 0 < int(text) < 1000 else None
