"""Reference rows that migrations seed, restored for tests.

A transactional test (the browser journeys) flushes every table, migration-seeded rows
included, so tests that need the regions, the step SLAs or the KPJ wage limits make sure they are there.
"""

import importlib

from compliance.models import SanctionStepSLA
from dataexchange.models import KpjWageCeiling
from registry.models import Region

_regions = importlib.import_module("registry.migrations.0002_seed_dki_regions")
_slas = importlib.import_module("compliance.migrations.0002_seed_step_slas")
_umps = importlib.import_module("dataexchange.migrations.0010_kpj_wage_ceiling")


def ensure_reference_rows() -> None:
    if Region.objects.count() != len(_regions.REGIONS):
        for kode_bps, kode_kemendagri, name, kind in _regions.REGIONS:
            Region.objects.update_or_create(
                kode_bps=kode_bps, defaults={"kode_kemendagri": kode_kemendagri, "name": name, "kind": kind}
            )
    if not SanctionStepSLA.objects.exists():
        SanctionStepSLA.objects.bulk_create(
            SanctionStepSLA(status=status, working_days=days, basis=_slas.BASIS) for status, days in _slas.SLAS
        )
    if not KpjWageCeiling.objects.exists():
        KpjWageCeiling.objects.bulk_create(KpjWageCeiling(year=y, ump=u, decree=d) for y, u, d in _umps.UMPS)
