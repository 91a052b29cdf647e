"""Admin for reference data with django-import-export; progress records are read-only there."""

from __future__ import annotations

import pytest
import tablib
from django.urls import reverse

from accounts.models import Role, User
from tests.workplan.progress_fixtures import filled_report, personas, unit_of
from workplan.models import Activity, Organization
from workplan.resources import ActivityResource, OrganizationResource

__all__ = ["personas"]


@pytest.fixture
def admin_user(personas):
    return User.objects.create_superuser("admin", password="x", role=Role.SECRETARIAT)


def test_organizations_round_trip_and_update_by_short_name(seeded_mou):
    exported = OrganizationResource().export()
    assert "DPPKUKM" in exported.csv
    data = tablib.Dataset().load(exported.csv, format="csv")
    row = data.dict[[r["short_name"] for r in data.dict].index("Dinsos")]
    row["email"] = "dinsos@jakarta.go.id"
    changed = tablib.Dataset(headers=data.headers)
    changed.append([row[h] for h in data.headers])
    dry = OrganizationResource().import_data(changed, dry_run=True)
    assert not dry.has_errors() and Organization.objects.get(short_name="Dinsos").email == ""
    result = OrganizationResource().import_data(changed, dry_run=False)
    assert not result.has_errors() and result.totals["update"] == 1
    assert Organization.objects.get(short_name="Dinsos").email == "dinsos@jakarta.go.id"


def test_activities_export_with_program_number_and_years(seeded_mou):
    exported = ActivityResource().export(queryset=Activity.objects.filter(program__number=2, letter="e"))
    row = exported.dict[0]
    assert str(row["program"]) == "2" and row["letter"] == "e" and row["years"] == "2025;2026;2027;2028;2029"


def test_admin_pages_and_import_export_screens(client, admin_user):
    client.force_login(admin_user)
    for name in (
        "admin:workplan_organization_changelist",
        "admin:workplan_organization_import",
        "admin:workplan_organization_export",
        "admin:workplan_activity_changelist",
        "admin:workplan_progressreport_changelist",
        "admin:workplan_yearlystatus_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name


def test_progress_records_are_read_only_in_the_admin(client, admin_user, personas, seeded_mou):
    report = filled_report(unit_of(seeded_mou, "1c", "DPPKUKM"), personas["owner"])
    client.force_login(admin_user)
    assert client.get(reverse("admin:workplan_progressreport_add")).status_code == 403
    response = client.post(reverse("admin:workplan_progressreport_change", args=[report.pk]), {"state": "disetujui"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == "draf"


def test_staff_without_a_see_all_role_cannot_view_reports_in_the_admin(client, personas, seeded_mou):
    from django.contrib.auth.models import Permission

    staff = personas["owner"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_progressreport"))
    client.force_login(staff)
    assert client.get(reverse("admin:workplan_progressreport_changelist")).status_code == 403
