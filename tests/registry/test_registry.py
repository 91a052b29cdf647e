import pytest
from django.contrib.postgres.search import TrigramSimilarity
from django.db import IntegrityError, connection, transaction

from registry.models import Employer, Region
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def region(kode_bps: str) -> Region:
    return Region.objects.get(kode_bps=kode_bps)


def test_the_six_dki_areas_are_seeded_with_both_code_systems():
    rows = list(Region.objects.values_list("kode_bps", "kode_kemendagri", "kind"))
    assert rows == [
        ("3101", "31.01", "kabupaten"),
        ("3171", "31.74", "kota"),
        ("3172", "31.75", "kota"),
        ("3173", "31.71", "kota"),
        ("3174", "31.73", "kota"),
        ("3175", "31.72", "kota"),
    ]
    assert region("3171").name == "Kota Administrasi Jakarta Selatan"


@pytest.mark.parametrize(
    ("text", "kode_bps"),
    [
        ("3171", "3171"),
        ("31.74", "3171"),
        ("3174", "3174"),  # four bare digits are BPS: Jakarta Barat, not Kemendagri 31.74
        ("Jakarta Selatan", "3171"),
        ("KOTA ADM. JAKARTA SELATAN", "3171"),
        ("Jaksel", "3171"),
        ("Kab. Adm. Kepulauan Seribu", "3101"),
        ("Jakarta Pusat", "3173"),
    ],
)
def test_regions_are_recognised_by_either_code_or_name(text, kode_bps):
    assert Region.objects.recognise(text) == region(kode_bps)


@pytest.mark.parametrize("text", ["", "Bandung", "3273", "32.73"])
def test_unknown_regions_are_not_guessed(text):
    assert Region.objects.recognise(text) is None


def test_saving_an_employer_stores_canonical_identifiers_and_name():
    employer = EmployerFactory(
        name="PT. Maju Jaya, Tbk", npp="ab 123", nib="9120-001234567", npwp="01.234.567.8-901.000"
    )
    employer.refresh_from_db()
    assert (employer.npp, employer.nib, employer.npwp) == ("AB123", "9120001234567", "0012345678901000")
    assert employer.name_normalized == "maju jaya"


def test_identify_prefers_npp_then_nib_then_npwp():
    by_npp = EmployerFactory(npp="AA000001")
    by_nib = EmployerFactory(npp="", nib="1234567890123")
    by_npwp = EmployerFactory(npp="", npwp="0012345678901000")
    found = Employer.objects.identify(npp="aa000001", nib="1234567890123", npwp="01.234.567.8-901.000")
    assert (found.employer, found.key) == (by_npp, "npp")
    found = Employer.objects.identify(npp="ZZ999999", nib="1234567890123", npwp="01.234.567.8-901.000")
    assert (found.employer, found.key) == (by_nib, "nib")
    found = Employer.objects.identify(npwp="012345678901000")
    assert (found.employer, found.key) == (by_npwp, "npwp")


def test_identify_falls_back_to_normalised_name_within_the_region():
    employer = EmployerFactory(name="PT Maju Jaya Abadi", region=region("3171"))
    found = Employer.objects.identify(name="MAJU JAYA ABADI, TBK", region=region("3171"))
    assert (found.employer, found.key) == (employer, "nama")
    assert Employer.objects.identify(name="Maju Jaya Abadi", region=region("3172")) is None
    assert Employer.objects.identify(name="Maju Jaya Abadi") is None


def test_identify_finds_a_remembered_alias():
    employer = EmployerFactory(name="PT Maju Jaya Abadi")
    employer.remember_alias("CV Maju Jaya", source="unggahan uji")
    found = Employer.objects.identify(name="Maju Jaya", region=employer.region)
    assert (found.employer, found.key) == (employer, "alias")


def test_identify_does_not_pick_between_two_employers_of_the_same_name():
    EmployerFactory(name="PT Sinar Terang")
    EmployerFactory(name="CV Sinar Terang")
    assert Employer.objects.identify(name="Sinar Terang", region=region("3171")) is None


def test_alias_equal_to_the_employer_name_is_not_stored_and_aliases_are_kept_once():
    employer = EmployerFactory(name="PT Maju Jaya")
    assert employer.remember_alias("MAJU JAYA, PT") is None
    first = employer.remember_alias("Maju Djaja")
    assert employer.remember_alias("maju djaja") == first
    assert employer.aliases.count() == 1


def test_npp_is_unique_when_present():
    EmployerFactory(npp="AA000001")
    EmployerFactory(npp="")
    EmployerFactory(npp="")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(npp="aa000001")


def test_branches_share_the_head_office_nib_but_head_offices_do_not():
    head = EmployerFactory(nib="1234567890123", npwp="0012345678901000")
    EmployerFactory(parent=head, nib="1234567890123", npwp="0012345678901000")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(nib="1234567890123")
    found = Employer.objects.identify(nib="1234567890123")
    assert found.employer == head


def test_malformed_nib_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(nib="12345")


def test_trigram_index_serves_fuzzy_name_similarity():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'employer_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "gin_trgm_ops" in definition
    EmployerFactory(name="PT Maju Jaya Abadi")
    EmployerFactory(name="PT Sentosa Raya")
    best = (
        Employer.objects.annotate(score=TrigramSimilarity("name_normalized", "maju jaya abdi"))
        .order_by("-score")
        .first()
    )
    assert best.name == "PT Maju Jaya Abadi" and best.score > 0.5
