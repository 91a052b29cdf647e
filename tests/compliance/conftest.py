"""Personas of the sanction workflow (annex row 3c) and the units that follow up."""

import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from compliance.models import EvidenceFile
from compliance.states import EvidenceKind
from tests.compliance.factories import CaseFactory, OrganizationFactory, UserFactory
from workplan.models import Institution, Organization


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def units(db):
    def unit(short_name, name, institution=Institution.PEMPROV, kind=Organization.Kind.DINAS):
        return OrganizationFactory(short_name=short_name, name=name, institution=institution, kind=kind)

    return {
        "disnaker": unit("Disnakertransgi", "Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta"),
        "dpmptsp": unit("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi DKI Jakarta"),
        "citata": unit("Citata", "Dinas Cipta Karya, Tata Ruang dan Pertanahan Provinsi DKI Jakarta"),
        "bppbj": unit("BPPBJ", "Badan Pelayanan Pengadaan Barang dan Jasa Provinsi DKI Jakarta", kind="badan"),
        "dishub": unit("Dishub", "Dinas Perhubungan Provinsi DKI Jakarta"),
        "bpjs": unit(
            "Kanwil BPJS TK DKI",
            "BPJS Ketenagakerjaan Kantor Wilayah DKI Jakarta",
            institution=Institution.BPJS,
            kind=Organization.Kind.BPJS_REGIONAL,
        ),
    }


@pytest.fixture
def people(units):
    return {
        "bpjs": UserFactory(username="bpjs", role=Role.BPJS_OFFICER, organization=units["bpjs"]),
        "sekretariat": UserFactory(username="sekretariat", role=Role.SECRETARIAT, organization=units["disnaker"]),
        "dpmptsp": UserFactory(username="dpmptsp", role=Role.FOLLOWUP_AGENCY, organization=units["dpmptsp"]),
        "citata": UserFactory(username="citata", role=Role.FOLLOWUP_AGENCY, organization=units["citata"]),
        "pimpinan": UserFactory(username="pimpinan", role=Role.LEADERSHIP, organization=units["disnaker"]),
        "dishub": UserFactory(username="dishub", role=Role.DINAS_STAFF, organization=units["dishub"]),
    }


@pytest.fixture
def case(db):
    return CaseFactory()


def evidence(kind: str = EvidenceKind.OTHER, content: bytes = b"%PDF-1.4 bukti", name: str = "bukti.pdf"):
    return EvidenceFile(kind=kind, file=ContentFile(content, name=name))


@pytest.fixture
def make_evidence():
    return evidence
