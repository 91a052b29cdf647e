"""docker-compose.yml, the Dockerfile and `make test` agree with devstack and `.env.example`.

No Docker engine runs in CI, so these check what can be checked without one: the services
the deployment guide promises, their commands, health checks and variables.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
DEVSTACK = BASE_DIR / "scripts" / "devstack.py"
APP_SERVICES = {"migrate", "web", "worker", "beat"}
DEVSTACK_COMMANDS = {"run", "test", "manage", "prepare", "bench", "web", "worker", "beat", "healthcheck"}


def _compose() -> dict[str, Any]:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def _documented() -> set[str]:
    return set(re.findall(r"^([A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.MULTILINE))


def test_compose_has_the_services_with_health_checks_and_named_volumes() -> None:
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"postgres", "redis"} | APP_SERVICES
    assert int(services["postgres"]["image"].split(":")[1]) >= 16
    for name in set(services) - {"migrate"}:
        assert "healthcheck" in services[name], name
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media"}


def test_app_services_run_devstack_commands_after_migrate() -> None:
    services = _compose()["services"]
    for name in APP_SERVICES:
        assert services[name]["command"][0] in DEVSTACK_COMMANDS, name
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["beat"]["deploy"]["replicas"] == 1


def test_every_variable_compose_uses_is_documented() -> None:
    text = (BASE_DIR / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    services = _compose()["services"]
    passed = {key for name in APP_SERVICES for key in services[name].get("environment", {})}
    assert (interpolated | passed) - _documented() == set()


def test_dockerfile_is_python_311_slim_with_weasyprint_libraries_and_devstack_entrypoint() -> None:
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "libfontconfig1"):
        assert library in dockerfile
    assert 'ENTRYPOINT ["python", "scripts/devstack.py"]' in dockerfile


def test_make_test_fails_when_pytest_collects_nothing() -> None:
    """Exit code 5 must not pass CI: devstack hands it on and says why."""
    env = {**os.environ, "PYTHONPATH": str(BASE_DIR)}
    assert env.get("DATABASE_URL") and env.get("REDIS_URL"), "run through `make test`, which sets both"
    args = ["tests/ops/test_env_example.py", "-k", "no_test_has_this_name", "-p", "no:cacheprovider"]
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(DEVSTACK), "test", "--", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 5, result.stdout + result.stderr
    assert "collected no tests" in result.stdout
