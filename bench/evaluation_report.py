"""Benchmark: the Pasal 11 report on a full 5-year dataset with 10,000 sanction cases in the annex.

    .venv/bin/python -m bench evaluation_report [--cases 10000] [--workers N] [--keep]

It creates a scratch database of its own (``test_<DATABASE_URL's name>``, dropped afterwards
unless ``--keep``), loads the MoU, writes 20 quarters (2025-2029) of approved e-Monev reports
for every responsible unit with yearly statuses, and ``--cases`` open sanction cases. Then, in
two fresh processes so that each peak memory is its own, it generates the 2029 report:

* ``optimized``: the application's path (``evaluation.rendering.report_pdf``): the annex as
  listing pages, the chapters in this process, the annex pages in parts rendered by ``--workers``
  subprocesses and this process, merged, page numbers stamped;
* ``naive``: the same content as one HTML document whose annex is one long table, one render;
* ``plain_table`` (unless ``--no-plain-table``): the issue's orientation figure, a plain
  10,000-row table, which shows how loaded the shared machine was.

Both reports build the snapshot from the database first (timed separately). Figures are printed as
JSON: seconds, CPU seconds of the process tree, pages, peak RSS of the process, of its largest
child (ru_maxrss) and of the tree at most, and the 1-minute load average at the start and the end.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mou_tracker.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from pypdf import PdfReader  # noqa: E402

# Without collectstatic the manifest storage cannot name {% static %} files; the plain one can.
if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

YEARS = range(2025, 2030)
REPORT_YEAR = 2029


def build_dataset(cases: int) -> dict[str, Any]:
    """The MoU, 20 quarters of approved reports per unit, yearly statuses and ``cases`` open cases."""
    from accounts.models import Role, User
    from compliance.models import SanctionCase
    from compliance.states import Category, Status
    from registry.models import Employer, Region
    from workplan.models import ProgressReport, ResponsibleUnit, YearlyStatus
    from workplan.services import seed_mou_load

    seed_mou_load()
    user = User.objects.create_user("bench.sekretariat", role=Role.SECRETARIAT)
    approved_at = datetime.datetime(2030, 1, 5, tzinfo=datetime.UTC)
    units = list(ResponsibleUnit.objects.select_related("responsibility__activity"))
    reports, statuses = [], []
    for unit in units:
        for year in YEARS:
            if year not in unit.responsibility.activity.years:
                continue
            for quarter in range(1, 5):
                reports.append(
                    ProgressReport(
                        unit=unit, year=year, quarter=quarter, work_status="selesai" if quarter == 4 else "berjalan",
                        realisation=f"Realisasi triwulan {quarter} tahun {year}: kegiatan dilaksanakan sesuai rencana.",
                        achievement=Decimal(25 * quarter - (unit.pk % 7)), obstacles="Keterbatasan anggaran dan jadwal."
                        if quarter == 2 else "", follow_up="Koordinasi ulang dengan BPJS." if quarter == 2 else "",
                        state="disetujui", created_by=user, approved_by=user, approved_at=approved_at,
                    )
                )  # fmt: skip
            statuses.append(YearlyStatus(unit=unit, year=year, status="selesai", set_by=user))
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    YearlyStatus.objects.bulk_create(statuses, batch_size=2000)
    regions = list(Region.objects.all())
    employers = Employer.objects.bulk_create(
        [
            Employer(
                name=f"PT Usaha Bersama Sejahtera {i:05d}", name_normalized=f"usaha bersama sejahtera {i:05d}",
                npp=f"BN{i:06d}", address="Jalan Raya No. 1", region=regions[i % len(regions)],
            )
            for i in range(cases)
        ],
        batch_size=2000,
    )  # fmt: skip
    open_statuses = [Status.IDENTIFIED, Status.GUIDANCE, Status.WARNING_1, Status.WARNING_2, Status.FINE]
    SanctionCase.objects.bulk_create(
        [
            SanctionCase(
                employer=employer, category=Category.PWBD, status=open_statuses[i % len(open_statuses)],
                opened_on=datetime.date(2029, 1 + i % 12, 1 + i % 28),
            )
            for i, employer in enumerate(employers)
        ],
        batch_size=2000,
    )  # fmt: skip
    return {"progress_reports": len(reports), "yearly_statuses": len(statuses), "cases": cases, "units": len(units)}


def measure(mode: str, workers: int) -> dict[str, Any]:
    """One generation of the 2029 report in this process; prints nothing but the figures."""
    from core.pdf import render_pdf
    from evaluation import rendering
    from evaluation.models import EvaluationReport
    from evaluation.services import report_context, report_html
    from evaluation.snapshot import snapshot_build
    from workplan.models import Agreement

    agreement = Agreement.objects.get()
    started = time.perf_counter()
    report = EvaluationReport(agreement=agreement, year=REPORT_YEAR, version=1)
    report.snapshot = snapshot_build(agreement=agreement, year=REPORT_YEAR)
    snapshot_seconds = time.perf_counter() - started
    render_started = time.perf_counter()
    phases: dict[str, float] = {}
    if mode == "optimized":
        data = rendering.report_pdf(report_context(report), workers=workers, timings=phases)
    else:
        data = render_pdf(report_html(report))
    render_seconds = time.perf_counter() - render_started
    return {
        "mode": mode,
        "annex_rows": len(report.snapshot["compliance"]["cases"]),
        "pages": len(PdfReader(io.BytesIO(data)).pages),
        "bytes": len(data),
        "snapshot_seconds": round(snapshot_seconds, 2),
        "render_seconds": round(render_seconds, 2),
        "render_phases": phases,
        "total_seconds": round(time.perf_counter() - started, 2),
        **_usage(workers if mode == "optimized" else 0),
    }


def _usage(workers: int) -> dict[str, Any]:
    """CPU seconds of this process and its finished children; peak memory of the tree, at most.

    Every child is a PDF worker, alive at the same time: the tree's peak is at most this process's
    peak plus one largest child per worker."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    peak, child_peak = own.ru_maxrss // 1024, children.ru_maxrss // 1024
    return {
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": peak,
        "largest_child_peak_rss_mb": child_peak,
        "tree_peak_rss_mb_at_most": peak + workers * child_peak,
    }


def plain_table(rows: int = 10_000) -> dict[str, Any]:
    """The issue's orientation figure (about 46 s, 1.2 GB on 2 CPUs): a plain table, no project CSS.

    It tells how loaded the machine was during the run."""
    from weasyprint import HTML

    cells = "".join(
        f"<tr><td>{i}</td><td>PT Usaha Bersama Sejahtera {i:05d}</td><td>BN{i:06d}</td></tr>" for i in range(rows)
    )
    started = time.perf_counter()
    data = HTML(string=f"<table><tbody>{cells}</tbody></table>").write_pdf()
    return {
        "mode": "plain_table",
        "rows": rows,
        "pages": len(PdfReader(io.BytesIO(data)).pages),
        "render_seconds": round(time.perf_counter() - started, 2),
        **_usage(0),
    }


def run_child(mode: str, database: str, workers: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.evaluation_report", "--measure", mode, "--database", database]
    done = subprocess.run([*command, "--workers", str(workers)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    parser.add_argument("--no-plain-table", action="store_true", help="skip the orientation figure")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--measure", choices=["optimized", "naive", "plain_table"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        connection.settings_dict["NAME"] = args.database
        figures = plain_table() if args.measure == "plain_table" else measure(args.measure, args.workers)
        print(json.dumps(figures))
        return 0
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    original = connection.settings_dict["NAME"]
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        dataset = build_dataset(args.cases)
        dataset["seconds"] = round(time.perf_counter() - started, 2)
        connection.close()
        optimized = run_child("optimized", database, args.workers)
        load_before = round(os.getloadavg()[0], 2)
        naive = run_child("naive", database, args.workers)
        speedup = round(naive["render_seconds"] / optimized["render_seconds"], 2)
        figures = {"cpus": os.cpu_count(), "workers": args.workers, "load_average_1m_start": load_before,
                   "dataset": dataset, "optimized": optimized, "naive": naive, "render_speedup": speedup}  # fmt: skip
        if not args.no_plain_table:
            figures["plain_table"] = run_child("plain_table", database, 0)
        figures["load_average_1m_end"] = round(os.getloadavg()[0], 2)
        print(json.dumps(figures, indent=1))
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(original, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
