"""Security scans of issue 8, each reduced to one number (docs/assurance.md).

    python -m assurance.scans

* ``manage.py check --deploy --fail-level WARNING`` with production-like settings: exit status;
* bandit on the project's code, high severity findings;
* pip-audit on requirements.txt: known vulnerabilities, or "not reachable" when the advisory
  service cannot be reached (say so; never count it as 0).

Exits 1 when a number is not 0 (an unreachable advisory service alone does not fail the run).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CODE = ["accounts", "clauses", "compliance", "core", "dataexchange", "evaluation", "mou_tracker", "notifications",
        "registry", "workplan", "assurance", "scripts"]  # fmt: skip


def check_deploy() -> int:
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_HTTPS": "true", "DJANGO_ALLOWED_HOSTS": "mou.example.go.id",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}  # fmt: skip
    run = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=BASE,
                         env=env, capture_output=True, text=True)  # fmt: skip
    print(run.stdout.strip() or run.stderr.strip()[-2000:])
    return run.returncode


def bandit_high() -> int:
    run = subprocess.run(  # noqa: S603 - fixed argument lists
        [str(BIN / "bandit"), "-q", "-r", *CODE, "-x", "*/migrations/*", "-f", "json"], cwd=BASE,
                         capture_output=True, text=True)  # fmt: skip
    results = json.loads(run.stdout or "{}").get("results", [])
    high = [r for r in results if r["issue_severity"] == "HIGH"]
    for finding in high:
        print(
            f"bandit HIGH {finding['filename']}:{finding['line_number']} {finding['test_id']} {finding['issue_text']}"
        )
    counts = {level: sum(1 for r in results if r["issue_severity"] == level) for level in ("HIGH", "MEDIUM", "LOW")}
    print(f"bandit: {counts}")
    return len(high)


def pip_audit() -> int | None:
    run = subprocess.run(  # noqa: S603 - fixed argument lists
        [str(BIN / "pip-audit"), "-r", "requirements.txt", "--progress-spinner", "off", "-f", "json"],
                         cwd=BASE, capture_output=True, text=True, timeout=600)  # fmt: skip
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit: advisory service not reachable or audit failed: {run.stderr.strip()[-600:]}")
        return None
    vulnerable = [d for d in report.get("dependencies", []) if d.get("vulns")]
    for dependency in vulnerable:
        print(f"pip-audit: {dependency['name']} {dependency['version']}: {[v['id'] for v in dependency['vulns']]}")
    print(f"pip-audit: {len(vulnerable)} vulnerable packages of {len(report.get('dependencies', []))}")
    return len(vulnerable)


def main() -> int:
    deploy, high, audit = check_deploy(), bandit_high(), pip_audit()
    print(json.dumps({"check_deploy_exit": deploy, "bandit_high": high, "pip_audit_vulnerable": audit}))
    return int(bool(deploy or high or audit))


if __name__ == "__main__":
    sys.exit(main())
