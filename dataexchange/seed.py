"""Streams 2a-2f and their schema versions from ``dataexchange.schemas``: idempotent, called by load_seed_mou."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from dataexchange.models import SchemaVersion, Stream
from dataexchange.schemas import MEMBERSHIP, MEMBERSHIP_COLUMNS, STREAMS, StreamSpec, columns_json
from workplan.models import Agreement, Organization


@dataclass
class StreamSeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def streams_ensure(*, agreement: Agreement) -> StreamSeedReport:
    """Create or bring up to date one stream per annex activity 2a-2f; a second run changes nothing.

    The membership extract of BPJS (matched against 2e) is kept as a schema of stream 2e.
    Administrators may deactivate a stream; that flag is never touched here.
    """
    report = StreamSeedReport()
    units = {org.short_name: org for org in Organization.objects.all()}
    for spec in STREAMS:
        stream, changed = _stream(agreement, spec, units)
        new_schema = _schema(stream, spec.version, columns_json(spec.columns), spec)
        if spec.code == "2e":
            new_schema = _schema(stream, 1000 + spec.version, columns_json(MEMBERSHIP_COLUMNS), spec) or new_schema
        if changed == "created":
            report.created.append(spec.code)
        else:
            (report.updated if changed or new_schema else report.unchanged).append(spec.code)
    return report


def _stream(agreement: Agreement, spec: StreamSpec, units: dict[str, Organization]) -> tuple[Stream, bool | str]:
    values = {
        "title": spec.title,
        "description": spec.description,
        "receiver": units[spec.receiver],
        "cadence": spec.cadence,
        "personal_data": spec.personal_data,
        "purpose": spec.purpose,
        "lawful_basis": spec.lawful_basis,
    }
    stream = Stream.objects.filter(agreement=agreement, code=spec.code).first()
    created = stream is None
    if stream is None:
        stream = Stream.objects.create(agreement=agreement, code=spec.code, **values)
        changed: bool | str = "created"
    else:
        differs = {name: value for name, value in values.items() if getattr(stream, name) != value}
        for name, value in differs.items():
            setattr(stream, name, value)
        if differs:
            stream.save(update_fields=list(differs))
        changed = bool(differs)
    senders = {units[name].pk for name in spec.senders}
    if created or set(stream.senders.values_list("pk", flat=True)) != senders:
        stream.senders.set(senders)
        changed = changed or True
    return stream, changed


def _schema(stream: Stream, version: int, columns: list[dict[str, object]], spec: StreamSpec) -> bool:
    _schema, created = SchemaVersion.objects.get_or_create(
        stream=stream, version=version, defaults={"columns": columns, "valid_from": spec.valid_from}
    )
    return created


def membership_schema(stream: Stream) -> SchemaVersion:
    """BPJS's membership extract for stream 2e: version 1000 + n, so it never shadows the list's version."""
    return stream.schemas.filter(version__gte=1000).order_by("-version").first()  # type: ignore[return-value]


def list_schema(stream: Stream) -> SchemaVersion:
    return stream.schemas.filter(version__lt=1000).order_by("-version").first()  # type: ignore[return-value]


__all__ = ["MEMBERSHIP", "list_schema", "membership_schema", "streams_ensure"]
