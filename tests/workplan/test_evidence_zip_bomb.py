"""Evidence DOCX/XLSX files pass the same zip-bomb guard as the uploaded lists (issue 8's corpus)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workplan.progress import EvidenceRejected, evidence_check


def _docx(document: bytes) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return SimpleUploadedFile("bukti.docx", buffer.getvalue())


def test_an_ordinary_document_is_accepted() -> None:
    assert evidence_check(_docx(b"<w:document>Notulen rapat koordinasi</w:document>"))[0] == "docx"


def test_a_document_that_inflates_a_thousandfold_is_refused() -> None:
    bomb = _docx(b"<w:document>" + b"0" * (20 * 1024 * 1024) + b"</w:document>")
    assert bomb.size < 100 * 1024  # 20 MB of zeros deflates to about 20 KB
    with pytest.raises(EvidenceRejected, match="rasio kompresinya tidak wajar"):
        evidence_check(bomb)
