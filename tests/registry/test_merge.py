"""Merging a duplicate employer into the registered one (registry.services.employer_merge)."""

import pytest

from accounts.models import User
from registry.models import Employer, EmployerAlias, MatchDecision
from registry.services import MergeRefused, employer_merge
from tests.registry.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    into = EmployerFactory(name="PT Maju Jaya Abadi", npp="JJ000001", nib="", address="")
    duplicate = EmployerFactory(name="PT Maju Jaya Abdi", npp="", nib="9120001234567", address="Jl. Sudirman 1")
    return duplicate, into


def test_every_link_moves_the_name_stays_and_the_duplicate_goes(pair):
    duplicate, into = pair
    branch = EmployerFactory(name="PT Maju Jaya Abdi Cabang Bekasi", parent=duplicate)
    EmployerAlias.objects.create(employer=duplicate, name="CV Maju Jaya", name_normalized="maju jaya")
    EmployerAlias.objects.create(employer=into, name="Maju Jaya", name_normalized="maju jaya")
    by = User.objects.create_user("petugas")
    decision = MatchDecision.objects.remember(name="Maju Jaya Abd", region_id=into.region_id, employer=duplicate, by=by)
    employer_merge(duplicate=duplicate, into=into, source="uji")
    assert not Employer.objects.filter(pk=duplicate.pk).exists()
    into.refresh_from_db()
    assert (into.npp, into.nib, into.address) == ("JJ000001", "9120001234567", "Jl. Sudirman 1")
    branch.refresh_from_db()
    decision.refresh_from_db()
    assert branch.parent == into and decision.employer == into
    aliases = sorted(into.aliases.values_list("name_normalized", "source"))
    assert aliases == [("maju jaya", ""), ("maju jaya abdi", "uji")]
    assert Employer.objects.identify(name="PT. MAJU JAYA ABDI", region=into.region).employer == into


def test_different_identifiers_are_never_merged(pair):
    duplicate, into = pair
    into.nib = "9120009999999"
    into.save()
    with pytest.raises(MergeRefused, match="NIB berbeda: 9120001234567 / 9120009999999"):
        employer_merge(duplicate=duplicate, into=into)
    assert Employer.objects.count() == 2
    with pytest.raises(MergeRefused):
        employer_merge(duplicate=into, into=into)
