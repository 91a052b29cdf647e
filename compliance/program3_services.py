"""Recording the other Program 3 activities (3a, 3b, 3d, 3e, 3f) and attaching them as evidence.

``program3_record_create`` takes what a page form or the API parsed and stores the record (the
employer found in the registry, or added when it is new). ``record_attach_to_report`` renders the
record sheet as a PDF and hands it to the work plan's own evidence service for the quarterly
report of the matching activity (3a → activity 3a, ...) and the triwulan of the record's date.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from compliance.letters import _letterhead
from compliance.program3 import (
    KINDS,
    RECORD_FIELDS,
    Program3Record,
    ReportAttachment,
    Training,
    TrainingParticipant,
)
from core.formatting import tanggal
from core.pdf import render_pdf
from registry.models import Employer, Region
from workplan.access import units_reportable_by
from workplan.models import Activity, EvidenceFile, ResponsibleUnit, quarter_of
from workplan.progress import evidence_attach, report_start


class RecordRefused(Exception):
    """A record or attachment that cannot be made; ``str(error)`` says why, in Indonesian."""


def employer_find_or_add(*, npp: str, name: str, region: Region | None) -> Employer:
    """The registry's employer for these details (NPP first, then exact name in the city), or a new one."""
    found = Employer.objects.identify(npp=npp, name=name, region=region)
    if found is not None:
        return found.employer
    if not name.strip():
        raise RecordRefused(_("NPP %(npp)s tidak terdaftar; isi juga nama pemberi kerja dan kotanya.") % {"npp": npp})
    if region is None:
        raise RecordRefused(_("Pemberi kerja belum terdaftar; pilih kotanya agar dapat dicatat."))
    return Employer.objects.create(npp=npp, name=" ".join(name.split()), region=region)


@transaction.atomic
def program3_record_create(*, kind: str, by: User, values: dict[str, Any]) -> Program3Record:
    """Store one record of ``kind`` (a key of ``KINDS``) from parsed ``values``.

    ``values`` holds the model's fields; for records with an employer also ``employer_npp``,
    ``employer_name`` and ``employer_region``; for trainings ``participants`` as a list of dicts
    (``name``, ``position``, ``organization``, ``npp``).
    """
    model = KINDS[kind]
    values = dict(values)
    participants = values.pop("participants", [])
    employer_keys = {key: values.pop(key, None) for key in ("employer_npp", "employer_name", "employer_region")}
    if "employer" in {field.name for field in model._meta.get_fields()}:
        values["employer"] = employer_find_or_add(
            npp=employer_keys["employer_npp"] or "",
            name=employer_keys["employer_name"] or "",
            region=employer_keys["employer_region"],
        )
    record = model(recorded_by=by, **values)
    record.save()
    if isinstance(record, Training):
        _add_participants(record, participants)
    return record


def _add_participants(training: Training, participants: list[dict[str, str]]) -> None:
    npps = {p["npp"] for p in participants if p.get("npp")}
    employers = {e.npp: e for e in Employer.objects.filter(npp__in=npps)}
    TrainingParticipant.objects.bulk_create(
        TrainingParticipant(
            training=training,
            name=p["name"],
            position=p.get("position", ""),
            organization=p.get("organization", "") or getattr(employers.get(p.get("npp", "")), "name", ""),
            employer=employers.get(p.get("npp", "")),
        )
        for p in participants
    )


def record_sheet_pdf(*, record: Program3Record) -> bytes:
    """The record sheet (lembar kegiatan) as an A4 PDF: the annex row, the facts, who recorded it."""
    context = {
        "record": record,
        "rows": record.sheet_rows(),
        "label": record.LABEL,
        "letterhead": _letterhead(),
        "activity": _activity(record),
        "recorded_text": tanggal(timezone.localdate(record.created_at)),
    }
    return render_pdf(render_to_string("compliance/program3/sheet.html", context))


def _activity(record: Program3Record) -> Activity | None:
    return (
        Activity.objects.filter(program__number=3, letter=record.letter)
        .select_related("program")
        .order_by("-program__agreement__signed_on")
        .first()
    )


def report_unit_for(*, record: Program3Record, by: User) -> ResponsibleUnit | None:
    """The unit of the matching activity whose reports ``by`` writes (BPJS or Disnakertransgi)."""
    activity = _activity(record)
    if activity is None:
        return None
    units = units_reportable_by(by).filter(responsibility__activity=activity).select_related("organization")
    return units.order_by("responsibility__side", "position").first()


def attachments_of(record: Program3Record) -> list[ReportAttachment]:
    field = RECORD_FIELDS[type(record)]
    return list(
        ReportAttachment.objects.filter(**{field: record}).select_related(
            "evidence__report__unit__organization", "attached_by"
        )
    )


@transaction.atomic
def record_attach_to_report(*, record: Program3Record, by: User) -> EvidenceFile:
    """Attach the record sheet to the quarterly report of its activity and triwulan, once per report.

    The report is opened as a draft when there is none yet; a submitted or approved report is
    locked and refuses (the work plan's rule). Only the reporters of that activity's unit may attach.
    """
    from workplan.models import TransitionError
    from workplan.progress import EvidenceRejected

    unit = report_unit_for(record=record, by=by)
    if unit is None:
        raise RecordRefused(
            _("Anda tidak melapor untuk kegiatan %(code)s, jadi tidak dapat melampirkan ke laporannya.")
            % {"code": record.activity_code}
        )
    day: datetime.date = record.day
    field = RECORD_FIELDS[type(record)]
    try:
        report = report_start(unit=unit, year=day.year, quarter=quarter_of(day), by=by)
        if ReportAttachment.objects.filter(**{field: record}, evidence__report=report).exists():
            raise RecordRefused(_("Catatan ini sudah dilampirkan pada laporan %(report)s.") % {"report": report})
        name = f"lembar-{record.activity_code}-{record.pk}.pdf"
        upload = SimpleUploadedFile(name, record_sheet_pdf(record=record), content_type="application/pdf")
        evidence = evidence_attach(report=report, upload=upload, by=by)
    except (TransitionError, EvidenceRejected) as refused:
        raise RecordRefused(str(refused)) from refused
    ReportAttachment.objects.create(evidence=evidence, attached_by=by, **{field: record})
    return evidence
