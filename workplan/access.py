"""Who may see and change what in the work plan: the only place these rules live.

Every HTML view, API view, export and file download fetches protected objects through the
functions here. A user who may not see an object gets 404 (``Http404``), one who may see it but
not change it gets 403 (``PermissionDenied``). Lists are scoped in their querysets
(``reports_visible_to``, ``units_reportable_by``). The rules, in words, are in docs/roles.md:

* everyone logged in sees the agreement, the work plan, the matrix and every unit's yearly status;
* a quarterly report (and its evidence and history) is seen by the reporting unit's own
  organization (dinas staff or follow-up agency staff of that unit), by every BPJS officer for
  BPJS units (one party, one report line), and by the secretariat and leadership for all;
* it is changed only by dinas staff of its organization or, for BPJS units, by BPJS officers,
  and only while it is a draft or returned; the secretariat verifies (approve or return).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from workplan.models import (
    Activity,
    EvidenceFile,
    Institution,
    ProgressReport,
    ProgressReportQuerySet,
    ResponsibleUnit,
)

SEE_ALL_ROLES = frozenset({Role.SECRETARIAT, Role.LEADERSHIP})


def is_reviewer(user: Any) -> bool:
    """The secretariat verifies reports (approve or return) and administers the work plan."""
    return bool(user.is_authenticated and (user.role == Role.SECRETARIAT or user.is_superuser))


def sees_all_reports(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role in SEE_ALL_ROLES or user.is_superuser))


def _read_scope(user: Any) -> tuple[str, Any]:
    """Whose reports ``user`` reads: ``("all", None)``, ``("institution", x)``, ``("organization", id)``."""
    if not user.is_authenticated:
        return ("none", None)
    if sees_all_reports(user):
        return ("all", None)
    if user.role == Role.BPJS_OFFICER:
        return ("institution", Institution.BPJS)
    if user.role in {Role.DINAS_STAFF, Role.FOLLOWUP_AGENCY} and user.organization_id:
        return ("organization", user.organization_id)
    return ("none", None)


def _write_scope(user: Any) -> tuple[str, Any]:
    """Whose reports ``user`` writes: BPJS officers their party's units, dinas staff their own unit's."""
    if not user.is_authenticated:
        return ("none", None)
    if user.role == Role.BPJS_OFFICER:
        return ("institution", Institution.BPJS)
    if user.role == Role.DINAS_STAFF and user.organization_id:
        return ("organization", user.organization_id)
    return ("none", None)


def _unit_filter(scope: tuple[str, Any], prefix: str = "") -> Q:
    kind, value = scope
    if kind == "all":
        return Q()
    if kind == "institution":
        return Q(**{f"{prefix}organization__institution": value})
    if kind == "organization":
        return Q(**{f"{prefix}organization_id": value})
    return Q(**{f"{prefix}pk__in": []})


def _in_scope(scope: tuple[str, Any], unit: ResponsibleUnit) -> bool:
    kind, value = scope
    if kind == "all":
        return True
    if kind == "institution":
        return bool(unit.organization.institution == value)
    if kind == "organization":
        return bool(unit.organization_id == value)
    return False


def units_visible_to(user: Any) -> Any:
    """Responsible units whose reports ``user`` may read."""
    return ResponsibleUnit.objects.filter(_unit_filter(_read_scope(user)))


def units_reportable_by(user: Any) -> Any:
    """Responsible units ``user`` may write reports and yearly statuses for."""
    return ResponsibleUnit.objects.filter(_unit_filter(_write_scope(user)))


def may_report_for(user: Any, unit: ResponsibleUnit) -> bool:
    """Whether ``user`` may write the reports and yearly status of ``unit``."""
    return _in_scope(_write_scope(user), unit)


def may_see_unit_reports(user: Any, unit: ResponsibleUnit) -> bool:
    return _in_scope(_read_scope(user), unit)


def reports_visible_to(user: Any) -> ProgressReportQuerySet:
    """Every report list starts here."""
    return ProgressReport.objects.filter(_unit_filter(_read_scope(user), "unit__"))


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return report.is_editable and may_report_for(user, report.unit)


def get_report_for_user(user: Any, pk: int, *, write: bool = False, review: bool = False) -> ProgressReport:
    """The report, or 404 if ``user`` may not see it, or 403 if they may see but not change it.

    ``write`` asks for the reporter's rights (edit, submit, evidence); ``review`` the secretariat's.
    A locked report answers 403 to ``write`` too: its lock reason is shown on the page.
    """
    report = reports_visible_to(user).with_context().filter(pk=pk).first()
    if report is None:
        raise Http404("laporan tidak ditemukan")
    if write and not may_report_for(user, report.unit):
        raise PermissionDenied("Anda tidak dapat mengubah laporan ini.")
    if write and not report.is_editable:
        raise PermissionDenied(report.lock_reason)
    if review and not is_reviewer(user):
        raise PermissionDenied("Hanya sekretariat yang dapat memverifikasi laporan.")
    return report


def get_unit_for_user(user: Any, pk: int, *, write: bool = False) -> ResponsibleUnit:
    """A responsible unit: everyone logged in sees it (the work plan is shared); 403 unless it may report."""
    unit = (
        ResponsibleUnit.objects.select_related("organization", "responsibility__activity__program")
        .filter(pk=pk)
        .first()
    )
    if unit is None or not user.is_authenticated:
        raise Http404("penanggung jawab tidak ditemukan")
    if write and not may_report_for(user, unit):
        raise PermissionDenied("Anda tidak dapat melapor untuk unit kerja ini.")
    return unit


def get_evidence_for_user(user: Any, pk: int, *, write: bool = False) -> EvidenceFile:
    """An evidence file of a report ``user`` may see (404 otherwise); 403 to change it unless editable."""
    evidence = (
        EvidenceFile.objects.select_related("report__unit__organization")
        .filter(report__in=reports_visible_to(user), pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404("bukti dukung tidak ditemukan")
    if write and not may_report_for(user, evidence.report.unit):
        raise PermissionDenied("Anda tidak dapat mengubah bukti dukung ini.")
    if write and not evidence.report.is_editable:
        raise PermissionDenied(evidence.report.lock_reason)
    return evidence


def get_activity_for_user(user: Any, pk: int) -> Activity:
    """The work plan is shared: every logged-in user sees every activity."""
    activity = Activity.objects.with_plan().filter(pk=pk).first() if user.is_authenticated else None
    if activity is None:
        raise Http404("kegiatan tidak ditemukan")
    return activity


def require_reviewer(user: Any) -> None:
    """The review queue and verification steps: the secretariat only (403 for everyone else)."""
    if not is_reviewer(user):
        raise PermissionDenied("Hanya sekretariat yang dapat memverifikasi laporan.")
