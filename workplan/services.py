"""Work that spans the work-plan models: loading the MoU seed, demo accounts, the JSON export."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import ProtectedError

from workplan import plan_history
from workplan.annex_store import units_move
from workplan.models import (
    Activity,
    Agreement,
    FundingSource,
    LiaisonOfficer,
    Organization,
    Party,
    Program,
    Responsibility,
    ResponsibleUnit,
    Side,
)
from workplan.seed import ActivitySeed, DutySeed, MouSeed, OrganizationSeed, ProgramSeed, read_mou_seed

M = TypeVar("M", bound=models.Model)


class SeedError(Exception):
    """The database holds something the seed cannot bring back to the MoU without losing data."""


@dataclass
class SeedReport:
    """What a seed run did, one label per row it looked at."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(model: type[M], current: M | None, *, values: dict[str, Any], report: SeedReport, label: str) -> M:
    """Create the row, or bring ``current`` to ``values``, saving only the fields that differ."""
    if current is None:
        report.created.append(label)
        return model._default_manager.create(**values)
    changed = [name for name, value in values.items() if _differs(current, name, value)]
    if not changed:
        report.unchanged.append(label)
        return current
    for name in changed:
        setattr(current, name, values[name])
    current.save(update_fields=changed)
    report.updated.append(f"{label} ({', '.join(changed)})")
    return current


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):  # compare keys, without fetching the related row
        return getattr(obj, f"{name}_id") != value.pk
    return bool(getattr(obj, name) != value)


@dataclass
class _PlanRows:
    """The agreement's existing work-plan rows, read in three queries instead of one per row."""

    activities: dict[tuple[int, str], Activity]
    duties: dict[tuple[int, int], Responsibility]

    @classmethod
    def read(cls, agreement: Agreement) -> _PlanRows:
        activities = Activity.objects.filter(program__agreement=agreement)
        duties = Responsibility.objects.filter(activity__program__agreement=agreement).prefetch_related("units")
        return cls(
            activities={(activity.program_id, activity.letter): activity for activity in activities},
            duties={(duty.activity_id, duty.side): duty for duty in duties},
        )


@transaction.atomic
def seed_mou_load(*, seed: MouSeed | None = None) -> SeedReport:
    """Load the Nota Kesepakatan and its work plan; running it again changes nothing.

    Rows are matched by natural key (agreement number, party side, unit short name, program
    number, activity letter, party side, liaison side and start date) and brought to the
    transcription. Aliases added by administrators are kept; the agreement's status and end date
    (extensions and termination move them) and the units' email and active flag are not touched
    once the rows exist, and a work plan changed by an addendum is left as the addendum made it.
    """
    seed = seed or read_mou_seed()
    report = SeedReport()
    organizations = _load_organizations(seed, report)
    _load_funding_sources(seed, report)
    agreement = _load_agreement(seed, report)
    _load_parties(agreement, seed, report)
    _load_liaisons(agreement, seed, organizations, report)
    amended = plan_history.latest_version(agreement)
    if amended:
        # An addendum (Pasal 15) changed the plan: it is the plan now, not the transcription.
        report.unchanged.append(f"Rencana kerja: diubah dengan adendum (versi {amended}), tidak disentuh")
        return report
    rows = _PlanRows.read(agreement)
    for program in seed["programs"]:
        _load_program(agreement, program, organizations, rows, report)
    return report


def _load_organizations(seed: MouSeed, report: SeedReport) -> dict[str, Organization]:
    existing = {org.short_name.casefold(): org for org in Organization.objects.all()}
    return {
        org["short_name"]: _load_organization(org, existing.get(org["short_name"].casefold()), report)
        for org in seed["organizations"]
    }


def _load_organization(org: OrganizationSeed, current: Organization | None, report: SeedReport) -> Organization:
    aliases = list(current.aliases) if current else []
    aliases += [alias for alias in org["aliases"] if alias not in aliases]
    values: dict[str, Any] = {
        "short_name": org["short_name"],
        "name": org["name"],
        "institution": org["institution"],
        "kind": org["kind"],
        "aliases": aliases,
    }
    if current is None:
        values["email"] = org["email"]
    return _sync(Organization, current, values=values, report=report, label=f"Unit kerja {org['short_name']}")


def _load_funding_sources(seed: MouSeed, report: SeedReport) -> None:
    existing = {source.name: source for source in FundingSource.objects.all()}
    names = dict.fromkeys(
        name for program in seed["programs"] for activity in program["activities"] for name in activity["funding"]
    )
    for name in names:
        _sync(FundingSource, existing.get(name), values={"name": name}, report=report, label=f"Sumber dana {name}")


def _load_agreement(seed: MouSeed, report: SeedReport) -> Agreement:
    data = seed["agreement"]
    starts_on = datetime.date.fromisoformat(data["starts_on"])
    values: dict[str, Any] = {
        "number": data["number"],
        "second_number": data["second_number"],
        "title": data["title"],
        "signed_on": datetime.date.fromisoformat(data["signed_on"]),
        "signed_place": data["signed_place"],
        "term_years": data["term_years"],
        "starts_on": starts_on,
        "ends_on": Agreement.last_day_of_term(starts_on, data["term_years"]),
        "object_text": data["object_text"],
        "scope": list(data["scope"]),
        "legal_basis": list(data["legal_basis"]),
    }
    current = Agreement.objects.filter(number=data["number"]).first()
    if current is not None:
        values["ends_on"] = current.ends_on  # an extension or a termination (clauses) moved it since
    return _sync(Agreement, current, values=values, report=report, label=f"Nota Kesepakatan {data['number']}")


def _load_parties(agreement: Agreement, seed: MouSeed, report: SeedReport) -> None:
    existing = {party.side: party for party in agreement.parties.all()}
    for party in seed["parties"]:
        values: dict[str, Any] = {"agreement": agreement, **party}
        label = f"Pihak {Side(party['side']).label}"
        _sync(Party, existing.get(party["side"]), values=values, report=report, label=label)


def _load_liaisons(
    agreement: Agreement, seed: MouSeed, organizations: dict[str, Organization], report: SeedReport
) -> None:
    existing = {liaison.side: liaison for liaison in agreement.liaisons.filter(valid_from=agreement.signed_on)}
    for liaison in seed["liaison_officers"]:
        values: dict[str, Any] = {
            "agreement": agreement,
            "side": liaison["side"],
            "valid_from": agreement.signed_on,
            "position": liaison["position"],
            "organization": organizations[liaison["organization"]],
            "address": liaison["address"],
            "phones": list(liaison["phones"]),
            "email": liaison["email"],
        }
        label = f"Pejabat penghubung {Side(liaison['side']).label}"
        _sync(LiaisonOfficer, existing.get(liaison["side"]), values=values, report=report, label=label)


def _load_program(
    agreement: Agreement,
    data: ProgramSeed,
    organizations: dict[str, Organization],
    rows: _PlanRows,
    report: SeedReport,
) -> None:
    values: dict[str, Any] = {"agreement": agreement, "number": data["number"], "title": data["title"]}
    current = agreement.programs.filter(number=data["number"]).first()
    program = _sync(Program, current, values=values, report=report, label=f"Program {data['number']}")
    for activity in data["activities"]:
        _load_activity(program, activity, organizations, rows, report)


def _load_activity(
    program: Program,
    data: ActivitySeed,
    organizations: dict[str, Organization],
    rows: _PlanRows,
    report: SeedReport,
) -> None:
    values: dict[str, Any] = {
        "program": program,
        "letter": data["letter"],
        "title": data["title"],
        "location": data["location"],
        "funding": list(data["funding"]),
        "years": list(data["years"]),
        "output": data["output"],
        "outcome": data["outcome"],
    }
    current = rows.activities.get((program.pk, data["letter"]))
    label = f"Kegiatan {program.number}{data['letter']}"
    activity = _sync(Activity, current, values=values, report=report, label=label)
    for side, duty in ((Side.FIRST, data["party1"]), (Side.SECOND, data["party2"])):
        _load_duty(activity, f"{label} {side.label}", side, duty, organizations, rows, report)


def _load_duty(
    activity: Activity,
    label: str,
    side: Side,
    duty: DutySeed,
    organizations: dict[str, Organization],
    rows: _PlanRows,
    report: SeedReport,
) -> None:
    values: dict[str, Any] = {"activity": activity, "side": side.value, "text": duty["text"]}
    current = rows.duties.get((activity.pk, side.value))
    responsibility = _sync(Responsibility, current, values=values, report=report, label=f"Tugas {label}")
    units = list(current.units.all()) if current else []
    wanted = [organizations[short_name] for short_name in duty["units"]]
    _load_units(responsibility, units, wanted, report, label=f"Penanggung jawab {label}")


def _load_units(
    responsibility: Responsibility,
    units: list[ResponsibleUnit],
    wanted: list[Organization],
    report: SeedReport,
    *,
    label: str,
) -> None:
    """Bring the units to the annex's order in place: progress reports point at these rows."""
    current = {unit.organization_id: unit for unit in units}
    target = {org.pk: position for position, org in enumerate(wanted, start=1)}
    if {org_id: unit.position for org_id, unit in current.items()} == target:
        report.unchanged.append(label)
        return
    stale = [unit.pk for org_id, unit in current.items() if org_id not in target]
    try:
        ResponsibleUnit.objects.filter(pk__in=stale).delete()
    except ProtectedError as error:
        raise SeedError(f"{label}: unit yang dihapus dari rencana kerja masih memiliki laporan.") from error
    _move_units([unit for org_id, unit in current.items() if org_id in target], target)
    ResponsibleUnit.objects.bulk_create(
        ResponsibleUnit(responsibility=responsibility, organization_id=org_id, position=position)
        for org_id, position in target.items()
        if org_id not in current
    )
    (report.updated if current else report.created).append(label)


def _move_units(units: list[ResponsibleUnit], target: dict[int, int]) -> None:
    """Give kept units (``target`` by organization) their new positions, through the annex import's helper."""
    moved = [unit for unit in units if unit.position != target[unit.organization_id]]
    units_move(moved, {unit.pk: target[unit.organization_id] for unit in moved})


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organization: str | None
    full_name: str
    superuser: bool = False


# One account per role (accounts.models.Role), named after the unit it works in.
DEMO_ACCOUNTS = (
    DemoAccount("sekretariat", "sekretariat", "Disnakertransgi", "Sekretariat Disnakertransgi"),
    DemoAccount("staf.dppkukm", "staf_dinas", "DPPKUKM", "Staf DPPKUKM"),
    DemoAccount("staf.dinsos", "staf_dinas", "Dinsos", "Staf Dinas Sosial"),
    DemoAccount("petugas.bpjs", "petugas_bpjs", "BPJS Kanwil DKI", "Petugas BPJS Kanwil DKI"),
    DemoAccount("tindaklanjut.dpmptsp", "instansi_tindak_lanjut", "DPMPTSP", "Staf DPMPTSP"),
    DemoAccount("pimpinan", "pimpinan", None, "Pimpinan"),
    DemoAccount("admin", "sekretariat", "Disnakertransgi", "Administrator", superuser=True),
)


@dataclass(frozen=True)
class DemoAccountResult:
    account: DemoAccount
    created: bool
    password: str | None  # set only when it was chosen or changed in this run


@transaction.atomic
def demo_accounts_ensure(*, password: str | None = None) -> list[DemoAccountResult]:
    """Create the demo accounts that are missing, with ``password`` or a random one each.

    Existing accounts keep their password unless ``password`` is given and differs; nothing
    else about them changes. Needs the seeded units (``seed_mou_load``).
    """
    user_model = get_user_model()
    roles = {value for value, _label in user_model._meta.get_field("role").choices or ()}
    missing_roles = roles - {account.role for account in DEMO_ACCOUNTS}
    if missing_roles:
        raise ValueError(f"Tidak ada akun demo untuk peran: {', '.join(sorted(missing_roles))}")
    return [_demo_account_ensure(user_model, account, password) for account in DEMO_ACCOUNTS]


def _demo_account_ensure(user_model: Any, account: DemoAccount, password: str | None) -> DemoAccountResult:
    user = user_model.objects.filter(username=account.username).first()
    if user is not None:
        if password is None or user.check_password(password):
            return DemoAccountResult(account, created=False, password=None)
        user.set_password(password)
        user.save(update_fields=["password"])
        return DemoAccountResult(account, created=False, password=password)
    chosen = password or secrets.token_urlsafe(9)
    first_name, _space, last_name = account.full_name.partition(" ")
    user_model.objects.create_user(
        username=account.username,
        password=chosen,
        email=f"{account.username}@demo.invalid",
        first_name=first_name,
        last_name=last_name,
        role=account.role,
        organization=Organization.objects.get(short_name__iexact=account.organization)
        if account.organization
        else None,
        is_staff=account.superuser,
        is_superuser=account.superuser,
    )
    return DemoAccountResult(account, created=True, password=chosen)


class ActivityRow(TypedDict):
    """One activity in the JSON export: a data-portability contract, see docs/workplan.md."""

    code: str
    program: int
    program_title: str
    activity: str
    location: str
    funding: list[str]
    years: list[int]
    party1_units: list[str]
    party1_activity: str
    party2_units: list[str]
    party2_activity: str
    output: str
    outcome: str


def workplan_export_rows(*, agreement: Agreement) -> list[ActivityRow]:
    """The work plan as plain data, one row per activity in the annex's order."""
    activities = Activity.objects.for_agreement(agreement).with_plan().order_by("program__number", "letter")
    return [_activity_row(activity) for activity in activities]


def _activity_row(activity: Activity) -> ActivityRow:
    first, second = activity.first_party, activity.second_party
    return {
        "code": activity.code,
        "program": activity.program.number,
        "program_title": activity.program.title,
        "activity": activity.title,
        "location": activity.location,
        "funding": list(activity.funding),
        "years": sorted(activity.years),
        "party1_units": _unit_names(first.organizations if first else []),
        "party1_activity": first.text if first else "",
        "party2_units": _unit_names(second.organizations if second else []),
        "party2_activity": second.text if second else "",
        "output": activity.output,
        "outcome": activity.outcome,
    }


def _unit_names(organizations: Iterable[Organization]) -> list[str]:
    return [organization.name for organization in organizations]
