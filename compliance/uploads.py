"""BPJS's non-compliance lists: read, check every row, then open or update cases, all or nothing.

The file goes through the project's one upload pipeline (:mod:`core.tabular`, errors with
:mod:`core.rowerrors`); headers are recognised by name and common variants. Each row names an
employer and one or more categories ("PDS Program dan Piutang"). A list with any row error
changes nothing. An accepted list matches each row to the employer registry (NPP, NIB, NPWP,
then name within the city), creates the employer when it is new, and opens one case per
employer and category, or updates the open one: uploading the same list again changes nothing.
Warning dates already given are applied as the case's first and second written warnings.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import CaseEvent, NameReview, NonComplianceUpload, SanctionCase, step_deadline
from compliance.states import WARNING_WORKING_DAYS, Category, Status, TransitionRefused
from core.formatting import MONTHS_ID, tanggal
from core.identifiers import IdentifierError, validate_nib, validate_npp, validate_npwp, validate_rupiah
from core.rowerrors import RowErrors, UploadResult
from core.tabular import Column, Row, normalise_label, validate_table
from registry.matching import Candidate, Wanted, match_batch, similar_names
from registry.models import Employer, EmployerAlias, EmployerMatch, MatchDecision, Region
from registry.names import normalize_company_name, normalize_npwp

if TYPE_CHECKING:
    from accounts.models import User

COLUMNS = [
    Column("npp", "NPP", aliases=("No NPP", "Nomor NPP", "NPP Perusahaan"), required=False),
    Column("name", "Nama Perusahaan", aliases=("Nama Pemberi Kerja", "Perusahaan", "Nama Badan Usaha", "Nama PK")),
    Column("nib", "NIB", aliases=("Nomor Induk Berusaha",), required=False),
    Column("npwp", "NPWP", aliases=("NPWP Perusahaan",), required=False),
    Column("address", "Alamat", aliases=("Alamat Perusahaan",), required=False),
    Column("city", "Kota", aliases=("Wilayah", "Kota/Kabupaten", "Kab/Kota", "Wilayah Kota", "Kabupaten/Kota")),
    Column("category", "Kategori", aliases=("Kategori Ketidakpatuhan", "Jenis Ketidakpatuhan", "Ketidakpatuhan")),
    Column(
        "registered",
        "TK Terdaftar",
        aliases=("Jumlah TK Terdaftar", "Tenaga Kerja Terdaftar", "Jml TK Terdaftar"),
        required=False,
    ),
    Column(
        "expected",
        "TK Seharusnya",
        aliases=("Jumlah TK Seharusnya", "Tenaga Kerja Seharusnya", "Jumlah Tenaga Kerja", "Jml TK"),
        required=False,
    ),
    Column(
        "arrears",
        "Tunggakan",
        aliases=("Tunggakan Iuran", "Piutang", "Nilai Tunggakan", "Piutang Iuran"),
        required=False,
    ),
    Column("period", "Periode", aliases=("Periode Data", "Periode Laporan"), required=False),
    Column(
        "warning_1",
        "Tanggal Teguran 1",
        aliases=("Teguran 1", "Teguran I", "Tgl Teguran 1", "Tanggal Teguran I"),
        required=False,
    ),
    Column(
        "warning_2",
        "Tanggal Teguran 2",
        aliases=("Teguran 2", "Teguran II", "Tgl Teguran 2", "Tanggal Teguran II"),
        required=False,
    ),
]

CATEGORY_WORDS = {
    "pwbd": Category.PWBD,
    "pdstk": Category.PDS_TK,
    "pdstenagakerja": Category.PDS_TK,
    "pdsupah": Category.PDS_UPAH,
    "pdsprogram": Category.PDS_PROGRAM,
    "piutang": Category.ARREARS,
    "tunggakan": Category.ARREARS,
    "tunggakaniuran": Category.ARREARS,
}
_CATEGORY_SPLIT = re.compile(r"\s*(?:,|;|\+|&|\bdan\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ListRow:
    number: int
    name: str
    npp: str
    nib: str
    npwp: str
    address: str
    region: Region
    categories: tuple[str, ...]
    registered: int | None
    expected: int | None
    arrears: int | None
    period: str
    warning_1: datetime.date | None
    warning_2: datetime.date | None

    @property
    def wanted(self) -> Wanted:
        return Wanted(npp=self.npp, nib=self.nib, npwp=self.npwp, name=self.name, region_id=self.region.pk)

    @property
    def figures(self) -> dict[str, Any]:
        """What the row says about the case, only where it says something."""
        figures = {
            "reference_period": self.period,
            "registered_workers": self.registered,
            "expected_workers": self.expected,
            "arrears_amount": None if self.arrears is None else Decimal(self.arrears),
        }
        return {name: value for name, value in figures.items() if value not in (None, "")}


@dataclass
class UploadOutcome:
    result: UploadResult[ListRow]
    upload: NonComplianceUpload | None = None
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {**self.result.summary(), **self.counts, "notes": self.notes}


# --- Reading cells ---------------------------------------------------------------------------


def parse_categories(text: str) -> tuple[list[str], list[str]]:
    """(categories, unknown words): ``PDS Program dan Piutang`` -> ([pds_program, tunggakan], [])."""
    found: list[str] = []
    unknown: list[str] = []
    for part in filter(None, _CATEGORY_SPLIT.split(text.strip())):
        category = CATEGORY_WORDS.get(normalise_label(part))
        if category is None:
            unknown.append(part)
        elif category not in found:
            found.append(category)
    return found, unknown


_MONTHS = {month.lower(): number for number, month in enumerate(MONTHS_ID, start=1)}


def parse_date(text: str) -> datetime.date:
    """``2025-06-02``, ``02/06/2025``, ``2-6-2025`` or ``2 Juni 2025``; ValueError otherwise."""
    value = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", value):
        year, month, day = (int(part) for part in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value):
        day, month, year = (int(part) for part in match.groups())
    elif (match := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", value)) and match[2].lower() in _MONTHS:
        day, month, year = int(match[1]), _MONTHS[match[2].lower()], int(match[3])
    else:
        raise ValueError(value)
    return datetime.date(year, month, day)


def _count(row: Row, errors: RowErrors, key: str) -> int | None:
    text = row[key].replace(".", "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to str.isdigit, not to int()
        row.error(errors, key, _("Jumlah tenaga kerja harus bilangan bulat tidak negatif."))
        return None
    return int(text)


def _date(row: Row, errors: RowErrors, key: str, today: datetime.date) -> datetime.date | None:
    if not row[key].strip():
        return None
    try:
        day = parse_date(row[key])
    except ValueError:
        row.error(errors, key, _("Tanggal tidak dikenali. Tulis seperti 2025-06-02, 02/06/2025 atau 2 Juni 2025."))
        return None
    if day > today:
        row.error(errors, key, _("Tanggal teguran tidak boleh melewati hari ini."))
        return None
    return day


def _identifier(row: Row, errors: RowErrors, key: str, validate: Callable[[object], str]) -> str:
    if not row[key].strip():
        return ""
    try:
        return validate(row[key])
    except IdentifierError as error:
        row.error(errors, key, " ".join(error.messages))
        return ""


# --- Checking a row --------------------------------------------------------------------------


class RowChecker:
    """Checks rows one by one; remembers what it saw to refuse a row that repeats another."""

    def __init__(self, *, today: datetime.date) -> None:
        self.today = today
        self.regions: dict[str, Region | None] = {}
        self.seen: dict[tuple[str, str], int] = {}
        self.headers: dict[str, str] = {}

    def region(self, text: str) -> Region | None:
        if text not in self.regions:
            self.regions[text] = Region.objects.recognise(text)
        return self.regions[text]

    def __call__(self, row: Row, errors: RowErrors) -> ListRow | None:
        self.headers = dict(row.headers)
        before = len(errors)
        name = " ".join(row["name"].split())
        if not normalize_company_name(name):
            row.error(errors, "name", _("Nama perusahaan wajib diisi."))
        npp = _identifier(row, errors, "npp", validate_npp)
        nib = _identifier(row, errors, "nib", validate_nib)
        npwp = normalize_npwp(_identifier(row, errors, "npwp", validate_npwp))
        region = self.region(row["city"])
        if region is None:
            row.error(
                errors, "city", _("Kota tidak dikenal. Tulis nama kota administrasi DKI atau kode BPS/Kemendagri.")
            )
        categories, unknown = parse_categories(row["category"])
        if unknown or not categories:
            message = _("Kategori tidak dikenal: %(words)s. Pilihan: PWBD, PDS TK, PDS Upah, PDS Program, Piutang.")
            row.error(errors, "category", message % {"words": ", ".join(unknown) or "-"})
        arrears = None
        if row["arrears"].strip():
            try:
                arrears = validate_rupiah(row["arrears"])
            except IdentifierError as error:
                row.error(errors, "arrears", " ".join(error.messages))
        warning_1 = _date(row, errors, "warning_1", self.today)
        warning_2 = _date(row, errors, "warning_2", self.today)
        self._check_warnings(row, errors, warning_1, warning_2)
        if len(errors) > before or region is None:
            return None
        item = ListRow(
            number=row.number,
            name=name,
            npp=npp,
            nib=nib,
            npwp=npwp,
            address=" ".join(row["address"].split()),
            region=region,
            categories=tuple(categories),
            registered=_count(row, errors, "registered"),
            expected=_count(row, errors, "expected"),
            arrears=arrears,
            period=row["period"].strip()[:20],
            warning_1=warning_1,
            warning_2=warning_2,
        )
        self._check_repeats(row, errors, item)
        return None if len(errors) > before else item

    def _check_warnings(
        self, row: Row, errors: RowErrors, first: datetime.date | None, second: datetime.date | None
    ) -> None:
        from core.workdays import add_working_days

        if second and not first:
            row.error(errors, "warning_2", _("Teguran II tanpa tanggal teguran I."))
        elif first and second and second <= add_working_days(first, WARNING_WORKING_DAYS):
            message = _("Teguran II baru boleh sesudah teguran I berakhir (%(end)s).")
            row.error(errors, "warning_2", message % {"end": tanggal(add_working_days(first, WARNING_WORKING_DAYS))})

    def check_conflicts(self, items: list[ListRow], matches: list[EmployerMatch | None], errors: RowErrors) -> None:
        """An identifier that finds an employer whose other identifiers differ is a data error to fix."""
        for item, match in zip(items, matches, strict=True):
            if match is None or match.employer.parent_id is not None:
                continue
            for key, value, stored in (("npp", item.npp, match.employer.npp), ("nib", item.nib, match.employer.nib)):
                if value and stored and value != stored and key != match.key:
                    message = _("%(key)s berbeda dengan data pemberi kerja yang ditemukan lewat %(by)s (%(stored)s).")
                    errors.add(
                        row=item.number,
                        column=self.headers.get(key, key),
                        value=value,
                        message=message % {"key": key.upper(), "by": match.key.upper(), "stored": stored},
                    )

    def _check_repeats(self, row: Row, errors: RowErrors, item: ListRow) -> None:
        identity = item.npp or item.nib or item.npwp or f"{item.region.pk}:{normalize_company_name(item.name)}"
        for category in item.categories:
            first = self.seen.setdefault((identity, category), row.number)
            if first != row.number:
                message = _("Pemberi kerja dan kategori ini sudah ada di baris %(row)s.")
                row.error(errors, "category", message % {"row": first})


# --- Storing ---------------------------------------------------------------------------------


def _identity_keys(item: ListRow) -> list[str]:
    keys = [
        f"npp:{item.npp}" * bool(item.npp),
        f"nib:{item.nib}" * bool(item.nib),
        f"npwp:{item.npwp}" * bool(item.npwp),
    ]
    return [key for key in keys if key] + [f"nama:{item.region.pk}:{normalize_company_name(item.name)}"]


def _employers(items: list[ListRow], matches: list[EmployerMatch | None], source: str) -> tuple[list[Employer], int]:
    """The employer of each row: the matched one (blanks filled in, name kept as alias) or a new one."""
    known: dict[int, Employer] = {}
    new: dict[str, Employer] = {}
    changed: set[str] = set()
    aliases: dict[tuple[int, str], EmployerAlias] = {}
    result: list[Employer] = []
    for item, match in zip(items, matches, strict=True):
        if match is None:
            keys = _identity_keys(item)
            employer = next((new[key] for key in keys if key in new), None)
            if employer is None:
                employer = Employer(
                    name=item.name, npp=item.npp, nib=item.nib, npwp=item.npwp, address=item.address, region=item.region
                )
                employer.normalize()
            new.update(dict.fromkeys(keys, employer))
            result.append(employer)
            continue
        employer = known.setdefault(match.employer.pk, match.employer)
        # Fill what the registry lacks; never overwrite what it has (a conflict was refused above).
        for name in ("npp", "nib", "npwp", "address"):
            if getattr(item, name) and not getattr(employer, name):
                setattr(employer, name, getattr(item, name))
                changed.add(name)
        if employer.region_id is None:
            employer.region = item.region
            changed.add("region")
        normalized = normalize_company_name(item.name)
        if normalized and normalized != employer.name_normalized:
            aliases.setdefault(
                (employer.pk, normalized),
                EmployerAlias(employer=employer, name=item.name[:300], name_normalized=normalized, source=source[:200]),
            )
        result.append(employer)
    created = Employer.objects.bulk_create({id(e): e for e in new.values()}.values(), batch_size=2_000)
    if changed:
        Employer.objects.bulk_update(known.values(), [*changed, "updated_at"], batch_size=2_000)
    EmployerAlias.objects.bulk_create(aliases.values(), ignore_conflicts=True, batch_size=2_000)
    return result, len(created)


def _cases(
    items: list[ListRow], employers: list[Employer], *, by: User, today: datetime.date, counts: dict[str, int]
) -> dict[tuple[int, str], SanctionCase]:
    """The open case of each employer and category: the existing one (figures updated) or a new one."""
    open_cases = SanctionCase.objects.open().select_for_update().filter(employer_id__in={e.pk for e in employers})
    cases = {(case.employer_id, case.category): case for case in open_cases}
    deadline = step_deadline(Status.IDENTIFIED, today)
    new: list[SanctionCase] = []
    changed: dict[int, SanctionCase] = {}
    fields: set[str] = set()
    for item, employer in zip(items, employers, strict=True):
        figures = item.figures
        for category in item.categories:
            case = cases.get((employer.pk, category))
            if case is None:
                case = SanctionCase(employer=employer, category=category, opened_on=today, deadline=deadline, **figures)
                cases[(employer.pk, category)] = case
                new.append(case)
                counts["cases_opened"] += 1
                continue
            counts["cases_existing"] += 1
            for name, value in figures.items():
                if getattr(case, name) != value:
                    setattr(case, name, value)
                    changed[case.pk], fields = case, fields | {name}
    SanctionCase.objects.bulk_create(new, batch_size=2_000)
    opened = CaseEvent.OPENED
    CaseEvent.objects.bulk_create(
        (CaseEvent(case=c, action=opened, from_status=c.status, to_status=c.status, actor=by) for c in new),
        batch_size=2_000,
    )
    if changed:
        SanctionCase.objects.bulk_update(changed.values(), [*fields, "updated_at"], batch_size=2_000)
    return cases


def _apply_warnings(case: SanctionCase, item: ListRow, by: User, notes: list[str]) -> None:
    """Warnings BPJS already gave, as the case's steps; a step the case refuses becomes a note."""
    try:
        if item.warning_1 and case.status in {Status.IDENTIFIED, Status.GUIDANCE}:
            case.issue_first_warning(by=by, issued_on=item.warning_1, note=_("Dari daftar ketidakpatuhan."))
        if item.warning_2 and case.status == Status.WARNING_1 and case.warning_1_on == item.warning_1:
            case.issue_second_warning(by=by, issued_on=item.warning_2, note=_("Dari daftar ketidakpatuhan."))
    except TransitionRefused as refused:
        notes.append(_("Baris %(row)s: %(reason)s") % {"row": item.number, "reason": refused})


def _store(
    items: list[ListRow], matches: list[EmployerMatch | None], *, by: User, source: str, today: datetime.date
) -> tuple[dict[str, int], list[str], list[Employer]]:
    counts = {"employers_created": 0, "cases_opened": 0, "cases_existing": 0}
    employers, counts["employers_created"] = _employers(items, matches, source)
    cases = _cases(items, employers, by=by, today=today, counts=counts)
    notes: list[str] = []
    for item, employer in zip(items, employers, strict=True):
        if item.warning_1:
            for category in item.categories:
                _apply_warnings(cases[(employer.pk, category)], item, by, notes)
    return counts, notes, employers


def _recall_decisions(items: list[ListRow], matches: list[EmployerMatch | None]) -> set[int]:
    """Apply what a reviewer already decided for a name in a city (``registry.MatchDecision``).

    A row still unmatched whose name was answered before is linked to that employer; one answered
    "none of them" stays new and is never proposed again. Returns the row numbers answered so.
    """
    unmatched = [(i, item) for i, (item, match) in enumerate(zip(items, matches, strict=True)) if match is None]
    pairs = {(item.region.pk, normalize_company_name(item.name)) for _i, item in unmatched}
    decisions = MatchDecision.objects.recall(pairs)
    employers = Employer.objects.in_bulk({d.employer_id for d in decisions.values() if d.employer_id})
    answered: set[int] = set()
    for index, item in unmatched:
        decision = decisions.get((item.region.pk, normalize_company_name(item.name)))
        if decision is None:
            continue
        answered.add(item.number)
        if decision.employer_id in employers:
            matches[index] = EmployerMatch(employers[decision.employer_id], "keputusan")
    return answered


def _similar_names(
    items: list[ListRow], matches: list[EmployerMatch | None], answered: set[int]
) -> tuple[list[str], dict[int, Candidate]]:
    """Rows that will create an employer although the registry has a very similar name in the city.

    Returns the notes and the proposals by row number (for the review queue); rows whose name
    was already answered by a reviewer are not proposed again.
    """
    unmatched = [
        item for item, match in zip(items, matches, strict=True) if match is None and item.number not in answered
    ]
    notes, proposals = [], {}
    for item, candidate in zip(unmatched, similar_names([i.wanted for i in unmatched]), strict=True):
        if candidate is not None:
            message = _(
                "Baris %(row)s: pemberi kerja baru, tetapi namanya mirip %(name)s (kemiripan %(score)s). "
                "Masuk antrean tinjauan nama mirip."
            )
            notes.append(message % {"row": item.number, "name": candidate.name, "score": f"{candidate.score:.2f}"})
            proposals[item.number] = candidate
    return notes, proposals


def _queue_reviews(
    items: list[ListRow], employers: list[Employer], proposals: dict[int, Candidate], upload: NonComplianceUpload
) -> int:
    """One pending review per new employer that has a similar registered name."""
    reviews: dict[int, NameReview] = {}
    for item, employer in zip(items, employers, strict=True):
        candidate = proposals.get(item.number)
        if candidate is None or employer.pk in reviews or employer.pk == candidate.employer_id:
            continue
        listed = {"name": item.name, "npp": item.npp, "nib": item.nib, "npwp": item.npwp, "address": item.address}
        reviews[employer.pk] = NameReview(
            upload=upload, row=item.number, employer=employer, listed=listed,
            candidate_id=candidate.employer_id, region=item.region, score=candidate.score,
        )  # fmt: skip
    NameReview.objects.bulk_create(reviews.values(), ignore_conflicts=True)
    return len(reviews)


def _sha256(file: IO[bytes]) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def noncompliance_list_upload(
    *,
    file: IO[bytes],
    filename: str,
    by: User,
    source: str,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> UploadOutcome:
    """Check a non-compliance list and, when every row is right and this is no dry run, apply it.

    Returns the outcome with the pipeline's result (rows, errors), the counts (employers created,
    cases opened, cases already open) and notes. Every real upload, accepted or not, is recorded
    as a ``NonComplianceUpload`` with its file and SHA-256; a dry run records and changes nothing.
    """
    today = today or timezone.localdate()
    checker = RowChecker(today=today)
    result = validate_table(file=file, filename=filename, columns=COLUMNS, check=checker)
    outcome = UploadOutcome(result=result)
    matches: list[EmployerMatch | None] = []
    proposals: dict[int, Candidate] = {}
    answered: set[int] = set()
    employers: list[Employer] = []
    if result.accepted:
        matches = match_batch([item.wanted for item in result.items])
        answered = _recall_decisions(result.items, matches)
        checker.check_conflicts(result.items, matches, result.errors)
    if result.accepted:
        outcome.notes, proposals = _similar_names(result.items, matches, answered)
    if dry_run:
        return outcome
    with transaction.atomic():
        if result.accepted:
            source_label = f"{filename} ({tanggal(today)})"
            outcome.counts, notes, employers = _store(result.items, matches, by=by, source=source_label, today=today)
            outcome.notes += notes
            result.stored = True
        upload = NonComplianceUpload(
            uploaded_by=by,
            source=source,
            original_name=filename[:255],
            sha256=_sha256(file),
            accepted=result.accepted,
            rows=result.rows,
            summary=outcome.summary(),
        )
        # Only the last part of a name from any system (``..\\..\\x.csv`` too) names the stored file.
        upload.file.save(filename.replace("\\", "/").rsplit("/", 1)[-1][:100] or "daftar", File(file), save=False)
        upload.save()
        if result.accepted:
            outcome.counts["name_reviews"] = _queue_reviews(result.items, employers, proposals, upload)
            upload.summary = outcome.summary()
            upload.save(update_fields=["summary"])
    outcome.upload = upload
    return outcome
