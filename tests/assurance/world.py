"""A world with objects of two units and both parties, each carrying a marker that only its readers may see.

Used by the access matrix (``test_access_matrix.py``) and by ``assurance/`` scripts. Personas, one per
role, of different units: the owner of a thing and somebody of another unit or party sit side by side.

* ``dppkukm`` (dinas staff) writes the DPPKUKM report of activity 1c, with an evidence file;
* ``dishub`` (dinas staff of another unit on the same activity) must see none of it;
* ``dinsos`` (dinas staff) sends a 2e list (BPU workers' NIKs) through the data exchange;
* ``bpjs`` (BPJS officer) writes the BPJS report of 1c and owns the sanction case workflow;
* ``dpmptsp`` (follow-up agency) was sent the case; ``citata`` (another follow-up agency) was not;
* ``sekretariat`` and ``pimpinan`` read everything (the secretariat also acts).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from clauses.models import DisclosureRequest, ForceMajeure
from clauses.services import force_majeure_record, liaison_organizations
from compliance.models import NameReview, NonComplianceUpload, SanctionCase
from compliance.program3_services import program3_record_create
from compliance.services import case_issue_recommendation
from compliance.states import Status
from dataexchange.models import ExchangePeriod, Stream, Submission
from dataexchange.seed import streams_ensure
from dataexchange.services import period_for_upload
from evaluation.models import EvaluationReport
from notifications.models import CalendarToken, Notification
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on
from tests.registry.factories import EmployerFactory
from tests.registry.seed import ensure_reference_rows
from tests.workplan.progress_fixtures import unit_of
from workplan.models import Agreement, EvidenceFile, Organization, ProgressReport, Side
from workplan.services import seed_mou_load

PASSWORD = "rahasia-uji-123"
NIK = "3171014107850001"
NIK2 = "3172025503900002"
# Stored XSS and formula payloads planted in names, addresses and notes (issue 8, "attack").
XSS = ['<script>alert("xss")</script>', "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>"]
FORMULA = '=HYPERLINK("http://evil.example","klik")'
PERSONAS = {
    "dppkukm": (Role.DINAS_STAFF, "DPPKUKM"),
    "dishub": (Role.DINAS_STAFF, "Dishub"),
    "dinsos": (Role.DINAS_STAFF, "Dinsos"),
    "bpjs": (Role.BPJS_OFFICER, "BPJS Kanwil DKI"),
    "sekretariat": (Role.SECRETARIAT, "Disnakertransgi"),
    "pimpinan": (Role.LEADERSHIP, None),
    "dpmptsp": (Role.FOLLOWUP_AGENCY, "DPMPTSP"),
    "citata": (Role.FOLLOWUP_AGENCY, "Citata"),
}
EVERYONE = frozenset(PERSONAS)


@dataclass
class World:
    agreement: Agreement
    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)
    # marker -> the personas who may read it
    readers: dict[str, frozenset[str]] = field(default_factory=dict)
    _clients: dict[str | None, Client] = field(default_factory=dict)

    def pk(self, key: str) -> int:
        return int(self.objects[key].pk)

    def client(self, persona: str | None) -> Client:
        """One logged-in client per persona (a new login per request would be most of the time spent)."""
        if persona not in self._clients:
            client = Client(raise_request_exception=False)
            if persona:
                client.force_login(self.users[persona])
            self._clients[persona] = client
        return self._clients[persona]


def _users() -> dict[str, User]:
    users = {}
    for name, (role, unit) in PERSONAS.items():
        organization = Organization.objects.get(short_name=unit) if unit else None
        users[name] = User.objects.create_user(
            name, email=f"{name}@example.test", password=PASSWORD, role=role, organization=organization
        )
    return users


def _workplan(world: World) -> None:
    users, agreement = world.users, world.agreement
    mine = ProgressReport.objects.create(
        unit=unit_of(agreement, "1c", "DPPKUKM"), year=2025, quarter=1, created_by=users["dppkukm"],
        realisation=f"MRK-WP-DPPKUKM sosialisasi {XSS[2]}", achievement=50, work_status="berjalan",
        obstacles=FORMULA, follow_up=f"{XSS[0]} {XSS[1]}",
    )  # fmt: skip
    bpjs = ProgressReport.objects.create(
        unit=unit_of(agreement, "1c", "BPJS Kanwil DKI"), year=2025, quarter=1, created_by=users["bpjs"],
        realisation="MRK-WP-BPJS sosialisasi", achievement=50, work_status="berjalan",
    )  # fmt: skip
    evidence = EvidenceFile.objects.create(
        report=mine, file=ContentFile(b"%PDF-1.4 MRK-WP-DPPKUKM", name="hadir.pdf"),
        original_name="MRK-WP-DPPKUKM-hadir.pdf", kind="pdf", size=24, sha256="a" * 64, uploaded_by=users["dppkukm"],
    )  # fmt: skip
    world.objects.update(wp_report=mine, wp_report_bpjs=bpjs, wp_evidence=evidence, wp_unit=mine.unit)
    world.readers["MRK-WP-DPPKUKM"] = frozenset({"dppkukm", "sekretariat", "pimpinan"})
    world.readers["MRK-WP-BPJS"] = frozenset({"bpjs", "sekretariat", "pimpinan"})


def _compliance(world: World) -> None:
    ensure_reference_rows()
    employer = EmployerFactory(name=f"PT MRK-CASE Sentosa {XSS[0]}", address=f"{FORMULA} {XSS[1]}")
    case = CaseFactory(employer=employer)
    drive(case, world.users, until=Status.VERIFICATION)
    with on(datetime.date(2025, 7, 14)):
        case_issue_recommendation(
            case=case, by=world.users["sekretariat"], number="e-1/PN", services=["perizinan_berusaha"]
        )
    other = CaseFactory(employer=EmployerFactory(name="PT MRK-CASE2 Makmur"))  # sent to nobody yet
    upload = NonComplianceUpload.objects.create(
        uploaded_by=world.users["bpjs"], source=NonComplianceUpload.Source.BROWSER, original_name="MRK-UPL.csv",
        file=ContentFile(b"x", name="MRK-UPL.csv"), sha256="b" * 64, accepted=False,
        summary={"errors": [{"row": 2, "column": "NPP", "value": "x", "message": "MRK-UPL salah"}]},
    )  # fmt: skip
    case.refresh_from_db()
    world.objects.update(
        case=case, case_unsent=other, followup=case.followups.get(), letter=case.letters.first(),
        case_evidence=case.evidence.first(), compliance_upload=upload,
    )  # fmt: skip
    world.readers["MRK-CASE "] = frozenset({"bpjs", "sekretariat", "pimpinan", "dpmptsp"})
    world.readers["MRK-CASE2"] = frozenset({"bpjs", "sekretariat", "pimpinan"})
    world.readers["MRK-UPL"] = frozenset({"bpjs", "sekretariat", "pimpinan"})
    inspection = program3_record_create(
        kind="pemeriksaan", by=world.users["bpjs"],
        values={"employer_npp": employer.npp, "inspected_on": datetime.date(2025, 5, 6), "result": "patuh",
                "labour_inspectors": [f"MRK-P3 Budi {XSS[2]}"], "bpjs_examiners": ["Siti"], "findings": FORMULA},
    )  # fmt: skip
    world.objects["p3_inspection"] = inspection
    world.readers["MRK-P3"] = frozenset({"bpjs", "sekretariat", "pimpinan"})
    review = NameReview.objects.create(
        row=2, employer=EmployerFactory(name="PT MRK-NR Sentosa"), candidate=employer, region=employer.region,
        listed={"name": f"PT MRK-NR Sentosa {XSS[0]}", "npp": "", "nib": "", "npwp": "", "address": FORMULA},
        score=0.9,
    )  # fmt: skip
    world.objects["name_review"] = review
    world.readers["MRK-NR"] = frozenset({"bpjs", "sekretariat", "pimpinan"})


def _exchange(world: World) -> None:
    streams_ensure(agreement=world.agreement)
    period = period_for_upload(
        stream=Stream.objects.get(code="2e"), unit=Organization.objects.get(short_name="Dinsos"), year=2025, quarter=3
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    quoted = '"' + FORMULA.replace('"', '""') + '"'
    content = f"Nama,NIK,No. HP\nMRK-SUB Budi,{NIK},081234567890\n{quoted},{NIK2},\n".encode()
    upload = SimpleUploadedFile("MRK-SUB.csv", content, content_type="text/csv")
    world.client("dinsos").post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})
    world.objects.update(period=period, submission=Submission.objects.get(period=period))
    world.readers["MRK-SUB"] = frozenset({"dinsos", "bpjs", "sekretariat", "pimpinan"})
    # The full NIK is for nobody on any page: only the logged unmasking export shows it (its own test).
    world.readers[NIK] = world.readers[NIK2] = frozenset()


def _clauses(world: World) -> None:
    users = world.users
    event = force_majeure_record(
        agreement=world.agreement, affected_side=Side.SECOND, event_date=datetime.date(2025, 3, 20),
        description="MRK-FM banjir", notice_number="B/123/042025", notice_sent_on=datetime.date(2025, 4, 1),
        notice_received_on=datetime.date(2025, 4, 1), by=users["sekretariat"],
    )  # fmt: skip
    disclosure = DisclosureRequest.objects.create(
        agreement=world.agreement, requesting_side=1, recipient="MRK-FM BPS", dataset="2c", purpose="SDI",
        requested_on=datetime.date(2025, 6, 2), recorded_by=users["sekretariat"],
    )  # fmt: skip
    liaisons = liaison_organizations(agreement=world.agreement)
    readers = {name for name, user in users.items() if user.organization_id in liaisons}
    world.objects.update(force_majeure=event, disclosure=disclosure)
    world.readers["MRK-FM"] = frozenset(readers | {"sekretariat", "pimpinan"})


def _personal(world: World) -> None:
    note = Notification.objects.create(recipient=world.users["dppkukm"], key="mrk", subject="MRK-NOTE untuk DPPKUKM")
    token = CalendarToken.objects.create(user=world.users["dppkukm"])
    report = EvaluationReport.objects.create(
        agreement=world.agreement, year=2025, version=1, requested_by=world.users["sekretariat"]
    )
    world.objects.update(notification=note, calendar_token=token, evaluation_report=report)
    world.readers["MRK-NOTE"] = frozenset({"dppkukm"})


def build_world() -> World:
    seed_mou_load()
    world = World(agreement=Agreement.objects.get(number="1 Tahun 2025"), users=_users())
    for part in (_workplan, _compliance, _exchange, _clauses, _personal):
        part(world)
    return world


__all__ = [
    "EVERYONE",
    "NIK",
    "PASSWORD",
    "PERSONAS",
    "ExchangePeriod",
    "ForceMajeure",
    "SanctionCase",
    "World",
    "build_world",
]  # fmt: skip
