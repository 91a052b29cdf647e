"""The review queue of similar names: a list row close to a registered employer in the same city."""

import datetime
import io

import pytest

from compliance.models import CaseEvent, NameReview, SanctionCase
from compliance.states import Status
from compliance.uploads import noncompliance_list_upload
from registry.models import Employer, EmployerAlias, MatchDecision, Region
from tests.compliance.factories import CaseFactory
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 7, 1)
HEADER = "NPP;Nama Perusahaan;NIB;NPWP;Alamat;Kota;Kategori"


def upload(people, *rows, name="daftar.csv"):
    file = io.BytesIO("\n".join([HEADER, *rows]).encode("utf-8"))
    return noncompliance_list_upload(file=file, filename=name, by=people["bpjs"], source="perintah", today=TODAY)


@pytest.fixture
def registered(db):
    return EmployerFactory(name="PT Maju Jaya Abadi", npp="JJ000001", nib="", address="Jl. Sudirman 1")


@pytest.fixture
def review(people, registered):
    outcome = upload(people, ";PT Maju Jaya Abdi;9120001234567;;Jl. Sudirman No. 1;Jakarta Selatan;PWBD")
    assert outcome.result.accepted and outcome.counts["name_reviews"] == 1
    return NameReview.objects.get()


def decide(client, people, review, answer, who="bpjs"):
    client.force_login(people[who])
    return client.post(f"/kepatuhan/tinjauan-nama/{review.pk}/", {"keputusan": answer})


def test_a_similar_name_waits_in_the_queue_with_both_records(client, people, registered, review):
    assert review.is_pending and review.candidate == registered and review.employer.name == "PT Maju Jaya Abdi"
    assert review.listed == {
        "name": "PT Maju Jaya Abdi", "npp": "", "nib": "9120001234567", "npwp": "", "address": "Jl. Sudirman No. 1",
    }  # fmt: skip
    client.force_login(people["sekretariat"])
    page = client.get("/kepatuhan/tinjauan-nama/").content.decode()
    for text in ("PT Maju Jaya Abdi", "PT Maju Jaya Abadi", "JJ000001", "9120001234567", "Jl. Sudirman No. 1"):
        assert text in page
    assert 'value="sama"' in page and 'value="berbeda"' in page


def test_same_employer_moves_the_case_keeps_the_name_and_is_never_asked_again(client, people, registered, review):
    new = review.employer
    assert decide(client, people, review, "sama").status_code == 302
    review.refresh_from_db()
    assert review.status == NameReview.Status.SAME and review.decided_by == people["bpjs"]
    assert not Employer.objects.filter(pk=new.pk).exists()
    case = SanctionCase.objects.get()
    assert case.employer == registered and case.events.filter(action=CaseEvent.EMPLOYER_MERGED).count() == 1
    registered.refresh_from_db()
    assert registered.nib == "9120001234567"  # what the registry lacked, taken from the list
    assert EmployerAlias.objects.filter(employer=registered, name="PT Maju Jaya Abdi").exists()
    decision = MatchDecision.objects.get()
    assert (decision.name_key, decision.employer, decision.region.kode_bps) == ("maju jaya abdi", registered, "3171")
    # The next quarter's list: the same name, spelt otherwise, is the registered employer's, asked of no one.
    again = upload(people, ";MAJU JAYA ABDI, PT.;;;;Jakarta Selatan;PWBD", name="daftar-2.csv")
    assert again.counts == {"employers_created": 0, "cases_opened": 0, "cases_existing": 1, "name_reviews": 0}
    assert again.notes == [] and NameReview.objects.count() == 1 and Employer.objects.count() == 1


def test_different_employers_keeps_both_and_is_never_asked_again(client, people, registered, review):
    new = review.employer
    decide(client, people, review, "berbeda", who="sekretariat")
    review.refresh_from_db()
    assert review.status == NameReview.Status.DIFFERENT
    assert MatchDecision.objects.get().employer == new
    assert SanctionCase.objects.get().employer == new and Employer.objects.count() == 2
    again = upload(people, ";CV Maju Jaya Abdi;;;;3171;PWBD", name="daftar-2.csv")
    assert again.counts["name_reviews"] == 0 and again.counts["cases_existing"] == 1 and again.notes == []
    assert NameReview.objects.count() == 1


def test_a_decision_made_in_the_data_exchange_is_applied_to_a_list(people, registered):
    """One memory: a name the exchange's reviewer linked needs no review in compliance either."""
    south = Region.objects.get(kode_bps="3171")
    MatchDecision.objects.remember(name="PT Maju Jaya Abdi", region_id=south.pk, employer=registered, by=people["bpjs"])
    MatchDecision.objects.remember(name="PT Sentosa Raya", region_id=south.pk, employer=None, by=people["bpjs"])
    EmployerFactory(name="PT Sentosa Jaya", npp="")
    outcome = upload(people, ";PT Maju Jaya Abdi;;;;Jakarta Selatan;PWBD", ";PT Sentosa Raya;;;;Jakarta Selatan;PWBD")
    assert outcome.counts["employers_created"] == 1 and outcome.counts["name_reviews"] == 0 and outcome.notes == []
    assert SanctionCase.objects.filter(employer=registered).count() == 1
    assert Employer.objects.filter(name="PT Sentosa Raya").exists()


def test_same_employer_closes_a_duplicate_open_case_of_the_same_category(client, people, registered, review):
    existing = CaseFactory(employer=registered, category="pwbd")
    decide(client, people, review, "sama")
    duplicate = SanctionCase.objects.exclude(pk=existing.pk).get()
    assert duplicate.employer == registered and duplicate.status == Status.DATA_ERROR
    assert "Duplikat" in duplicate.events.get(action="batal").note
    assert list(registered.sanction_cases.open()) == [existing]


def test_employers_with_different_identifiers_cannot_be_merged(client, people, registered):
    upload(people, "JJ000999;PT Maju Jaya Abdi;;;;Jakarta Selatan;PWBD")
    review = NameReview.objects.get()
    response = decide(client, people, review, "sama")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Tidak dapat digabung: NPP berbeda: JJ000999 / JJ000001."]
    review.refresh_from_db()
    assert review.is_pending and Employer.objects.count() == 2 and not MatchDecision.objects.exists()


def test_an_answered_review_is_not_answered_twice(client, people, review):
    decide(client, people, review, "berbeda")
    response = decide(client, people, review, "sama")
    assert [str(m) for m in response.wsgi_request._messages][-1] == "Tinjauan ini sudah diputuskan."
    review.refresh_from_db()
    assert review.status == NameReview.Status.DIFFERENT


def test_leadership_reads_the_queue_and_others_do_not_see_it(client, people, review):
    client.force_login(people["pimpinan"])
    page = client.get("/kepatuhan/tinjauan-nama/")
    assert page.status_code == 200 and 'value="sama"' not in page.content.decode()
    assert decide(client, people, review, "sama", who="pimpinan").status_code == 403
    for who in ("dpmptsp", "dishub"):
        client.force_login(people[who])
        assert client.get("/kepatuhan/tinjauan-nama/").status_code == 404
        assert decide(client, people, review, "sama", who=who).status_code == 404
    review.refresh_from_db()
    assert review.is_pending


def test_uploading_the_list_again_before_the_answer_queues_nothing_new(people, review):
    again = upload(people, ";PT Maju Jaya Abdi;;;;Jakarta Selatan;PWBD", name="ulang.csv")
    assert again.counts["employers_created"] == 0 and again.counts["name_reviews"] == 0
    assert NameReview.objects.count() == 1


def test_the_api_lists_the_pending_pairs_and_takes_the_answer(client, people, registered, review):
    client.force_login(people["sekretariat"])
    listed = client.get("/api/compliance/name-reviews/").json()
    assert listed["count"] == 1
    (item,) = listed["results"]
    assert (item["listed"]["name"], item["candidate"]["npp"], item["region"]) == (
        "PT Maju Jaya Abdi",
        "JJ000001",
        "3171",
    )
    answered = client.post(f"/api/compliance/name-reviews/{review.pk}/decide/", {"same": True}, "application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "sama"
    assert answered.json()["new_employer"] == registered.pk
    again = client.post(f"/api/compliance/name-reviews/{review.pk}/decide/", {"same": False}, "application/json")
    assert again.status_code == 409 and again.json()["detail"] == "Tinjauan ini sudah diputuskan."
    assert client.get("/api/compliance/name-reviews/").json()["count"] == 0
    assert client.get("/api/compliance/name-reviews/", {"status": "sama"}).json()["count"] == 1
    assert client.get("/api/compliance/name-reviews/", {"status": "x\x00"}).status_code == 400


def test_the_api_answers_like_the_page_to_leadership_and_outsiders(client, people, review):
    url = f"/api/compliance/name-reviews/{review.pk}/decide/"
    client.force_login(people["pimpinan"])
    assert client.get("/api/compliance/name-reviews/").status_code == 200
    assert client.post(url, {"same": True}, "application/json").status_code == 403
    client.force_login(people["dpmptsp"])
    assert client.get("/api/compliance/name-reviews/").status_code == 404
    assert client.post(url, {"same": True}, "application/json").status_code == 404
    review.refresh_from_db()
    assert review.is_pending
