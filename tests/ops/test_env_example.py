"""`.env.example` documents every environment variable the settings and devstack read."""

from __future__ import annotations

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_READ = re.compile(r"\benv(?:_bool|_int|_list)?\(\s*\"([A-Z0-9_]+)\"")
DEVSTACK_READ = re.compile(r"(?:env|environ)\.get\(\s*\"([A-Z0-9_]+)\"")
DOCUMENTED = re.compile(r"^([A-Z0-9_]+)=", re.MULTILINE)


def _read(path: str, pattern: re.Pattern[str]) -> set[str]:
    return set(pattern.findall((BASE_DIR / path).read_text()))


def test_every_variable_settings_reads_is_in_env_example() -> None:
    documented = _read(".env.example", DOCUMENTED)
    assert _read("mou_tracker/settings.py", SETTINGS_READ) - documented == set()


def test_every_variable_devstack_reads_is_in_env_example() -> None:
    documented = _read(".env.example", DOCUMENTED)
    read = _read("scripts/devstack.py", DEVSTACK_READ) | _read("scripts/embedded.py", DEVSTACK_READ)
    assert read - documented - {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"} == set()


def test_env_example_documents_nothing_that_is_never_read() -> None:
    read = _read("mou_tracker/settings.py", SETTINGS_READ) | _read("scripts/devstack.py", DEVSTACK_READ)
    # Read by gunicorn itself or by docker-compose.yml, not by our Python code.
    external = {"WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "POSTGRES_PASSWORD", "WEB_PUBLISH"}
    assert _read(".env.example", DOCUMENTED) - read - external == set()
