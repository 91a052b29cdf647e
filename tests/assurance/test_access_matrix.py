"""The access matrix: every URL and API route x every role x objects of another unit or party.

Every route the URL resolver knows must be classified in ``ROUTES`` below (a new route fails
``test_every_route_is_classified`` until it is), with who may read what it shows. Then every persona,
and an anonymous visitor, asks for every route with the objects of ``tests.assurance.world``:

* a persona who may not read the object gets 403/404/405 (anonymous: a redirect to the login page,
  401 or 403), to GET and to an empty POST alike, so write paths are checked too;
* no response (pages, API JSON, CSV, XLSX and PDF text) carries a marker its persona may not read,
  which catches lists, exports and counts that leak another unit's rows;
* nobody gets a server error.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.assurance.world import EVERYONE, NIK, PERSONAS, XSS, World

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone, anonymous included
LOGGED_IN = "logged-in"  # every logged-in persona (the shared work plan, scoped lists)
STAFF = "staff"  # Django admin: no persona is staff


@dataclass(frozen=True)
class Route:
    readers: str | frozenset[str]  # PUBLIC, LOGGED_IN, STAFF, a world marker, or a set of personas
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}


def pk(key: str, **extra: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.pk(key), **extra}


SECRETARIAT = frozenset({"sekretariat"})
DASHBOARD = frozenset({"sekretariat", "pimpinan", "bpjs"})
CASE_DESKS = frozenset({"bpjs", "sekretariat", "pimpinan"})

ROUTES: dict[str, Route] = {
    "home": Route(LOGGED_IN),
    "healthz": Route(PUBLIC),
    "login": Route(PUBLIC),
    "logout": Route(PUBLIC),
    "set_language": Route(PUBLIC),
    "api-schema": Route(LOGGED_IN),
    "api-docs": Route(LOGGED_IN),
    # Work plan: shared plan, scoped reports.
    "workplan:plan": Route(LOGGED_IN),
    "workplan:matrix": Route(LOGGED_IN),
    "workplan:tasks": Route(LOGGED_IN),
    "workplan:activity": Route(LOGGED_IN, lambda w: {"pk": w.objects["wp_report"].unit.responsibility.activity_id}),
    "workplan:yearly-status": Route(LOGGED_IN, lambda w: {"unit_pk": w.pk("wp_unit"), "year": 2025}),
    "workplan:report-new": Route(
        frozenset({"dppkukm"}), lambda w: {"unit_pk": w.pk("wp_unit"), "year": 2025, "quarter": 2}
    ),
    "workplan:report": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan:report-submit": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan:report-approve": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan:report-return": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan:evidence-upload": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan:reports-export": Route(LOGGED_IN),
    "workplan:evidence": Route("MRK-WP-DPPKUKM", pk("wp_evidence")),
    "workplan:evidence-delete": Route("MRK-WP-DPPKUKM", pk("wp_evidence")),
    "workplan:review-queue": Route(SECRETARIAT),
    "workplan-api:token": Route(PUBLIC),
    "workplan-api:agreements": Route(LOGGED_IN),
    "workplan-api:agreement": Route(LOGGED_IN, lambda w: {"pk": w.agreement.pk}),
    "workplan-api:units": Route(LOGGED_IN),
    "workplan-api:yearly-status": Route(LOGGED_IN, lambda w: {"unit_pk": w.pk("wp_unit"), "year": 2025}),
    "workplan-api:activities": Route(LOGGED_IN),
    "workplan-api:activity": Route(LOGGED_IN, lambda w: {"pk": w.objects["wp_report"].unit.responsibility.activity_id}),
    "workplan-api:reports": Route(LOGGED_IN),
    "workplan-api:report": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan-api:report-submit": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan-api:report-approve": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan-api:report-return": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan-api:report-evidence": Route("MRK-WP-DPPKUKM", pk("wp_report")),
    "workplan-api:evidence-download": Route("MRK-WP-DPPKUKM", pk("wp_evidence")),
    # Data exchange: a unit's periods and submissions, the receiving BPJS office, secretariat and leadership.
    "dataexchange:streams": Route(LOGGED_IN),
    "dataexchange:template": Route(LOGGED_IN, lambda w: {"code": "2e"}),
    "dataexchange:sdi": Route(LOGGED_IN, lambda w: {"fmt": "json"}),  # aggregate extract, scoped to 2c's readers
    "dataexchange:review-queue": Route(frozenset({"sekretariat", "pimpinan", "bpjs"})),
    "dataexchange:review-decide": Route(frozenset({"sekretariat", "pimpinan", "bpjs"}), lambda w: {"pk": 999999}),
    "dataexchange:period": Route("MRK-SUB", pk("period")),
    "dataexchange:submission": Route("MRK-SUB", pk("submission")),
    "dataexchange:progress": Route("MRK-SUB", pk("submission")),
    "dataexchange:errors": Route("MRK-SUB", pk("submission", fmt="csv")),
    "dataexchange:people": Route("MRK-SUB", pk("submission")),
    "dataexchange:export-unmasked": Route(frozenset({"dinsos", "bpjs"}), pk("submission")),
    "dataexchange:people-export": Route("MRK-SUB", pk("submission")),  # masked for readers; clear: as above
    "dataexchange:api-upload": Route("MRK-SUB", pk("period")),
    "dataexchange:api-submission": Route("MRK-SUB", pk("submission")),
    # BPJS's membership extract: the receiving BPJS office uploads, the secretariat and leadership read.
    "dataexchange:membership": Route(frozenset({"bpjs", "sekretariat", "pimpinan"}), lambda w: {"code": "2e"}),
    "dataexchange:api-membership": Route(frozenset({"bpjs"}), lambda w: {"code": "2e"}),
    "dataexchange:kpj": Route("MRK-SUB", pk("submission")),  # 2d only: 404 for the world's 2e list
    "dataexchange:kpj-export": Route("MRK-SUB", pk("submission")),
    "dataexchange:changes": Route("MRK-SUB", pk("submission")),
    "dataexchange:changes-export": Route("MRK-SUB", pk("submission")),
    # Clauses: the liaison units, the secretariat and leadership.
    "clauses:dashboard": Route("MRK-FM"),
    "clauses:extension-new": Route("MRK-FM"),
    "clauses:force-majeure-new": Route("MRK-FM"),
    "clauses:force-majeure": Route("MRK-FM", pk("force_majeure")),
    "clauses:force-majeure-respond": Route("MRK-FM", pk("force_majeure")),
    "clauses:force-majeure-adjust": Route("MRK-FM", pk("force_majeure")),
    "clauses:address-change-new": Route("MRK-FM"),
    "clauses:letters": Route("MRK-FM"),
    "clauses:letter-new": Route("MRK-FM"),
    "clauses:termination-new": Route("MRK-FM"),
    "clauses:disclosure-new": Route("MRK-FM"),
    "clauses:disclosure-decide": Route("MRK-FM", pk("disclosure")),
    "clauses:amendments": Route("MRK-FM"),
    "clauses:amendment-new": Route("MRK-FM"),
    "clauses:amendment": Route(SECRETARIAT, lambda w: {"pk": 999999}),
    "clauses:amendment-apply": Route(SECRETARIAT, lambda w: {"pk": 999999}),
    "clauses:plan-version": Route("MRK-FM", lambda w: {"number": 1}),
    # Notifications: one's own.
    "notifications:inbox": Route(LOGGED_IN),
    "notifications:mark-read": Route("MRK-NOTE", pk("notification")),
    "notifications:mark-all-read": Route(LOGGED_IN),
    "notifications:preferences": Route(LOGGED_IN),
    "notifications:calendar": Route(LOGGED_IN),
    "notifications:feed": Route(PUBLIC, lambda w: {"token": "bukan-token"}),
    "notifications:token-create": Route(LOGGED_IN),
    "notifications:token-revoke": Route(LOGGED_IN),
    "notifications:escalations": Route(frozenset({"sekretariat", "pimpinan"})),
    # Compliance: BPJS, secretariat, leadership, and the follow-up agency a case was sent to.
    "compliance:cases": Route(LOGGED_IN),
    "compliance:dashboard": Route(LOGGED_IN),
    "compliance:case": Route("MRK-CASE ", pk("case")),
    "compliance:case-step": Route("MRK-CASE ", pk("case", action="cabut")),
    "compliance:followup": Route("MRK-CASE ", pk("followup")),
    "compliance:letter": Route("MRK-CASE ", pk("letter")),
    "compliance:evidence": Route("MRK-CASE ", pk("case_evidence")),
    "compliance:upload": Route(LOGGED_IN),
    "compliance:upload-errors": Route("MRK-UPL", pk("compliance_upload", file_format="csv")),
    "compliance-api:cases": Route(LOGGED_IN),
    "compliance-api:case": Route("MRK-CASE ", pk("case")),
    "compliance-api:case-step": Route("MRK-CASE ", pk("case", action="revoke")),
    "compliance-api:followup-record": Route("MRK-CASE ", pk("followup")),
    "compliance-api:letter-download": Route("MRK-CASE ", pk("letter")),
    "compliance-api:uploads": Route(LOGGED_IN),
    # The similar-name review queue: BPJS and the secretariat answer, leadership reads.
    "compliance:name-reviews": Route("MRK-NR"),
    "compliance:name-review-decide": Route("MRK-NR", pk("name_review")),
    "compliance-api:name-reviews": Route("MRK-NR"),
    "compliance-api:name-review-decide": Route("MRK-NR", pk("name_review")),
    # Program 3's other records (3a, 3b, 3d, 3e/3f): BPJS, secretariat, leadership (and the lead unit's staff).
    "compliance:p3": Route(CASE_DESKS),
    "compliance:p3-list": Route(CASE_DESKS, lambda w: {"kind": "pemeriksaan"}),
    "compliance:p3-new": Route(CASE_DESKS, lambda w: {"kind": "pelatihan"}),
    "compliance:p3-record": Route("MRK-P3", lambda w: {"kind": "pemeriksaan", "pk": w.pk("p3_inspection")}),
    "compliance:p3-sheet": Route("MRK-P3", lambda w: {"kind": "pemeriksaan", "pk": w.pk("p3_inspection")}),
    "compliance:p3-attach": Route("MRK-P3", lambda w: {"kind": "pemeriksaan", "pk": w.pk("p3_inspection")}),
    "compliance-api:p3-records": Route(CASE_DESKS, lambda w: {"kind": "pemeriksaan"}),
    # Evaluation: every logged-in user reads the joint report; the dashboard for both parties' desks.
    "evaluation:reports": Route(LOGGED_IN),
    "evaluation:report": Route(LOGGED_IN, pk("evaluation_report")),
    "evaluation:report-status": Route(LOGGED_IN, pk("evaluation_report")),
    "evaluation:report-recommendations": Route(LOGGED_IN, pk("evaluation_report")),
    "evaluation:report-finalise": Route(LOGGED_IN, pk("evaluation_report")),
    "evaluation:report-approve": Route(LOGGED_IN, pk("evaluation_report")),
    "evaluation:report-download": Route(LOGGED_IN, pk("evaluation_report")),
    "evaluation:verify": Route(PUBLIC),
    "evaluation:verify-token": Route(PUBLIC, lambda w: {"token": "00000000-0000-0000-0000-000000000000"}),
    "evaluation:dashboard": Route(DASHBOARD),
    "evaluation:export-matrix": Route(DASHBOARD),
    "evaluation:export-quarters": Route(DASHBOARD, lambda w: {"year": 2025}),
    "evaluation:export-cases": Route(DASHBOARD, lambda w: {"year": 2025, "file_format": "csv"}),
}


def _walk(patterns: list[Any], namespaces: tuple[str, ...] = ()) -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, namespaces + ((entry.namespace,) if entry.namespace else ()))
        else:
            found.append((":".join((*namespaces, entry.name or str(entry.pattern))), entry))
    return found


def resolver_routes() -> dict[str, URLPattern]:
    """Every named route, the Django admin's apart (classified as a whole: staff only)."""
    return {name: p for name, p in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}


def readers_of(route: Route, world: World) -> frozenset[str]:
    if route.readers in (PUBLIC, LOGGED_IN):
        return EVERYONE
    if route.readers == STAFF:
        return frozenset()
    if isinstance(route.readers, frozenset):
        return route.readers
    return world.readers[route.readers]


def materialised(response: Any) -> Any:
    """A streamed response read once into a plain one, so that several checks can read its body."""
    if not response.streaming:
        return response
    from django.http import HttpResponse

    plain = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    return plain


def body_text(response: Any) -> str:
    """What a reader sees: HTML/JSON/CSV as text, XLSX sheets' XML, a PDF's extracted text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
        except Exception:
            return content.decode("latin-1")
    return content.decode("utf-8", "replace")


def test_every_route_is_classified() -> None:
    unclassified = sorted(set(resolver_routes()) - set(ROUTES))
    assert not unclassified, f"classify these routes in tests/assurance/test_access_matrix.py: {unclassified}"


def leaks_for(world: World, persona: str | None, name: str, route: Route) -> list[str]:
    """Everything wrong with one persona's GET (and, when refused, empty POST) of one route."""
    url = reverse(name, kwargs=route.kwargs(world))
    client = world.client(persona)
    allowed = persona in readers_of(route, world) or (persona is None and route.readers == PUBLIC)
    problems = []
    for method in ("get",) if allowed else ("get", "post"):
        response = materialised(getattr(client, method)(url))
        status = response.status_code
        if status >= 500:
            problems.append(f"{method.upper()} {url} as {persona}: {status}")
            continue
        if not allowed:
            to_login = status == 302 and "/masuk/" in response.get("Location", "")
            refused = status in {403, 404, 405} or (persona is None and (to_login or status == 401))
            if not refused:
                problems.append(f"{method.upper()} {url} as {persona}: {status}, should be refused")
        text = body_text(response)
        problems += attacks(response, text, f"{method.upper()} {url} as {persona}")
        for marker, readers in world.readers.items():
            if marker in text and persona not in readers:
                problems.append(f"{method.upper()} {url} as {persona}: shows {marker!r}")
    return problems


PLANTED_SEEN: list[str] = []
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def live_formulas(response: Any) -> list[str]:
    """Cells a spreadsheet would evaluate: XLSX formula cells, CSV cells starting like a formula."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"PK") and "sheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        return [f"{c.coordinate}={c.value}" for sheet in book for row in sheet.iter_rows() for c in row
                if c.data_type == "f"]  # fmt: skip
    if "csv" in kind:
        import csv

        text = content.decode("utf-8-sig", "replace")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        return [c for c in cells if c.startswith(FORMULA_STARTS) and not c[1:].replace(".", "").isdigit()]
    return []


def attacks(response: Any, text: str, where: str) -> list[str]:
    """A planted payload rendered live: raw markup in an HTML page, a formula a spreadsheet would run."""
    found = []
    if "HYPERLINK" in text or "alert(" in text:
        PLANTED_SEEN.append(where)  # the payload reached this response (escaped or neutralised)
    if "html" in response.get("Content-Type", ""):
        found += [f"{where}: raw {payload!r}" for payload in XSS if payload in text]
    found += [f"{where}: live formula {cell!r}" for cell in live_formulas(response)]
    return found


def test_no_persona_sees_or_changes_what_is_not_theirs(world: World) -> None:
    import os
    import time

    routes = resolver_routes()
    problems = []
    for name, route in ROUTES.items():
        if name not in routes:
            continue  # classified ahead of an app that is not mounted yet
        started = time.monotonic()
        for persona in [None, *PERSONAS]:
            problems += leaks_for(world, persona, name, route)
        if os.environ.get("MATRIX_TIMING"):
            print(f"{time.monotonic() - started:6.2f}s {name}")
    assert problems == [], "\n".join(problems)
    # The attack checks had something to bite on: payloads reached pages, API answers and exports.
    assert any("/api/" in w for w in PLANTED_SEEN) and any(".csv" in w or ".xlsx" in w for w in PLANTED_SEEN)
    assert len(PLANTED_SEEN) > 20, PLANTED_SEEN


def test_the_admin_is_for_staff_only(world: World) -> None:
    urls = [reverse(name) for name, p in _walk(get_resolver().url_patterns)
            if name.startswith("admin:") and not p.pattern.regex.groups
            and name not in {"admin:login", "admin:logout"}]  # fmt: skip
    refused = []
    for persona in [None, *PERSONAS]:
        client = world.client(persona)
        for url in urls:
            response = client.get(url)
            if not (response.status_code == 302 and "/admin/login/" in response.get("Location", "")):
                refused.append(f"{url} as {persona}: {response.status_code}")
    assert refused == []


def test_only_the_logged_unmasking_export_shows_a_nik_and_it_is_formula_safe(world: World, caplog: Any) -> None:
    """The sender's unmasked export: full NIKs, an access-log row, no live formula; no NIK in the logs."""
    from dataexchange.models import AccessLog

    caplog.set_level("DEBUG")
    url = reverse("dataexchange:export-unmasked", args=[world.pk("submission")])
    refused = world.client("dinsos").post(url, {"reason": ""})
    assert refused.status_code == 302 and not AccessLog.objects.exists()
    response = materialised(world.client("dinsos").post(url, {"reason": "Pendampingan pendaftaran BPU"}))
    assert NIK in body_text(response) and AccessLog.objects.filter(user=world.users["dinsos"]).count() == 1
    assert live_formulas(response) == [] and "HYPERLINK" in body_text(response)
    assert NIK not in caplog.text
