import pytest

from compliance.models import CaseEvent
from compliance.services import cases_propose_revocation
from compliance.states import Status
from notifications.models import Notification
from tests.compliance.factories import CaseFactory
from tests.compliance.journey import drive

pytestmark = pytest.mark.django_db


def test_an_active_sanction_is_proposed_for_revocation_once_per_source(people):
    withheld = CaseFactory()
    drive(withheld, people, until=Status.SERVICES_WITHHELD)
    warned = CaseFactory()
    drive(warned, people, until=Status.WARNING_1)
    employers = [withheld.employer_id, warned.employer_id]

    proposed = cases_propose_revocation(employer_ids=employers, source="Pertukaran data 2a triwulan III 2025")
    assert proposed == [withheld]
    assert cases_propose_revocation(employer_ids=employers, source="Pertukaran data 2a triwulan III 2025") == []
    assert len(cases_propose_revocation(employer_ids=employers, source="Pertukaran data 2a triwulan IV 2025")) == 1

    event = withheld.events.filter(action=CaseEvent.REVOCATION_PROPOSED).first()
    assert event.label == "Pencabutan diusulkan (data pertukaran)" and "triwulan III" in event.note
    withheld.refresh_from_db()
    assert withheld.status == Status.SERVICES_WITHHELD  # a proposal moves nothing
    inbox = Notification.objects.filter(recipient=people["bpjs"])
    assert inbox.count() == 2 and withheld.employer.name in inbox.first().subject
    assert not Notification.objects.filter(recipient=people["sekretariat"]).exists()
