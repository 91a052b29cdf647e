# ruff: noqa: S603 - fixed argument lists for our own gunicorn, schemathesis and Python children
"""Schemathesis against /api/schema/ as each role (issue 8), on the load database and production settings.

    python -m assurance.schema_fuzz --examples 10

Starts gunicorn like ``assurance.load run``, gives each seeded user (secretariat, BPJS officer, Dinsos
staff, leadership) an API token, and runs schemathesis with the checks ``not_a_server_error`` and
``response_schema_conformance``. Prints, per role, the failures schemathesis reports; JUnit files go
to var/assurance/schemathesis-<role>.xml.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from assurance.load import BASE, OUT, production_env

ROLES = ["sekretariat", "bpjs", "dinsos", "pimpinan"]
TOKEN_CODE = """
import django; django.setup()
from rest_framework.authtoken.models import Token
from accounts.models import User
print(Token.objects.get_or_create(user=User.objects.get(username="{name}"))[0].key)
"""  # noqa: S105 - code that fetches a token, not a token


def token(env: dict[str, str], name: str) -> str:
    run = subprocess.run([sys.executable, "-c", TOKEN_CODE.format(name=name)], cwd=BASE, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return run.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--port", type=int, default=8433)
    args = parser.parse_args()
    env = production_env(args.port)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "mou_tracker.wsgi", "-b",
                               f"127.0.0.1:{args.port}", "-w", "3", "--access-logfile", "/dev/null"], cwd=BASE,
                              env=env, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - our own loopback server
                break
            except OSError:
                time.sleep(1)
        for role in ROLES:
            key = token(env, role)
            run = subprocess.run([str(Path(sys.executable).parent / "schemathesis"), "run", f"{base}/api/schema/",
                                  "-u", base, "-H", f"Authorization: Token {key}", "-H", "X-Forwarded-Proto: https",
                                  "-c", "not_a_server_error,response_schema_conformance", "-n", str(args.examples),
                                  "--report", "junit", "--report-junit-path", str(OUT / f"schemathesis-{role}.xml"),
                                  "--request-timeout", "30"], cwd=BASE, capture_output=True, text=True)  # fmt: skip
            print(f"===== {role}: exit {run.returncode}")
            print(run.stdout[-6000:])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
