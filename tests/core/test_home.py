"""After login each role lands on the page with its own work."""

import pytest
from django.urls import reverse

from accounts.models import Role, User


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "start"),
    [
        (Role.DINAS_STAFF, "workplan:tasks"),
        (Role.BPJS_OFFICER, "workplan:tasks"),
        (Role.SECRETARIAT, "workplan:review-queue"),
        (Role.FOLLOWUP_AGENCY, "compliance:cases"),
        (Role.LEADERSHIP, "evaluation:dashboard"),
    ],
)
def test_home_sends_each_role_to_its_start_page(client, role, start):
    client.force_login(User.objects.create_user(username=f"u-{role}", password="x-Pass-12345", role=role))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(start)


@pytest.mark.django_db
def test_home_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
