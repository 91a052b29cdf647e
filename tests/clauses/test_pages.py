"""The clause pages through HTTP: the secretariat records, both parties' liaison users read, others get 404."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clauses.models import ForceMajeure, Letter
from notifications.models import Notification
from tests.workplan.progress_fixtures import activity
from workplan.models import Agreement, LiaisonOfficer

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
FM_FORM = {
    "affected_side": "2",
    "event_date": "2025-03-20",
    "description": "Banjir besar",
    "notice_number": "B/123/042025",
    "notice_sent_on": "2025-04-17",
    "notice_received_on": "2025-04-17",
}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["secretariat", "disnaker", "bpjs", "leadership"])
def test_both_parties_and_the_secretariat_read_the_dashboard(personas, persona) -> None:
    with time_machine.travel(datetime.datetime(2025, 2, 4, 9, 0, tzinfo=JAKARTA)):
        page = login(personas[persona]).get(reverse("clauses:dashboard"))
    assert page.status_code == 200
    assert "1.825 hari" in page.text or "1825 hari" in page.text  # 4 Feb 2025 to 3 Feb 2030
    assert "kanwil.jakarta@bpjsketenagakerjaan.go.id" in page.text
    assert ("Catat keadaan kahar" in page.text) is (persona == "secretariat")


def test_others_do_not_see_the_clauses(personas) -> None:
    assert login(personas["outsider"]).get(reverse("clauses:dashboard")).status_code == 404
    assert Client().get(reverse("clauses:dashboard")).status_code == 302


@pytest.mark.parametrize(
    "name",
    ["force-majeure-new", "address-change-new", "termination-new", "letter-new", "extension-new", "disclosure-new"],
)
def test_only_the_secretariat_opens_the_forms(personas, name) -> None:
    assert login(personas["secretariat"]).get(reverse(f"clauses:{name}")).status_code == 200
    assert login(personas["bpjs"]).get(reverse(f"clauses:{name}")).status_code == 403
    assert login(personas["bpjs"]).post(reverse(f"clauses:{name}"), FM_FORM).status_code == 403
    assert login(personas["outsider"]).get(reverse(f"clauses:{name}")).status_code == 404


@pytest.mark.usefixtures("holidays_2025")
def test_the_secretariat_records_a_notice_and_everyone_sees_its_deadline(personas) -> None:
    response = login(personas["secretariat"]).post(reverse("clauses:force-majeure-new"), FM_FORM)
    event = ForceMajeure.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("clauses:force-majeure", args=[event.pk])
    with time_machine.travel(datetime.datetime(2025, 4, 18, 9, 0, tzinfo=JAKARTA)):
        dashboard = login(personas["bpjs"]).get(reverse("clauses:dashboard"))
        detail = login(personas["disnaker"]).get(reverse("clauses:force-majeure", args=[event.pk]))
    assert "B/123/042025" in dashboard.text and "9 Mei 2025" in dashboard.text
    assert "21 April 2025" in detail.text and "Menunggu tanggapan" in detail.text
    assert "Simpan tanggapan" not in detail.text
    assert login(personas["outsider"]).get(reverse("clauses:force-majeure", args=[event.pk])).status_code == 404
    assert Notification.objects.filter(key=f"clauses.fm-new:{event.pk}", recipient=personas["bpjs"]).exists()


def test_a_late_notice_is_accepted_with_a_warning(personas) -> None:
    late = {**FM_FORM, "notice_sent_on": "2025-05-20", "notice_received_on": "2025-05-20"}
    response = login(personas["secretariat"]).post(reverse("clauses:force-majeure-new"), late, follow=True)
    assert "terlambat" in response.text
    assert ForceMajeure.objects.get().notice_late is True


def test_response_and_adjustment_through_the_detail_page(agreement, personas) -> None:
    client = login(personas["secretariat"])
    client.post(reverse("clauses:force-majeure-new"), FM_FORM)
    event = ForceMajeure.objects.get()
    row = activity(agreement, "3a")
    client.post(
        reverse("clauses:force-majeure-adjust", args=[event.pk]),
        {"activity": row.pk, "change": "Ditunda ke triwulan III", "reason": "Lokasi banjir"},
    )
    client.post(
        reverse("clauses:force-majeure-respond", args=[event.pk]),
        {"agreed": "1", "responded_on": "2025-04-25", "text": "Disetujui"},
    )
    event.refresh_from_db()
    assert event.status == ForceMajeure.Status.AGREED
    page = client.get(reverse("clauses:force-majeure", args=[event.pk]))
    assert "Ditunda ke triwulan III" in page.text and "Lokasi banjir" in page.text
    assert (
        login(personas["bpjs"]).post(reverse("clauses:force-majeure-respond", args=[event.pk]), {}).status_code == 403
    )


@pytest.mark.usefixtures("holidays_2025")
def test_an_early_address_change_is_refused_in_the_form_then_accepted(personas) -> None:
    bpjs_kanwil = LiaisonOfficer.objects.get(side=2).organization
    form = {
        "side": "2",
        "notice_number": "B/77",
        "notified_on": "2025-03-27",
        "effective_on": "2025-04-15",
        "position": "Kepala Kantor Wilayah",
        "organization": bpjs_kanwil.pk,
        "address": "Jalan Rasuna Said 112",
        "phones": "(021) 1, (021) 2",
        "email": "kanwil.baru@bpjsketenagakerjaan.go.id",
    }
    client = login(personas["secretariat"])
    refused = client.post(reverse("clauses:address-change-new"), form)
    assert refused.status_code == 400 and "16 April 2025" in refused.text
    assert client.post(reverse("clauses:address-change-new"), {**form, "effective_on": "2025-04-16"}).status_code == 302
    assert LiaisonOfficer.objects.get(side=2, valid_from=datetime.date(2025, 4, 16)).phones == ["(021) 1", "(021) 2"]
    page = client.get(reverse("clauses:dashboard"))
    assert "Jalan Rasuna Said 112" in page.text and "B/77" in page.text


def test_termination_through_the_form_ends_the_agreement_and_keeps_the_page(agreement, personas) -> None:
    form = {
        "number": "BA/1/2027",
        "ground": "peraturan",
        "ground_detail": "Peraturan baru",
        "signed_on": "2027-06-01",
        "effective_on": "2027-07-01",
        "first_party_signatory": "Sekda",
        "second_party_signatory": "Kakanwil",
    }
    client = login(personas["secretariat"])
    assert client.post(reverse("clauses:termination-new"), {**form, "second_party_signatory": ""}).status_code == 400
    assert client.post(reverse("clauses:termination-new"), form).status_code == 302
    assert Agreement.objects.get().status == Agreement.Status.TERMINATED
    page = login(personas["bpjs"]).get(reverse("clauses:dashboard"))
    assert "BA/1/2027" in page.text and "1 Juli 2027" in page.text and "Pasal 10" in page.text


def test_a_letter_with_an_attachment_enters_the_register(agreement, personas) -> None:
    form = {
        "number": "B/5/2025",
        "date": "2025-03-03",
        "direction": "masuk",
        "channel": "email",
        "sender": "Kanwil BPJS",
        "addressee": "Kadisnakertransgi",
        "subject": "Data triwulan I",
        "activity": activity(agreement, "2a").pk,
        "attachments": [
            SimpleUploadedFile("data.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
            SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        ],
    }
    assert login(personas["secretariat"]).post(reverse("clauses:letter-new"), form).status_code == 302
    letter = Letter.objects.get()
    assert sorted(letter.attachments.values_list("name", flat=True)) == ["data.pdf", "surat.pdf"]
    page = login(personas["disnaker"]).get(reverse("clauses:letters"))
    assert "B/5/2025" in page.text and "data.pdf" in page.text and "2a" in page.text


def test_disclosure_request_and_written_consent_through_http(agreement, personas) -> None:
    from clauses.models import DisclosureRequest
    from clauses.services import disclosure_allowed

    client = login(personas["secretariat"])
    request_form = {
        "requesting_side": "1",
        "recipient": "Badan Pusat Statistik",
        "dataset": "perusahaan-2c",
        "purpose": "Satu Data Indonesia",
        "requested_on": "2025-06-02",
    }
    assert client.post(reverse("clauses:disclosure-new"), request_form).status_code == 302
    disclosure = DisclosureRequest.objects.get()
    decide = reverse("clauses:disclosure-decide", args=[disclosure.pk])
    assert login(personas["bpjs"]).post(decide, {"consent": "1"}).status_code == 403
    refused = client.post(decide, {"consent": "1", "decided_on": "2025-06-10", "letter_number": ""})
    assert refused.status_code == 400 and "tertulis" in refused.text
    assert (
        client.post(decide, {"consent": "1", "decided_on": "2025-06-10", "letter_number": "B/9/2025"}).status_code
        == 302
    )
    assert disclosure_allowed(agreement=agreement, recipient="Badan Pusat Statistik", dataset="perusahaan-2c")
    assert "B/9/2025" in login(personas["leadership"]).get(reverse("clauses:dashboard")).text


def test_an_extension_through_http_updates_the_term_shown(agreement, personas) -> None:
    client = login(personas["secretariat"])
    form = {"new_ends_on": "2035-02-03", "agreed_on": "2029-10-01", "basis_document": "Adendum Perpanjangan 2029"}
    assert client.post(reverse("clauses:extension-new"), {**form, "new_ends_on": "2029-01-01"}).status_code == 400
    assert client.post(reverse("clauses:extension-new"), form).status_code == 302
    page = login(personas["bpjs"]).get(reverse("clauses:dashboard"))
    assert "3 Februari 2035" in page.text and "Adendum Perpanjangan 2029" in page.text


def _fill_clauses(agreement, user, n: int) -> None:
    from clauses.services import force_majeure_record, letter_register

    for i in range(n):
        force_majeure_record(
            agreement=agreement,
            affected_side=1 + i % 2,
            event_date=datetime.date(2025, 3, 3),
            description="x",
            notice_number=f"FM/{n}/{i}",
            notice_sent_on=datetime.date(2025, 3, 4),
            notice_received_on=datetime.date(2025, 3, 4),
            by=user,
        )
        letter_register(
            agreement=agreement,
            by=user,
            number=f"S/{n}/{i}",
            date=datetime.date(2025, 3, 4),
            direction="keluar",
            sender="Sekretariat",
            addressee="Kanwil",
            subject="Pemberitahuan",
            activity=activity(agreement, "2a"),
        )


def test_dashboard_and_register_use_a_fixed_number_of_queries(agreement, personas, django_assert_max_num_queries):
    client = login(personas["bpjs"])
    counts = []
    for n in (1, 6):
        _fill_clauses(agreement, personas["secretariat"], n)
        with django_assert_max_num_queries(40) as dashboard:
            assert client.get(reverse("clauses:dashboard")).status_code == 200
        with django_assert_max_num_queries(20) as register:
            assert client.get(reverse("clauses:letters")).status_code == 200
        counts.append((len(dashboard.captured_queries), len(register.captured_queries)))
    assert counts[0] == counts[1]


@pytest.mark.usefixtures("holidays_2025")
def test_the_directory_answers_which_address_was_valid_on_a_day(agreement, personas) -> None:
    from clauses.services import liaison_change_record
    from workplan.models import Organization

    liaison_change_record(
        agreement=agreement,
        side=2,
        notice_number="B/77",
        notified_on=datetime.date(2025, 3, 27),
        effective_on=datetime.date(2025, 4, 16),
        position="Kepala Kantor Wilayah",
        organization=Organization.objects.get(short_name="BPJS Kanwil DKI"),
        address="Jalan Rasuna Said 112",
        phones=[],
        email="kanwil.baru@bpjsketenagakerjaan.go.id",
        by=personas["secretariat"],
    )
    client = login(personas["bpjs"])
    before = client.get(reverse("clauses:dashboard"), {"tanggal": "2025-04-15"})
    after = client.get(reverse("clauses:dashboard"), {"tanggal": "2025-04-16"})
    current = before.text.split('id="directory-on"')[1].split("Riwayat alamat")[0]
    assert "15 April 2025" in current and "Gatot Subroto" in current and "Rasuna Said" not in current
    current = after.text.split('id="directory-on"')[1].split("Riwayat alamat")[0]
    assert "Rasuna Said" in current and "Gatot Subroto" not in current
