"""Personas and helpers for the progress-report tests, on the seeded MoU (``seeded_mou``).

Activity 1c (outreach to BPU workers) has seven Pemprov units, DPPKUKM first and Dishub fourth,
and BPJS Kanwil DKI for PIHAK KEDUA. The personas:

* ``owner``: dinas staff of DPPKUKM (reports for 1c's first unit)
* ``other``: dinas staff of Dishub (another unit on the same activity)
* ``bpjs``: BPJS officer of the Kanwil
* ``secretariat``: Disnakertransgi, verifies
* ``followup``: follow-up agency staff of DPMPTSP (read only)
* ``leadership``: pimpinan, no unit (read only)
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, User
from workplan.models import Activity, Agreement, Organization, ProgressReport, ResponsibleUnit, Side

YEAR = 2025
PASSWORD = "rahasia-uji-123"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_user(username: str, role: str, short_name: str | None) -> User:
    organization = Organization.objects.get(short_name=short_name) if short_name else None
    return User.objects.create_user(username, password=PASSWORD, role=role, organization=organization)


@pytest.fixture
def personas(seeded_mou: Agreement, settings: Any, tmp_path: Any) -> dict[str, User]:
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files never land in the real media folder
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
    return {
        "owner": make_user("staf.dppkukm", Role.DINAS_STAFF, "DPPKUKM"),
        "other": make_user("staf.dishub", Role.DINAS_STAFF, "Dishub"),
        "bpjs": make_user("petugas.bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI"),
        "secretariat": make_user("sekretariat", Role.SECRETARIAT, "Disnakertransgi"),
        "followup": make_user("tindaklanjut", Role.FOLLOWUP_AGENCY, "DPMPTSP"),
        "leadership": make_user("pimpinan", Role.LEADERSHIP, None),
    }


def activity(agreement: Agreement, code: str) -> Activity:
    return Activity.objects.for_agreement(agreement).get(program__number=int(code[0]), letter=code[1:])


def unit_of(agreement: Agreement, code: str, short_name: str) -> ResponsibleUnit:
    return ResponsibleUnit.objects.select_related("organization", "responsibility__activity").get(
        responsibility__activity=activity(agreement, code), organization__short_name=short_name
    )


def filled_report(
    unit: ResponsibleUnit, author: User, *, quarter: int = 1, year: int = YEAR, **values: Any
) -> ProgressReport:
    fields = {
        "realisation": "Sosialisasi di 3 kecamatan, 120 peserta.",
        "achievement": Decimal("75.00"),
        "work_status": "berjalan",
        **values,
    }
    return ProgressReport.objects.create(unit=unit, year=year, quarter=quarter, created_by=author, **fields)


def pdf_upload(name: str = "daftar-hadir.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_upload(name: str, marker: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


__all__ = ["PASSWORD", "YEAR", "Side", "personas"]
