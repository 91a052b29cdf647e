import pytest
from django.urls import reverse

from accounts.models import User
from compliance.models import SanctionStepSLA

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(User.objects.create_superuser("admin", "a@example.com", "x"))
    return client


def test_the_secretariat_edits_step_slas_in_the_admin(admin_client_):
    sla = SanctionStepSLA.objects.get(status="verifikasi")
    url = reverse("admin:compliance_sanctionstepsla_change", args=[sla.pk])
    response = admin_client_.post(url, {"status": "verifikasi", "working_days": 7, "basis": "Rapat koordinasi"})
    assert response.status_code == 302
    sla.refresh_from_db()
    assert sla.working_days == 7


def test_cases_are_read_only_in_the_admin(admin_client_, case):
    assert admin_client_.get(reverse("admin:compliance_sanctioncase_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:compliance_sanctioncase_change", args=[case.pk])).status_code == 200
    assert admin_client_.get(reverse("admin:compliance_sanctioncase_add")).status_code == 403
