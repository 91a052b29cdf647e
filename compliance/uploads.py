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

from compliance.models import NonComplianceUpload, SanctionCase
from compliance.services import case_identify
from compliance.states import WARNING_WORKING_DAYS, Category, Status, TransitionRefused
from core.formatting import MONTHS_ID, tanggal
from core.identifiers import IdentifierError, validate_nib, validate_npp, validate_npwp, validate_rupiah
from core.rowerrors import RowErrors, UploadResult
from core.tabular import Column, Row, normalise_label, validate_table
from registry.models import Employer, Region
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
    if not text.isdigit():
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

    def region(self, text: str) -> Region | None:
        if text not in self.regions:
            self.regions[text] = Region.objects.recognise(text)
        return self.regions[text]

    def __call__(self, row: Row, errors: RowErrors) -> ListRow | None:
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
        self._check_conflicts(row, errors, item)
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

    def _check_conflicts(self, row: Row, errors: RowErrors, item: ListRow) -> None:
        """An identifier that finds an employer whose other identifiers differ is a data error to fix."""
        match = Employer.objects.identify(npp=item.npp, nib=item.nib, npwp=item.npwp)
        if match is None:
            return
        employer = match.employer
        for key, value, stored in (("npp", item.npp, employer.npp), ("nib", item.nib, employer.nib)):
            if value and stored and value != stored and key != match.key and employer.parent_id is None:
                message = _("%(key)s berbeda dengan data pemberi kerja yang ditemukan lewat %(by)s (%(stored)s).")
                row.error(errors, key, message % {"key": key.upper(), "by": match.key.upper(), "stored": stored})

    def _check_repeats(self, row: Row, errors: RowErrors, item: ListRow) -> None:
        identity = item.npp or item.nib or item.npwp or f"{item.region.pk}:{normalize_company_name(item.name)}"
        for category in item.categories:
            first = self.seen.setdefault((identity, category), row.number)
            if first != row.number:
                message = _("Pemberi kerja dan kategori ini sudah ada di baris %(row)s.")
                row.error(errors, "category", message % {"row": first})


# --- Storing ---------------------------------------------------------------------------------


def _employer_for(item: ListRow, source: str) -> tuple[Employer, bool]:
    match = Employer.objects.identify(npp=item.npp, nib=item.nib, npwp=item.npwp, name=item.name, region=item.region)
    if match is None:
        employer = Employer.objects.create(
            name=item.name, npp=item.npp, nib=item.nib, npwp=item.npwp, address=item.address, region=item.region
        )
        return employer, True
    employer = match.employer
    # Fill what the registry lacks; never overwrite what it has (a conflict was refused above).
    changed = [
        name
        for name, value in (("npp", item.npp), ("nib", item.nib), ("npwp", item.npwp), ("address", item.address))
        if value and not getattr(employer, name)
    ]
    for name in changed:
        setattr(employer, name, getattr(item, name))
    if employer.region_id is None:
        employer.region, changed = item.region, [*changed, "region"]
    if changed:
        employer.save()
    employer.remember_alias(item.name, source=source)
    return employer, False


def _apply_warnings(case: SanctionCase, item: ListRow, by: User, notes: list[str]) -> None:
    """Warnings BPJS already gave, as the case's steps; a step the case refuses becomes a note."""
    try:
        if item.warning_1 and case.status in {Status.IDENTIFIED, Status.GUIDANCE}:
            case.issue_first_warning(by=by, issued_on=item.warning_1, note=_("Dari daftar ketidakpatuhan."))
        if item.warning_2 and case.status == Status.WARNING_1 and case.warning_1_on == item.warning_1:
            case.issue_second_warning(by=by, issued_on=item.warning_2, note=_("Dari daftar ketidakpatuhan."))
    except TransitionRefused as refused:
        notes.append(_("Baris %(row)s: %(reason)s") % {"row": item.number, "reason": refused})


def _store(items: list[ListRow], *, by: User, source: str, today: datetime.date) -> tuple[dict[str, int], list[str]]:
    counts = {"employers_created": 0, "cases_opened": 0, "cases_existing": 0}
    notes: list[str] = []
    for item in items:
        employer, created = _employer_for(item, source)
        counts["employers_created"] += created
        for category in item.categories:
            case, opened = case_identify(
                employer=employer,
                category=category,
                opened_on=today,
                by=by,
                reference_period=item.period,
                registered_workers=item.registered,
                expected_workers=item.expected,
                arrears_amount=None if item.arrears is None else Decimal(item.arrears),
            )
            counts["cases_opened" if opened else "cases_existing"] += 1
            _apply_warnings(case, item, by, notes)
    return counts, notes


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
    outcome = UploadOutcome(
        result=validate_table(file=file, filename=filename, columns=COLUMNS, check=RowChecker(today=today))
    )
    if dry_run:
        return outcome
    with transaction.atomic():
        if outcome.result.accepted:
            source_label = f"{filename} ({tanggal(today)})"
            outcome.counts, outcome.notes = _store(outcome.result.items, by=by, source=source_label, today=today)
            outcome.result.stored = True
        upload = NonComplianceUpload(
            uploaded_by=by,
            source=source,
            original_name=filename[:255],
            sha256=_sha256(file),
            accepted=outcome.result.accepted,
            rows=outcome.result.rows,
            summary=outcome.summary(),
        )
        upload.file.save(filename.rsplit("/", 1)[-1][:100], File(file), save=False)
        upload.save()
    outcome.upload = upload
    return outcome
