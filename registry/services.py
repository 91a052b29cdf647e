"""Work on the employer registry that spans models: merging a duplicate into the registered employer.

Every app that links to an employer (sanction cases, inspections, exchange rows, decisions ...)
is repointed generically from the model's reverse relations, so a new app's link is merged
too without a change here. Rules of the linking app (one open case per employer and category)
are for that app to settle before it asks for the merge.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext as _

from registry.models import Employer, EmployerAlias

IDENTIFIERS = ("npp", "nib", "npwp")


class MergeRefused(Exception):
    """The two records cannot be one employer (their identifiers differ); the message says why."""


def merge_conflicts(*, duplicate: Employer, into: Employer) -> list[str]:
    """Identifiers both records have and that differ, in Indonesian ("NPP: A / B")."""
    return [
        _("%(key)s berbeda: %(a)s / %(b)s")
        % {"key": key.upper(), "a": getattr(duplicate, key), "b": getattr(into, key)}
        for key in IDENTIFIERS
        if getattr(duplicate, key) and getattr(into, key) and getattr(duplicate, key) != getattr(into, key)
    ]


def _links(model: type[Employer]) -> list[ForeignObjectRel]:
    fields = model._meta.get_fields(include_hidden=True)
    return [f for f in fields if isinstance(f, ForeignObjectRel) and (f.one_to_many or f.one_to_one)]


def _move_aliases(duplicate: Employer, into: Employer, source: str) -> None:
    have = set(into.aliases.values_list("name_normalized", flat=True)) | {into.name_normalized}
    duplicate.aliases.filter(name_normalized__in=have).delete()
    duplicate.aliases.update(employer=into)
    if duplicate.name_normalized not in have:
        EmployerAlias.objects.create(
            employer=into, name=duplicate.name[:300], name_normalized=duplicate.name_normalized, source=source[:200]
        )


@transaction.atomic
def employer_merge(*, duplicate: Employer, into: Employer, source: str = "") -> Employer:
    """Fold ``duplicate`` into ``into``: every link moves, its name stays as an alias, it is deleted.

    ``into`` keeps what it has and gains the identifiers and address it lacked. Refused
    (``MergeRefused``) when an identifier differs or both are the same record.
    """
    if duplicate.pk == into.pk:
        raise MergeRefused(_("Pemberi kerja tidak dapat digabung dengan dirinya sendiri."))
    if conflicts := merge_conflicts(duplicate=duplicate, into=into):
        raise MergeRefused(_("Tidak dapat digabung: %(why)s.") % {"why": "; ".join(conflicts)})
    Employer.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk]).exists()
    _move_aliases(duplicate, into, source)
    for link in _links(Employer):
        if link.related_model is not EmployerAlias:
            link.related_model._base_manager.filter(**{link.field.name: duplicate}).update(**{link.field.name: into})
    gained = {key: getattr(duplicate, key) for key in (*IDENTIFIERS, "address") if not getattr(into, key)}
    gained = {key: value for key, value in gained.items() if value}
    if into.region_id is None and duplicate.region_id is not None:
        gained["region_id"] = duplicate.region_id
    duplicate.delete()
    for key, value in gained.items():
        setattr(into, key, value)
    into.save()
    return into
