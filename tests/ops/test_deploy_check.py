"""`manage.py check --deploy` passes with production settings, as CI requires.

Run here too so that whoever adds a warning (an insecure setting, an API schema name clash
reported by drf-spectacular) sees it in `make test`, not only when CI refuses the change.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


# Set by the browser-test modules for Playwright; a deployment never has it.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env() -> dict[str, str]:
    return {
        **{name: value for name, value in os.environ.items() if name not in TEST_ONLY},
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "mou.example.go.id",
    }


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_reports_no_warning_with_production_settings() -> None:
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_with_the_development_secret_key() -> None:
    """The check above can fail: the development defaults are not deployable."""
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
