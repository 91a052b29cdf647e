"""The malformed-upload corpus (``assurance/corpus.py``) through every upload path's view or service.

For each file: no unhandled error (an exception or a 5xx), no partial import (a refused file leaves
every data table as it was; an evidence file refused leaves no stored file), and a tabular file that
is refused says why (a file-level message or row errors). ``make test`` runs every 10th file;
``ASSURE_FULL=1`` (``make assure``) runs all of them and writes ``var/assurance/corpus.json``.
"""

from __future__ import annotations

import io
import json
import os
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from assurance.corpus import PATHS, Sample, samples
from compliance.models import SanctionCase
from compliance.uploads import noncompliance_list_upload
from dataexchange.models import PersonRecord, Submission
from registry.models import Employer
from tests.assurance.world import World
from workplan.annex_sheet import workplan_import
from workplan.models import Activity, EvidenceFile, Responsibility, ResponsibleUnit

pytestmark = pytest.mark.django_db
FULL = bool(os.environ.get("ASSURE_FULL"))


def chosen(path: str) -> list[Sample]:
    every = list(samples(path))
    return every if FULL else every[::10]


def _media_files() -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def run_exchange(world: World, sample: Sample) -> dict[str, Any]:
    period = world.objects["period"]
    before = Submission.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    upload = SimpleUploadedFile(sample.name, sample.content, content_type=sample.content_type)
    with override_settings(EXCHANGE_ASYNC_MIN_BYTES=1 << 40):
        response = world.client("dinsos").post(reverse("dataexchange:period", args=[period.pk]), {"file": upload})
    if response.status_code >= 500:
        return {"unhandled": f"HTTP {response.status_code}"}
    submission = Submission.objects.filter(pk__gt=before, period=period).first()
    if submission is None:  # refused by the form, or the same bytes as an earlier file
        return {"accepted": False, "report": response.status_code in {200, 302, 400}, "row_errors": False}
    accepted = submission.status == Submission.Status.ACCEPTED
    rows = PersonRecord.objects.filter(submission=submission).count()
    return {
        "accepted": accepted,
        "partial": (not accepted and rows > 0) or (accepted and rows != submission.rows),
        "report": accepted or submission.errors.exists(),
        "row_errors": submission.errors.exclude(row=None).exclude(row=0).exists(),
    }


def run_compliance(world: World, sample: Sample) -> dict[str, Any]:
    counts = (SanctionCase.objects.count(), Employer.objects.count())
    outcome = noncompliance_list_upload(
        file=io.BytesIO(sample.content), filename=sample.name, by=world.users["bpjs"], source="perintah"
    )
    accepted = outcome.result.accepted
    errors = list(outcome.result.errors)
    changed = counts != (SanctionCase.objects.count(), Employer.objects.count())
    return {
        "accepted": accepted,
        "partial": not accepted and changed,
        "report": accepted or bool(errors),
        "row_errors": any(e.row for e in errors),
    }


def _plan_state() -> tuple[int, ...]:
    return (Activity.objects.count(), Responsibility.objects.count(), ResponsibleUnit.objects.count())


def run_workplan(world: World, sample: Sample) -> dict[str, Any]:
    before = _plan_state()
    result = workplan_import(file=io.BytesIO(sample.content), filename=sample.name, agreement=world.agreement)
    errors = list(result.errors)
    return {
        "accepted": result.accepted,
        "partial": not result.accepted and _plan_state() != before,
        "report": result.accepted or bool(errors),
        "row_errors": any(e.row for e in errors),
    }


def run_evidence(world: World, sample: Sample) -> dict[str, Any]:
    report = world.objects["wp_report"]
    rows, files = EvidenceFile.objects.count(), _media_files()
    upload = SimpleUploadedFile(sample.name, sample.content, content_type=sample.content_type)
    response = world.client("dppkukm").post(reverse("workplan:evidence-upload", args=[report.pk]), {"file": upload})
    if response.status_code >= 500:
        return {"unhandled": f"HTTP {response.status_code}"}
    added = EvidenceFile.objects.count() - rows
    stored = EvidenceFile.objects.order_by("-pk").first() if added else None
    outside = stored is not None and not Path(stored.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT))
    return {
        "accepted": bool(added),
        "partial": (_media_files() - files) != added or outside,
        "report": True,
        "row_errors": False,
    }


RUNNERS = {"exchange": run_exchange, "compliance": run_compliance, "workplan": run_workplan, "evidence": run_evidence}


def run(world: World, sample: Sample) -> dict[str, Any]:
    outcome: dict[str, Any] = {"path": sample.path, "family": sample.family, "name": sample.name[:80]}
    try:
        with transaction.atomic():
            outcome.update(RUNNERS[sample.path](world, sample))
    except Exception as error:
        outcome["unhandled"] = f"{type(error).__name__}: {error}"[:300]
        outcome["trace"] = traceback.format_exc()[-1500:]
    return outcome


def summarise(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    tabular = [o for o in outcomes if o["path"] != "evidence"]
    refused_tabular = [o for o in tabular if not o.get("accepted") and not o.get("unhandled")]
    return {
        "files": len(outcomes),
        "per_path": dict(Counter(o["path"] for o in outcomes)),
        "unhandled": [o for o in outcomes if o.get("unhandled")],
        "partial": [o for o in outcomes if o.get("partial")],
        "accepted": dict(Counter(o["path"] for o in outcomes if o.get("accepted"))),
        "tabular_refused": len(refused_tabular),
        "tabular_refused_with_report": sum(1 for o in refused_tabular if o.get("report")),
        "tabular_with_row_errors": sum(1 for o in tabular if o.get("row_errors")),
    }


@pytest.mark.parametrize("path", PATHS)
def test_malformed_uploads_are_refused_whole_with_a_reason(world: World, path: str) -> None:
    outcomes = [run(world, sample) for sample in chosen(path)]
    summary = summarise(outcomes)
    if FULL:
        target = Path(settings.BASE_DIR) / "var" / "assurance" / f"corpus-{path}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"summary": summary, "outcomes": outcomes}, indent=1, default=str))
    assert summary["unhandled"] == [], json.dumps(summary["unhandled"], indent=1)
    assert summary["partial"] == [], json.dumps(summary["partial"], indent=1)
    assert summary["tabular_refused_with_report"] == summary["tabular_refused"], json.dumps(outcomes, indent=1)
