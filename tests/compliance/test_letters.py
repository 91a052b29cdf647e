import datetime
import hashlib
import io

import pytest
from pypdf import PdfReader

from compliance.models import CaseLetter
from compliance.services import case_issue_recommendation, case_revoke
from compliance.states import EvidenceKind, Status
from core import pdf
from tests.compliance.conftest import evidence
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def text_of(letter: CaseLetter) -> str:
    letter.file.open("rb")
    data = letter.file.read()
    letter.file.close()
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def recommend(case, people, **kwargs):
    drive(case, people, until=Status.VERIFICATION)
    kwargs.setdefault("services", ["perizinan_berusaha", "pbg"])
    with on(D(2025, 7, 14)):
        return case_issue_recommendation(case=case, by=people["sekretariat"], number="e-0417/PN.01.00", **kwargs)


def test_the_recommendation_letter_names_employer_number_date_units_and_legal_basis(people, units):
    employer = EmployerFactory(name="PT Kopi Sejahtera Abadi", npp="JJ120044", nib="9120001234567")
    case = CaseFactory(employer=employer)
    letter = recommend(case, people)
    text = text_of(letter)
    assert (letter.kind, letter.number, letter.issued_on) == ("rekomendasi", "e-0417/PN.01.00", D(2025, 7, 14))
    for expected in [
        "DINAS TENAGA KERJA, TRANSMIGRASI DAN ENERGI",
        "Nomor : e-0417/PN.01.00",
        "Jakarta, 14 Juli 2025",
        "PT Kopi Sejahtera Abadi",
        "JJ120044",
        "9120001234567",
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Kepala Dinas Cipta Karya",
        "Nomor 86 Tahun 2013",
        "Nomor 23 Tahun 2016",
        "Nomor 4 Tahun 2018",
        "Nota Kesepakatan",
        "teguran tertulis pertama tanggal 2 Juni 2025 dan kedua tanggal 17 Juni 2025",
    ]:
        assert expected in text, expected
    assert "Badan Pelayanan Pengadaan" not in text  # BPPBJ was not asked


def test_the_letter_is_a4(people, units):
    letter = recommend(CaseFactory(), people)
    letter.file.open("rb")
    page = PdfReader(letter.file).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    letter.file.close()


def test_the_revocation_letter_cites_the_recommendation_and_the_withheld_service(people, units):
    case = CaseFactory(employer=EmployerFactory(name="CV Bangun Jaya"))
    drive(case, people, until=Status.REVOCATION_REQUESTED)
    with on(D(2025, 8, 6)):
        letter = case_revoke(case=case, by=people["sekretariat"], number="e-0555/PN.01.00")
    text = text_of(letter)
    for expected in [
        "Nomor : e-0555/PN.01.00",
        "Jakarta, 6 Agustus 2025",
        "CV Bangun Jaya",
        "Nomor e-0001/PN.01.00 tanggal 14 Juli 2025",
        "dicabut",
        "ditahan dengan surat Nomor S-1",
        "bukti pembayaran denda dan iuran, bukti pendaftaran kepesertaan dan bukti penyampaian data",
    ]:
        assert expected in text, expected
    assert case.letters.count() == 1 and case.status == Status.REVOKED


def test_a_refused_step_writes_no_letter(people, units):
    case = CaseFactory()
    drive(case, people, until=Status.VERIFICATION)
    with on(D(2025, 7, 14)), pytest.raises(Exception, match="sedikitnya satu layanan"):
        case_issue_recommendation(case=case, by=people["sekretariat"], number="e-1", services=[])
    assert not CaseLetter.objects.exists()


def test_markup_in_an_employer_name_is_printed_not_fetched(people, units, monkeypatch):
    fetched = []
    real_fetch = pdf.StaticFilesOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesOnlyFetcher, "fetch", spy)
    name = 'PT Jahil <img src="file:///etc/passwd"><link rel="stylesheet" href="http://169.254.169.254/x.css">'
    letter = recommend(CaseFactory(employer=EmployerFactory(name=name)), people)
    assert fetched == ["https://pdf.mou-tracker.invalid/static/compliance/letter.css"]
    # Compared without whitespace: where a line wraps depends on the fonts installed.
    assert squeezed('PT Jahil <img src="file:///etc/passwd">') in squeezed(text_of(letter))


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://pdf.mou-tracker.invalid/static/../../../etc/passwd",
        "https://pdf.mou-tracker.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://pdf.mou-tracker.invalid/media/kepatuhan/kasus/1/bukti.pdf",
        "https://pdf.mou-tracker.invalid/static/compliance/tidak-ada.css",
    ],
)
def test_the_fetcher_refuses_everything_but_existing_static_files(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.StaticFilesOnlyFetcher().fetch(url)


def test_raw_html_asking_for_a_local_file_still_renders_without_it(monkeypatch):
    refused = []
    real = pdf.static_file_for_url

    def spy(url):
        try:
            return real(url)
        except pdf.FetchRefused:
            refused.append(url)
            raise

    monkeypatch.setattr(pdf, "static_file_for_url", spy)
    data = pdf.render_pdf('<p>Halo</p><img src="file:///etc/passwd"><img src="/static/vendor/htmx.min.js">')
    assert data.startswith(b"%PDF")
    assert refused == ["file:///etc/passwd"]
    assert b"root:" not in data


def test_the_fetcher_serves_static_files():
    response = pdf.StaticFilesOnlyFetcher().fetch("https://pdf.mou-tracker.invalid/static/compliance/letter.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_evidence_kinds_in_the_revocation_follow_the_category(people, units):
    from compliance.states import Category

    case = CaseFactory(category=Category.ARREARS)
    drive(case, people, until=Status.SERVICES_WITHHELD)
    with on(D(2025, 8, 4)):
        case.request_revocation(by=people["bpjs"], evidence=[evidence(EvidenceKind.PAYMENT)])
    with on(D(2025, 8, 6)):
        letter = case_revoke(case=case, by=people["sekretariat"], number="e-9")
    text = text_of(letter)
    assert "beserta bukti pembayaran denda dan iuran," in text
