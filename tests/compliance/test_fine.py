"""The fine of PP 86/2013 Pasal 7: 0.1% a month of the contributions owed, from the end of the second warning."""

import datetime
from decimal import Decimal

import pytest

from compliance.states import Status, TransitionRefused, fine_amount, fine_months
from tests.compliance.journey import drive, on

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("on_day", "months"),
    [(D(2025, 7, 1), 1), (D(2025, 7, 2), 1), (D(2025, 8, 1), 1), (D(2025, 8, 2), 2), (D(2026, 1, 15), 7)],
)
def test_a_month_begun_counts_and_there_is_at_least_one(on_day, months):
    assert fine_months(warning_ended=D(2025, 7, 1), on=on_day) == months


def test_the_fine_is_rounded_to_whole_rupiah():
    owed = Decimal("12345678")
    assert fine_amount(contributions_owed=owed, warning_ended=D(2025, 7, 1), on=D(2025, 8, 2)) == Decimal("24691")


def test_the_fine_is_computed_from_the_contributions_owed(case, people):
    drive(case, people, until=Status.WARNING_2)  # second warning 17 June, runs out 1 July
    with on(D(2025, 8, 5)):
        case.impose_fine(by=people["bpjs"], contributions_owed=Decimal("15000000"))
    case.refresh_from_db()
    assert (case.fine_amount, case.fine_basis, case.fine_on) == (Decimal("30000"), Decimal("15000000"), D(2025, 8, 5))


def test_an_amount_that_is_not_the_law_s_is_refused(case, people):
    drive(case, people, until=Status.WARNING_2)
    message = r"Denda menurut PP 86/2013 Pasal 7 adalah Rp 15\.000 \(0,1% x Rp 15\.000\.000 x 1 bulan\)\."
    with on(D(2025, 7, 2)), pytest.raises(TransitionRefused, match=message):
        case.impose_fine(by=people["bpjs"], contributions_owed=Decimal("15000000"), amount=Decimal("20000"))
    case.refresh_from_db()
    assert case.status == Status.WARNING_2 and case.fine_amount is None


def test_the_step_form_computes_the_fine(client, case, people):
    drive(case, people, until=Status.WARNING_2)
    client.force_login(people["bpjs"])
    with on(D(2025, 7, 2)):
        response = client.post(f"/kepatuhan/kasus/{case.pk}/langkah/denda/", {"contributions_owed": "15000000"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.FINE and case.fine_amount == Decimal("15000")
    assert "Rp 15.000" in client.get(f"/kepatuhan/kasus/{case.pk}/").content.decode()
