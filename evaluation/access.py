"""Who may see and do what with the annual report and the dashboard: the only place these rules live.

* Every logged-in user reads the reports (dinas staff and follow-up agencies: the report only).
* Leadership, the secretariat and BPJS officers (both parties) also see the dashboard and exports.
* The secretariat generates versions, writes the recommendations and makes a version final.
* Approval is per party: the secretariat for PIHAK KESATU, a BPJS officer for PIHAK KEDUA
  (the rule itself is ``EvaluationReport.approve``).
* The verification page is public: it shows a report's fingerprint, never its content.

Outsiders get 404; users who may read but not act get 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from evaluation.models import APPROVER_ROLES, EvaluationReport, EvaluationReportQuerySet

DASHBOARD_ROLES = frozenset({Role.SECRETARIAT, Role.LEADERSHIP, Role.BPJS_OFFICER})


def is_secretariat(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role == Role.SECRETARIAT or user.is_superuser))


def may_see_dashboard(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role in DASHBOARD_ROLES or user.is_superuser))


def may_approve(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in APPROVER_ROLES.values())


def reports_visible_to(user: Any) -> EvaluationReportQuerySet:
    """Every report list starts here."""
    reports = EvaluationReport.objects.all()
    return reports if user.is_authenticated else reports.none()


def get_report_for_user(user: Any, pk: int, *, manage: bool = False, approve: bool = False) -> EvaluationReport:
    """The report, 404 if ``user`` may not see it, 403 if ``manage`` (secretariat) or ``approve`` is refused."""
    report = reports_visible_to(user).select_related("agreement", "requested_by").filter(pk=pk).first()
    if report is None:
        raise Http404("laporan tidak ditemukan")
    if manage and not is_secretariat(user):
        raise PermissionDenied("Hanya sekretariat yang dapat mengubah laporan monev.")
    if approve and not may_approve(user):
        raise PermissionDenied("Hanya wakil PARA PIHAK yang dapat menyetujui laporan.")
    return report


def require_secretariat(user: Any) -> None:
    if not is_secretariat(user):
        raise PermissionDenied("Hanya sekretariat yang dapat membuat laporan monev.")


def require_dashboard(user: Any) -> None:
    if not may_see_dashboard(user):
        raise PermissionDenied("Dasbor hanya untuk pimpinan, sekretariat dan BPJS Ketenagakerjaan.")
