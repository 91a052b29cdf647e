# ruff: noqa: S603 - fixed argument lists for our own gunicorn, schemathesis and Python children
"""Schemathesis against /api/schema/ as each role (issue 8), on the load database and production settings.

    python -m assurance.schema_fuzz --examples 10

Starts gunicorn like ``assurance.load run``, gives each seeded user (BPJS officer, Dinsos staff, follow-up
agency DPMPTSP, secretariat, leadership) an API token, and runs schemathesis with the checks
``not_a_server_error`` and ``response_schema_conformance``. Schemathesis invents the ids in paths, which
reach only 404s, so before each role's run the ids that role may see (up to three per kind, and one it
may not see, whose 404 is the right answer) are read from the database through the access functions
and written to var/assurance/schemathesis-<role>.toml as dictionaries bound to the path parameters.
Prints, per role, the failures schemathesis reports; JUnit files go to var/assurance/schemathesis-<role>.xml.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from assurance.load import BASE, OUT, production_env

# The reporters first: the reports they submit are the ones the secretariat then approves or returns.
ROLES = ["bpjs", "dinsos", "dpmptsp", "sekretariat", "pimpinan"]
TOKEN_CODE = """
import django; django.setup()
from rest_framework.authtoken.models import Token
from accounts.models import User
print(Token.objects.get_or_create(user=User.objects.get(username="{name}"))[0].key)
"""  # noqa: S105 - code that fetches a token, not a token
# Prints {dictionary: [values]} for the user named in argv: up to three ids it may see and one it may not
# (its 404 is the right answer), found through the access functions; reads only.
IDS_CODE = """
import json, sys, django; django.setup()
from django.http import Http404
from accounts.models import User
from compliance import access as compliance, program3, services
from compliance.models import CaseLetter, NameReview, SanctionCase, ServiceFollowUp
from dataexchange import access as exchange
from dataexchange.models import ExchangePeriod, Stream, Submission
from workplan import access as workplan
from workplan.models import Activity, Agreement, EvidenceFile, ProgressReport, ResponsibleUnit
user = User.objects.get(username=sys.argv[1])

def scoped(visible, every, field="pk"):
    seen = list(visible.order_by(field).values_list(field, flat=True)[:3])
    return seen + list(every.exclude(**{field + "__in": visible.values(field)}).order_by(field)
                       .values_list(field, flat=True)[:1])

def fetched(every, get, field="pk"):
    def sees(key):
        try:
            return bool(get(user, key))
        except Http404:
            return False
    keys = list(every.order_by(field).values_list(field, flat=True)[:200])
    return [key for key in keys if sees(key)][:3] + [key for key in keys if not sees(key)][:1]

reports = workplan.reports_visible_to(user)
writable = reports.filter(unit__in=workplan.units_reportable_by(user))
units = workplan.units_reportable_by(user)
print(json.dumps({
    "activity": scoped(Activity.objects.all(), Activity.objects.all()),
    "agreement": scoped(Agreement.objects.all(), Agreement.objects.all()),
    "case": scoped(compliance.cases_for_user(user), SanctionCase.objects.all()),
    "step": list(services.STEPS),
    "followup": fetched(ServiceFollowUp.objects, compliance.get_followup_for_user),
    "letter": fetched(CaseLetter.objects, compliance.get_letter_for_user),
    "name_review": fetched(NameReview.objects, compliance.get_name_review_for_user),
    "program3_kind": list(program3.KINDS),
    "evidence": fetched(EvidenceFile.objects, workplan.get_evidence_for_user),
    "report": scoped(writable if writable.exists() else reports, ProgressReport.objects.all()),
    "submitted_report": scoped(reports.filter(state=ProgressReport.State.SUBMITTED), ProgressReport.objects.all()),
    "unit": scoped(units if units.exists() else workplan.units_visible_to(user), ResponsibleUnit.objects.all()),
    "year": Agreement.objects.get().plan_years,
    "stream": fetched(Stream.objects.filter(is_active=True), exchange.get_membership_stream_for_user, "code"),
    "submission": fetched(Submission.objects, exchange.get_submission_for_user),
    "period": scoped(exchange.periods_visible_to(user), ExchangePeriod.objects.all()),
}))
"""
# The path parameters of each operation and the dictionary (above) whose values fill them.
PATH_PARAMETERS = {
    "api_activities_retrieve": {"id": "activity"},
    "api_agreements_retrieve": {"id": "agreement"},
    "api_compliance_cases_retrieve": {"id": "case"},
    "api_compliance_cases_steps_create": {"id": "case", "action": "step"},
    "api_compliance_followups_record_create": {"id": "followup"},
    "api_compliance_letters_download_retrieve": {"id": "letter"},
    "api_compliance_name_reviews_decide_create": {"id": "name_review"},
    "compliance_program3_list": {"kind": "program3_kind"},
    "compliance_program3_create": {"kind": "program3_kind"},
    "api_evidence_download_retrieve": {"id": "evidence"},
    "api_reports_retrieve": {"id": "report"},
    "api_reports_partial_update": {"id": "report"},
    "api_reports_submit_create": {"id": "report"},
    "api_reports_approve_create": {"id": "submitted_report"},
    "api_reports_return_create": {"id": "submitted_report"},
    "api_reports_evidence_list": {"id": "report"},
    "api_reports_evidence_create": {"id": "report"},
    "api_units_years_status_update": {"unit_pk": "unit", "year": "year"},
    "exchange_membership_upload": {"code": "stream"},
    "pertukaran_data_api_kiriman_retrieve": {"id": "submission"},
    "pertukaran_data_api_periode_kiriman_create": {"id": "period"},
}
# Part of the positive cases still invent their ids: a 500 on an unknown or huge id stays findable.
PROBABILITY = 0.8


def token(env: dict[str, str], name: str) -> str:
    run = subprocess.run([sys.executable, "-c", TOKEN_CODE.format(name=name)], cwd=BASE, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return run.stdout.strip().splitlines()[-1]


def path_ids(env: dict[str, str], name: str) -> dict[str, list[int | str]]:
    run = subprocess.run([sys.executable, "-c", IDS_CODE, name], cwd=BASE, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    values: dict[str, list[int | str]] = json.loads(run.stdout.strip().splitlines()[-1])
    return values


def config(values: dict[str, list[int | str]]) -> str:
    """schemathesis.toml: one dictionary per kind of id, bound to the path parameters of each operation.

    Written by hand (the venv has no TOML writer): a JSON array of integers and plain strings is a TOML array.
    """
    lines = [f"[dictionaries.{name}]\nvalues = {json.dumps(entries)}\n" for name, entries in values.items() if entries]
    for operation, parameters in PATH_PARAMETERS.items():
        bound = [
            f'"path.{parameter}" = {{ dictionary = "{name}", probability = {PROBABILITY} }}'
            for parameter, name in parameters.items()
            if values.get(name)
        ]
        if bound:
            inline = ", ".join(bound)
            lines.append(f'[[operations]]\ninclude-operation-id = "{operation}"\nparameters = {{ {inline} }}\n')
    return "\n".join(lines)


def fuzz(env: dict[str, str], base: str, role: str, examples: int) -> subprocess.CompletedProcess[str]:
    settings = OUT / f"schemathesis-{role}.toml"
    settings.write_text(config(path_ids(env, role)))
    return subprocess.run([str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(settings), "run",
                           f"{base}/api/schema/", "-u", base, "-H", f"Authorization: Token {token(env, role)}",
                           "-H", "X-Forwarded-Proto: https", "-c", "not_a_server_error,response_schema_conformance",
                           "-n", str(examples), "--report", "junit",
                           "--report-junit-path", str(OUT / f"schemathesis-{role}.xml"), "--request-timeout", "30"],
                          cwd=BASE, capture_output=True, text=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--port", type=int, default=8433)
    args = parser.parse_args()
    env = production_env(args.port)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "mou_tracker.wsgi", "-b",
                               f"127.0.0.1:{args.port}", "-w", "3", "--access-logfile", "/dev/null"], cwd=BASE,
                              env=env, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - our own loopback server
                break
            except OSError:
                time.sleep(1)
        for role in ROLES:
            run = fuzz(env, base, role, args.examples)
            print(f"===== {role}: exit {run.returncode}")
            print(run.stdout[-6000:])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
