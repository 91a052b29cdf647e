"""The recommendation and revocation letters: Indonesian official letters as A4 PDFs (WeasyPrint)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from compliance.models import CaseLetter, SanctionCase, ServiceFollowUp
from compliance.states import REVOCATION_EVIDENCE, EvidenceKind, Status
from core.formatting import join_id, tanggal
from core.pdf import render_pdf
from workplan.models import Agreement, LiaisonOfficer, Side

# The MoU's legal basis for TMP2T (its considerations 9 and 12) and the regulation now in force,
# which carries the same title (DOMAIN.md §1.2).
LEGAL_BASIS = [
    "Peraturan Pemerintah Nomor 86 Tahun 2013 tentang Tata Cara Pengenaan Sanksi Administratif Kepada Pemberi "
    "Kerja Selain Penyelenggara Negara Dan Setiap Orang, Selain Pemberi Kerja, Pekerja, Dan Penerima Bantuan "
    "Iuran Dalam Penyelenggaraan Jaminan Sosial",
    "Peraturan Menteri Ketenagakerjaan Nomor 23 Tahun 2016 tentang Tata Cara Pengenaan dan Pencabutan Sanksi "
    "Administratif Tidak Mendapat Pelayanan Publik Tertentu Bagi Pemberi Kerja Selain Penyelenggara Negara",
    "Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2018 tentang Tata Cara Pengenaan dan Pencabutan Sanksi "
    "Administratif Tidak Mendapat Pelayanan Publik Tertentu Bagi Pemberi Kerja Selain Penyelenggara Negara",
]
# Pasal 14 of the MoU, used until the liaison officers are loaded (load_seed_mou).
DEFAULT_LETTERHEAD = {
    "office": "Dinas Tenaga Kerja, Transmigrasi dan Energi",
    "address": "Jalan Prajurit KKO Usman dan Harun Nomor 52, Kota Administrasi Jakarta Pusat 10110",
    "phones": "(021) 3848303, (021) 3847937",
    "email": "disnakertrans@jakarta.go.id",
    "signatory_title": "Kepala Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi Daerah Khusus Ibukota Jakarta",
}
COPIES = ["Kepala Kantor Wilayah BPJS Ketenagakerjaan DKI Jakarta", "Pemberi kerja yang bersangkutan"]


def _letterhead() -> dict[str, str]:
    liaison = LiaisonOfficer.objects.filter(side=Side.FIRST).order_by("-valid_from").first()
    if liaison is None:
        return DEFAULT_LETTERHEAD
    return {
        **DEFAULT_LETTERHEAD,
        "address": " ".join(liaison.address.split()),
        "phones": ", ".join(liaison.phones),
        "email": liaison.email,
    }


def _agreement_basis() -> str:
    agreement = Agreement.objects.order_by("-signed_on").first()
    if agreement is None:
        return "Nota Kesepakatan Pemerintah Provinsi DKI Jakarta dan BPJS Ketenagakerjaan Kantor Wilayah DKI Jakarta"
    return (
        f"Nota Kesepakatan antara Pemerintah Provinsi Daerah Khusus Ibukota Jakarta dan Badan Penyelenggara Jaminan "
        f"Sosial Ketenagakerjaan Kantor Wilayah DKI Jakarta Nomor {agreement.number} dan Nomor "
        f"{agreement.second_number} tanggal {tanggal(agreement.signed_on)} tentang {agreement.title}"
    )


def _letter_context(
    case: SanctionCase, followups: Sequence[ServiceFollowUp], number: str, day: datetime.date
) -> dict[str, Any]:
    requested = case.events.filter(to_status=Status.TMP2T_REQUESTED).order_by("-at").first()
    return {
        "case": case,
        "employer": case.employer,
        "number": number,
        "issued_on_text": tanggal(day),
        "letterhead": _letterhead(),
        "legal_basis": [*LEGAL_BASIS, _agreement_basis()],
        "addressees": [f"Kepala {f.unit.name}" for f in followups],
        "services": [
            {"service": f.get_service_display(), "unit": f.unit.short_name, "reference": f.withheld_reference}
            for f in followups
        ],
        "copies": COPIES,
        "attachments": "-",
        "requested_on_text": tanggal(requested.at.date()) if requested else "",
        "warning_1_text": tanggal(case.warning_1_on),
        "warning_2_text": tanggal(case.warning_2_on),
        "fine_text": tanggal(case.fine_on),
        "recommendation_text": tanggal(case.recommendation_on),
        "evidence_text": join_id(
            [str(kind.label).lower() for kind in EvidenceKind if kind in REVOCATION_EVIDENCE[case.category]]
        ),
    }


def write_letter(*, case: SanctionCase, kind: str, followups: Sequence[ServiceFollowUp], subject: str) -> CaseLetter:
    is_recommendation = kind == CaseLetter.Kind.RECOMMENDATION
    number = case.recommendation_number if is_recommendation else case.revocation_number
    # Both dates are set by the transition just taken.
    day = (case.recommendation_on if is_recommendation else case.revocation_on) or case.status_changed_at.date()
    context = {**_letter_context(case, followups, number, day), "subject": subject}
    template = "compliance/letters/recommendation.html" if is_recommendation else "compliance/letters/revocation.html"
    pdf = render_pdf(render_to_string(template, context))
    letter = CaseLetter(case=case, kind=kind, number=number, issued_on=day, sha256=hashlib.sha256(pdf).hexdigest())
    letter.file.save(f"surat-{kind}-{case.pk}.pdf", ContentFile(pdf), save=False)
    letter.save()
    return letter
