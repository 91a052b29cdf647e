import datetime
import hashlib

import pytest
from django.db import IntegrityError, transaction

from compliance.models import CaseEvent, SanctionCase, SanctionStepSLA, ServiceFollowUp
from compliance.states import Category, EvidenceKind, Status, TransitionRefused
from core.models import Holiday
from tests.compliance.conftest import evidence
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive, on

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_case_goes_from_identification_to_revocation_recording_every_step(case, people):
    drive(case, people, until=Status.REVOKED)
    case.refresh_from_db()
    assert case.status == Status.REVOKED and case.closed_at is not None and case.deadline is None
    assert (case.warning_1_on, case.warning_2_on, case.fine_on) == (D(2025, 6, 2), D(2025, 6, 17), D(2025, 7, 2))
    assert (case.recommendation_number, case.revocation_number) == ("e-0001/PN.01.00", "e-0002/PN.01.00")
    trail = list(case.events.values_list("from_status", "to_status", "actor__username"))
    assert trail == [
        ("teridentifikasi", "teguran_1", "bpjs"),
        ("teguran_1", "teguran_2", "bpjs"),
        ("teguran_2", "denda", "bpjs"),
        ("denda", "tmp2t_diajukan", "bpjs"),
        ("tmp2t_diajukan", "verifikasi", "sekretariat"),
        ("verifikasi", "rekomendasi_terbit", "sekretariat"),
        ("rekomendasi_terbit", "layanan_ditahan", "dpmptsp"),
        ("layanan_ditahan", "pencabutan_diajukan", "bpjs"),
        ("pencabutan_diajukan", "dicabut", "sekretariat"),
    ]


def test_evidence_is_stored_with_its_sha256(case, people):
    drive(case, people, until=Status.FINE)
    content = b"%PDF-1.4 surat teguran I dan II"
    with on(D(2025, 7, 10)):
        event = case.request_tmp2t(
            by=people["bpjs"], evidence=[evidence(EvidenceKind.WARNING_LETTER, content, "t.pdf")]
        )
    stored = event.evidence.get()
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content) and stored.original_name == "t.pdf"
    assert stored.file.read() == content


def test_warnings_last_ten_working_days_skipping_weekends_and_holidays(case, people):
    Holiday.objects.create(date=D(2025, 6, 6), name="Iduladha", kind=Holiday.Kind.NATIONAL)
    with on(D(2025, 6, 2)):
        case.issue_first_warning(by=people["bpjs"])
    # 10 working days after Monday 2 June: 16 June without the holiday, 17 June with it.
    assert case.deadline == D(2025, 6, 17)


def test_a_backdated_warning_counts_from_its_issue_date(case, people):
    with on(D(2025, 6, 20)):
        case.issue_first_warning(by=people["bpjs"], issued_on=D(2025, 6, 2))
    assert case.deadline == D(2025, 6, 16)


def test_the_second_warning_waits_until_the_first_has_run_out(case, people):
    with on(D(2025, 6, 2)):
        case.issue_first_warning(by=people["bpjs"])
    with on(D(2025, 6, 16)), pytest.raises(TransitionRefused, match="masih berjalan sampai 16 Juni 2025"):
        case.issue_second_warning(by=people["bpjs"])
    with on(D(2025, 6, 17)):
        case.issue_second_warning(by=people["bpjs"])
    assert case.status == Status.WARNING_2 and case.deadline == D(2025, 7, 1)


def test_the_fine_waits_until_the_second_warning_has_run_out(case, people):
    drive(case, people, until=Status.WARNING_2)
    with on(D(2025, 7, 1)), pytest.raises(TransitionRefused, match="Teguran tertulis II masih berjalan"):
        case.impose_fine(by=people["bpjs"])
    case.refresh_from_db()
    assert case.status == Status.WARNING_2


def test_there_is_no_third_warning_and_no_fine_straight_after_the_first(case, people):
    drive(case, people, until=Status.WARNING_2)
    with on(D(2025, 7, 2)), pytest.raises(TransitionRefused, match="hanya dari: Teridentifikasi dan Pembinaan"):
        case.issue_first_warning(by=people["bpjs"])
    other = CaseFactory(category=Category.PDS_UPAH)
    with on(D(2025, 6, 2)):
        other.issue_first_warning(by=people["bpjs"])
    with on(D(2025, 7, 2)), pytest.raises(TransitionRefused, match="berstatus 'Teguran tertulis I'"):
        other.impose_fine(by=people["bpjs"])


def test_dates_in_the_future_are_refused(case, people):
    with on(D(2025, 6, 2)), pytest.raises(TransitionRefused, match="tidak boleh melewati hari ini"):
        case.issue_first_warning(by=people["bpjs"], issued_on=D(2025, 6, 3))


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("sekretariat", "Sekretariat"),
        ("pimpinan", "Pimpinan"),
        ("dpmptsp", "instansi tindak lanjut"),
        ("dishub", "Staf perangkat daerah"),
    ],
)
def test_only_bpjs_issues_warnings_and_the_refusal_names_the_role(case, people, who, message):
    with on(D(2025, 6, 2)), pytest.raises(TransitionRefused, match=f"Peran Anda \\(.*{message}.*\\) tidak berwenang"):
        case.issue_first_warning(by=people[who])
    assert not case.events.exists()


def test_only_the_secretariat_verifies_and_recommends(case, people):
    drive(case, people, until=Status.TMP2T_REQUESTED)
    with on(D(2025, 7, 11)):
        with pytest.raises(TransitionRefused, match="tidak berwenang"):
            case.start_verification(by=people["bpjs"])
        case.start_verification(by=people["sekretariat"])
        with pytest.raises(TransitionRefused, match="tidak berwenang"):
            case.issue_recommendation(by=people["bpjs"], number="x", services=["pbg"])


def test_the_tmp2t_request_needs_evidence(case, people):
    drive(case, people, until=Status.FINE)
    with on(D(2025, 7, 10)), pytest.raises(TransitionRefused, match="Lampirkan surat teguran"):
        case.request_tmp2t(by=people["bpjs"], evidence=[])


def test_the_recommendation_opens_one_follow_up_per_service_unit(case, people, units):
    drive(case, people, until=Status.VERIFICATION)
    with on(D(2025, 7, 14)):
        case.issue_recommendation(
            by=people["sekretariat"], number="e-9/PN.01.00", services=["perizinan_berusaha", "pbg", "tender", "pbg"]
        )
    followups = {f.service: f for f in case.followups.select_related("unit")}
    assert {s: f.unit for s, f in followups.items()} == {
        "perizinan_berusaha": units["dpmptsp"],
        "pbg": units["citata"],
        "tender": units["bppbj"],
    }
    # rekomendasi_terbit SLA: 10 working days.
    assert {f.due_on for f in followups.values()} == {D(2025, 7, 28)}
    assert case.deadline == D(2025, 7, 28)


def test_a_recommendation_needs_a_number_and_a_service(case, people):
    drive(case, people, until=Status.VERIFICATION)
    with on(D(2025, 7, 14)):
        with pytest.raises(TransitionRefused, match="Nomor surat rekomendasi wajib"):
            case.issue_recommendation(by=people["sekretariat"], number=" ", services=["pbg"])
        with pytest.raises(TransitionRefused, match="sedikitnya satu layanan"):
            case.issue_recommendation(by=people["sekretariat"], number="e-1", services=[])
    assert not case.followups.exists()


def test_a_unit_records_only_its_own_follow_up_with_a_reference(case, people):
    drive(case, people, until=Status.VERIFICATION)
    with on(D(2025, 7, 14)):
        case.issue_recommendation(by=people["sekretariat"], number="e-1", services=["perizinan_berusaha", "pbg"])
    licence = case.followups.get(service="perizinan_berusaha")
    with on(D(2025, 7, 15)):
        with pytest.raises(TransitionRefused, match="Hanya DPMPTSP"):
            licence.record_withheld(by=people["citata"], reference_number="C-1")
        with pytest.raises(TransitionRefused, match="Nomor surat penahanan"):
            licence.record_withheld(by=people["dpmptsp"], reference_number="")
        licence.record_withheld(by=people["dpmptsp"], reference_number="503/PTSP/2025")
        with pytest.raises(TransitionRefused, match="sudah dicatat"):
            licence.record_withheld(by=people["dpmptsp"], reference_number="503/PTSP/2025")
    licence.refresh_from_db()
    case.refresh_from_db()
    assert (licence.status, licence.withheld_on, licence.due_on) == ("ditahan", D(2025, 7, 15), None)
    assert case.status == Status.SERVICES_WITHHELD
    # A second unit's record leaves the case where it is, and is on the timeline.
    with on(D(2025, 7, 16)):
        event = case.followups.get(service="pbg").record_withheld(by=people["citata"], reference_number="PBG-7")
    assert (event.from_status, event.to_status, event.followup.unit.short_name) == (
        "layanan_ditahan",
        "layanan_ditahan",
        "Citata",
    )


@pytest.mark.parametrize(
    ("category", "needed"),
    [
        (Category.PWBD, {"bukti_pembayaran", "bukti_pendaftaran", "bukti_data"}),
        (Category.PDS_TK, {"bukti_pembayaran", "bukti_pendaftaran", "bukti_data"}),
        (Category.PDS_PROGRAM, {"bukti_pembayaran", "bukti_pendaftaran"}),
        (Category.PDS_UPAH, {"bukti_pembayaran", "bukti_data"}),
        (Category.ARREARS, {"bukti_pembayaran"}),
    ],
)
def test_revocation_needs_the_evidence_its_category_requires(people, units, category, needed):
    case = CaseFactory(category=category)
    drive(case, people, until=Status.SERVICES_WITHHELD)
    with on(D(2025, 8, 4)):
        for missing in needed:
            given = [evidence(kind) for kind in needed - {missing}]
            with pytest.raises(TransitionRefused, match="belum lengkap"):
                case.request_revocation(by=people["bpjs"], evidence=given)
        case.request_revocation(by=people["bpjs"], evidence=[evidence(kind) for kind in needed])
    assert case.status == Status.REVOCATION_REQUESTED


def test_the_refusal_names_the_missing_evidence(case, people):
    drive(case, people, until=Status.SERVICES_WITHHELD)
    with on(D(2025, 8, 4)), pytest.raises(TransitionRefused) as refused:
        case.request_revocation(by=people["bpjs"], evidence=[evidence(EvidenceKind.PAYMENT)])
    assert "Bukti pendaftaran kepesertaan" in str(refused.value)
    assert "Bukti penyampaian data yang lengkap dan benar" in str(refused.value)


def test_a_refused_revocation_returns_the_case_to_services_withheld_and_needs_a_reason(case, people):
    drive(case, people, until=Status.REVOCATION_REQUESTED)
    with on(D(2025, 8, 5)):
        with pytest.raises(TransitionRefused, match="memerlukan catatan"):
            case.refuse_revocation(by=people["sekretariat"], note="")
        case.refuse_revocation(by=people["sekretariat"], note="Bukti bayar tidak terbaca")
    assert case.status == Status.SERVICES_WITHHELD
    assert case.events.last().note == "Bukti bayar tidak terbaca"


def test_revocation_asks_the_units_that_withheld_to_restore_the_service(case, people):
    drive(case, people, until=Status.REVOKED)
    licence = case.followups.get()
    assert licence.due_on == D(2025, 8, 13)  # "dicabut" SLA: 5 working days after 6 August
    with on(D(2025, 8, 7)):
        licence.record_released(by=people["dpmptsp"], reference_number="503/PTSP/2025/P")
    licence.refresh_from_db()
    assert (licence.status, licence.released_on) == ("dipulihkan", D(2025, 8, 7))
    case.refresh_from_db()
    assert case.status == Status.REVOKED


def test_a_closed_case_refuses_further_steps(case, people):
    drive(case, people, until=Status.REVOKED)
    with on(D(2025, 8, 7)), pytest.raises(TransitionRefused, match="berstatus 'Sanksi dicabut'"):
        case.mark_data_error(by=people["sekretariat"], note="salah")


def test_side_exits(people):
    compliant, wrong, criminal = CaseFactory(), CaseFactory(), CaseFactory()
    with on(D(2025, 6, 2)):
        compliant.issue_first_warning(by=people["bpjs"])
        compliant.mark_compliant(by=people["bpjs"], note="Sudah mendaftar")
        with pytest.raises(TransitionRefused, match="memerlukan catatan"):
            wrong.mark_data_error(by=people["bpjs"], note=" ")
        wrong.mark_data_error(by=people["bpjs"], note="NPP milik perusahaan lain")
    drive(criminal, people, until=Status.FINE)
    with on(D(2025, 7, 3)):
        with pytest.raises(TransitionRefused, match="tidak berwenang"):
            criminal.refer_to_criminal(by=people["bpjs"], note="PPNS")
        criminal.refer_to_criminal(by=people["sekretariat"], note="Diserahkan ke PPNS")
    assert [c.status for c in (compliant, wrong, criminal)] == [Status.COMPLIANT, Status.DATA_ERROR, Status.CRIMINAL]
    assert all(c.closed_at is not None for c in (compliant, wrong, criminal))


def test_compliance_after_the_recommendation_needs_revocation(case, people):
    drive(case, people, until=Status.RECOMMENDED)
    with on(D(2025, 7, 15)), pytest.raises(TransitionRefused, match="Nyatakan patuh"):
        case.mark_compliant(by=people["bpjs"])


def test_one_open_case_per_employer_and_category(case, people):
    CaseFactory(employer=case.employer, category=Category.PDS_UPAH)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(employer=case.employer, category=Category.PWBD)
    with on(D(2025, 6, 2)):
        case.mark_data_error(by=people["bpjs"], note="duplikat")
    CaseFactory(employer=case.employer, category=Category.PWBD)
    assert SanctionCase.objects.filter(employer=case.employer).count() == 3


def test_a_stale_copy_of_the_case_cannot_move_it(case, people):
    stale = SanctionCase.objects.get(pk=case.pk)
    with on(D(2025, 6, 2)):
        case.issue_first_warning(by=people["bpjs"])
        with pytest.raises(TransitionRefused, match="baru saja diubah"):
            stale.mark_compliant(by=people["bpjs"])


def test_step_slas_are_read_from_the_table(case, people):
    SanctionStepSLA.objects.filter(status=Status.GUIDANCE).update(working_days=3)
    with on(D(2025, 6, 2)):
        case.start_guidance(by=people["bpjs"])
    assert case.deadline == D(2025, 6, 5)
    SanctionStepSLA.objects.filter(status=Status.GUIDANCE).delete()
    other = CaseFactory()
    with on(D(2025, 6, 2)):
        other.start_guidance(by=people["bpjs"])
    assert other.deadline is None


def test_warnings_cannot_be_given_an_sla(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        SanctionStepSLA.objects.create(status=Status.WARNING_1, working_days=20)


def test_available_transitions_follow_state_and_role(case, people):
    assert [t.action for t in case.available_transitions(people["bpjs"])] == [
        "mulai_pembinaan",
        "teguran_1",
        "nyatakan_patuh",
        "batal",
    ]
    assert [t.action for t in case.available_transitions(people["sekretariat"])] == ["batal"]
    assert case.available_transitions(people["pimpinan"]) == []


def test_every_event_has_a_readable_label(case, people):
    drive(case, people, until=Status.WARNING_1)
    assert [e.label for e in CaseEvent.objects.filter(case=case)] == ["Terbitkan teguran tertulis I"]
    assert ServiceFollowUp.Service("pbg").label.startswith("Persetujuan Bangunan Gedung")
