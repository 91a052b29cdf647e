"""Streams seeded from the MoU, personas of the data exchange, and small 2e files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Role
from dataexchange.models import Stream
from dataexchange.seed import streams_ensure
from workplan.models import Agreement, Organization

VALID = ["3171014107850001", "3172025503900002", "3173031212800003", "3174040101700004"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def streams(seeded_mou: Agreement) -> dict[str, Stream]:
    streams_ensure(agreement=seeded_mou)
    return {stream.code: stream for stream in Stream.objects.all()}


@pytest.fixture
def personas(streams: dict[str, Stream]) -> dict[str, Any]:
    """dinsos (owner unit of its 2e list), dishub (another sender), bpjs (receiver), sekretariat, outsider."""
    users = get_user_model().objects

    def user(name: str, role: str, unit: str | None) -> Any:
        organization = Organization.objects.get(short_name=unit) if unit else None
        return users.create_user(username=name, password="x", role=role, organization=organization)

    return {
        "dinsos": user("dinsos", Role.DINAS_STAFF, "Dinsos"),
        "dishub": user("dishub", Role.DINAS_STAFF, "Dishub"),
        "bpjs": user("bpjs", Role.BPJS_OFFICER, "BPJS Kanwil DKI"),
        "sekretariat": user("sekretariat", Role.SECRETARIAT, "Disnakertransgi"),
        "outsider": user("outsider", Role.FOLLOWUP_AGENCY, "Citata"),
    }


def csv_file(rows: list[list[str]], *, header: tuple[str, ...] = ("Nama", "NIK", "No. HP"), sep: str = ",") -> bytes:
    lines = [sep.join(header), *(sep.join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def regions(db: None) -> None:
    """DKI's regions (seeded by a data migration), which a transactional test elsewhere may have flushed."""
    from tests.registry.seed import ensure_reference_rows

    ensure_reference_rows()


def csv_text(response: Any) -> str:
    """The text of a CSV download, streamed or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")
