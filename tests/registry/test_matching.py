import pytest
from django.db import connection

from registry.matching import Wanted, fuzzy_candidates, match_batch, similar_names
from registry.models import Employer, Region
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def south():
    return Region.objects.get(kode_bps="3171")


@pytest.fixture
def registry(south):
    head = EmployerFactory(name="PT Kepala Kantor", npp="AA000001", nib="1234567890123", npwp="0012345678901000")
    EmployerFactory(name="PT Cabang Kantor", npp="AA000002", nib="1234567890123", parent=head)
    EmployerFactory(name="PT Maju Jaya Abadi", npp="")
    EmployerFactory(name="PT Sinar Terang", npp="")
    EmployerFactory(name="CV Sinar Terang", npp="")
    aliased = EmployerFactory(name="PT Nama Resmi", npp="")
    aliased.remember_alias("Nama Lain Sekali")
    return head


ROWS = [
    Wanted(npp="aa000002"),
    Wanted(nib="1234567890123"),
    Wanted(npwp="01.234.567.8-901.000"),
    Wanted(npp="ZZ9", name="Maju Jaya Abadi, Tbk"),
    Wanted(name="Sinar Terang"),
    Wanted(name="Nama Lain Sekali"),
    Wanted(name="Tidak Ada"),
]


def test_batch_matching_answers_like_identify_row_by_row(registry, south):
    rows = [Wanted(w.npp, w.nib, w.npwp, w.name, south.pk) for w in ROWS]
    batch = match_batch(rows, chunk=3)
    single = [Employer.objects.identify(npp=w.npp, nib=w.nib, npwp=w.npwp, name=w.name, region=south) for w in rows]
    assert [(m.employer.pk, m.key) if m else None for m in batch] == [
        (m.employer.pk, m.key) if m else None for m in single
    ]
    assert [m.key if m else None for m in batch] == ["npp", "nib", "npwp", "nama", None, "alias", None]


def test_batch_matching_takes_few_queries(registry, south, django_assert_max_num_queries):
    rows = [Wanted(w.npp, w.nib, w.npwp, w.name, south.pk) for w in ROWS] * 50
    with django_assert_max_num_queries(7):
        match_batch(rows)


def test_fuzzy_candidates_find_a_misspelt_name_in_the_same_region_only(registry, south):
    north = Region.objects.get(kode_bps="3175")
    found = fuzzy_candidates(
        [
            Wanted(name="PT Maju Jaya Abdi", region_id=south.pk),
            Wanted(name="PT Maju Jaya Abdi", region_id=north.pk),
            Wanted(name="Toko Lain Sama Sekali", region_id=south.pk),
        ]
    )
    assert found[0].name == "PT Maju Jaya Abadi" and 0.5 <= found[0].score < 1
    assert found[1:] == [None, None]


def test_fuzzy_candidates_below_the_threshold_are_left_out(registry, south):
    (loose,) = fuzzy_candidates([Wanted(name="Maju Jaya", region_id=south.pk)], threshold=0.3)
    assert loose.name == "PT Maju Jaya Abadi"
    assert fuzzy_candidates([Wanted(name="Maju Jaya", region_id=south.pk)], threshold=0.9) == [None]


def test_the_fuzzy_threshold_is_restored_afterwards(registry, south):
    fuzzy_candidates([Wanted(name="Maju", region_id=south.pk)], threshold=0.9)
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.similarity_threshold")
        assert cursor.fetchone()[0] == "0.3"


def test_similar_names_for_a_list_find_the_same_employer_in_memory(registry, south, django_assert_max_num_queries):
    north = Region.objects.get(kode_bps="3175")
    rows = [
        Wanted(name="PT Maju Jaya Abdi", region_id=south.pk),
        Wanted(name="PT Maju Jaya Abdi", region_id=north.pk),
        Wanted(name="Toko Lain Sama Sekali", region_id=south.pk),
        Wanted(name="Sinar Terank", region_id=south.pk),
    ] * 20
    with django_assert_max_num_queries(2):
        found = similar_names(rows)
    assert found[0].name == "PT Maju Jaya Abadi" and 0.9 < found[0].score < 1
    assert found[1:3] == [None, None]
    assert found[3].name in {"PT Sinar Terang", "CV Sinar Terang"}
    assert found[4] == found[0]
