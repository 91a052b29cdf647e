#!/usr/bin/env python3
"""Run, test and manage the MoU tracker with one command each.

    devstack.py run                 PostgreSQL + Valkey (embedded unless DATABASE_URL / REDIS_URL),
                                    migrate, collectstatic, demo seed, then web + worker + beat
    devstack.py test [-- ARGS]      pytest against the same kind of services (own data dir)
    devstack.py manage ARGS         manage.py ARGS with the services up
    devstack.py bench [ARGS]        python -m bench ARGS with the services up
    devstack.py prepare [--demo] [--no-static]   create the database, migrate, collectstatic
    devstack.py web|worker|beat     exec one process in the foreground (docker-compose uses these)
    devstack.py healthcheck         exit 0 when the web server on PORT answers /healthz

Design: every long-running process is started in its own session, so Ctrl-C reaches this
script alone and it stops things in order: web, worker and beat first (they use the
database and the broker), then Valkey, then PostgreSQL. SIGTERM does the same. Embedded
servers keep their data under ``MOU_VAR_DIR`` (default ``var/``), so a second run keeps
what the first one stored. A server that another running devstack owns is used and left
running; one whose owner died (SIGKILL) is adopted and stopped at the end.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from embedded import ensure_database, say, start_postgres, start_valkey

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STOP_TIMEOUT = 20.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
WEB_START_TIMEOUT = 60.0


class Shutdown(BaseException):
    """Raised by the first SIGINT/SIGTERM; BaseException so no ``except Exception`` eats it."""


class _Signals:
    """Turns the first SIGINT or SIGTERM into ``Shutdown``; later ones are ignored while stopping."""

    stopping = False

    @classmethod
    def install(cls) -> None:
        signal.signal(signal.SIGINT, cls._handle)
        signal.signal(signal.SIGTERM, cls._handle)

    @classmethod
    def _handle(cls, signum: int, frame: FrameType | None) -> None:
        if cls.stopping:
            return
        cls.stopping = True
        say(f"\ndevstack: {signal.Signals(signum).name} received, stopping")
        raise Shutdown(signum)


def var_dir() -> Path:
    return Path(os.environ.get("MOU_VAR_DIR") or BASE_DIR / "var").resolve()


def base_env(root: Path | None = None) -> dict[str, str]:
    """The environment for every child: this one, plus paths under ``root`` (default ``MOU_VAR_DIR``)."""
    root = root or var_dir()
    env = dict(os.environ)
    defaults = {
        "DJANGO_SETTINGS_MODULE": "mou_tracker.settings",
        "DJANGO_STATIC_ROOT": str(root / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(root / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    # Empty counts as unset, as in settings.py.
    env.update({name: value for name, value in defaults.items() if not env.get(name)})
    # celery's console script does not put the project on sys.path by itself.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BASE_DIR), env.get("PYTHONPATH")]))
    return env


def service_env(stack: contextlib.ExitStack, *, test: bool = False) -> dict[str, str]:
    """``base_env()`` with DATABASE_URL and REDIS_URL, starting embedded servers for unset ones.

    Tests get their own data directory so ``make test`` never touches the data of ``make run``.
    """
    root = var_dir() / "test" if test else var_dir()
    env = base_env(root)
    if not env.get("DATABASE_URL"):
        say(f"devstack: DATABASE_URL unset: embedded PostgreSQL in {root / 'pgdata'}")
        env["DATABASE_URL"] = start_postgres(root / "pgdata", stack)
    if not env.get("REDIS_URL"):
        say(f"devstack: REDIS_URL unset: embedded Valkey in {root / 'valkey'}")
        port = int(env.get("VALKEY_PORT") or 0)
        env["REDIS_URL"] = start_valkey(root / "valkey", stack, port=port, persist=not test)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, cwd=BASE_DIR, check=True)


def has_command(env: dict[str, str], name: str) -> bool:
    listing = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "help", "--commands"],
        env=env,
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    )
    return name in listing.stdout.split()


def prepare(env: dict[str, str], *, demo: bool, static: bool = True) -> str:
    """Bring the database and static files up to date; with ``demo``, load the MoU and demo accounts.

    Returns what the seed printed about the demo accounts, to repeat once the stack is up.
    """
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput")
    if static:
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return seed_demo(env) if demo else ""


def seed_demo(env: dict[str, str]) -> str:
    """``load_seed_mou --demo``: idempotent; new demo accounts get passwords that it prints once."""
    if not has_command(env, "load_seed_mou"):
        say("devstack: load_seed_mou is not available yet, starting without the MoU seed")
        return ""
    argv = [sys.executable, str(BASE_DIR / "manage.py"), "load_seed_mou", "--demo"]
    if env.get("MOU_DEMO_PASSWORD"):
        argv += ["--demo-password", env["MOU_DEMO_PASSWORD"]]
    # Captured to repeat the accounts in the banner; shown in full either way, errors included.
    seeded = subprocess.run(argv, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    say(seeded.stdout.rstrip("\n"))
    if seeded.stderr:
        say(seeded.stderr.rstrip("\n"), stream=sys.stderr)
    seeded.check_returncode()
    marker = seeded.stdout.find("Akun demo")
    return seeded.stdout[marker:] if marker >= 0 else ""


def web_address(env: dict[str, str]) -> tuple[str, str]:
    return env.get("WEB_HOST") or "127.0.0.1", env.get("PORT") or "8000"


def process_argv(name: str, env: dict[str, str]) -> list[str]:
    """The command line of one long-running process; ``run`` and docker-compose share these."""
    if name == "web":
        host, port = web_address(env)
        # gunicorn reads WEB_CONCURRENCY and FORWARDED_ALLOW_IPS from the environment itself.
        return [str(BIN / "gunicorn"), "mou_tracker.wsgi", "--bind", f"{host}:{port}", "--graceful-timeout", "10"]
    concurrency = env.get("CELERY_CONCURRENCY") or "2"
    if name == "worker":
        return [str(BIN / "celery"), "-A", "mou_tracker", "worker", "--loglevel", "INFO", "-c", concurrency]
    if name == "beat":
        # The schedule lives in the database (django_celery_beat), so no schedule file is needed.
        return [str(BIN / "celery"), "-A", "mou_tracker", "beat", "--loglevel", "INFO"]
    raise ValueError(name)


Processes = list[tuple[str, "subprocess.Popen[bytes]"]]


def start_processes(env: dict[str, str], stack: contextlib.ExitStack) -> Processes:
    processes: Processes = []
    stack.callback(stop_processes, processes)
    for name in ("worker", "beat", "web"):
        argv = process_argv(name, env)
        process = subprocess.Popen(argv, env=env, cwd=BASE_DIR, start_new_session=True, preexec_fn=_die_with_parent)
        processes.append((name, process))
    return processes


def _die_with_parent() -> None:
    """In the child before exec: ask Linux for SIGTERM if devstack dies without cleaning up (SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stop_processes(processes: Processes) -> None:
    """SIGTERM to each process group, a grace period, then SIGKILL to whatever is left of each group."""
    if processes:
        say("devstack: stopping web, worker and beat")
    for _name, process in processes:
        _signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"devstack: {name} did not stop within {STOP_TIMEOUT:.0f}s, killing it")
    for _name, process in processes:
        _reap_group(process)


def _reap_group(process: subprocess.Popen[bytes]) -> None:
    """Give the group's other members (gunicorn and prefork workers) a moment, then kill them."""
    deadline = time.monotonic() + 3
    while _signal_group(process.pid, 0) and time.monotonic() < deadline:
        time.sleep(0.1)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait()


def _signal_group(pgid: int, signum: int) -> bool:
    """Send ``signum`` to a process group; False when the group no longer exists."""
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):  # gone, or the id now belongs to someone else
        return False
    return True


def wait_for_web(env: dict[str, str], processes: Processes) -> str:
    host, port = web_address(env)
    base = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}"  # noqa: S104
    deadline = time.monotonic() + WEB_START_TIMEOUT
    while time.monotonic() < deadline:
        check_alive(processes)
        if _answers(f"{base}/healthz"):
            return base
        time.sleep(0.3)
    raise RuntimeError(f"the web server did not answer on {base} within {WEB_START_TIMEOUT:.0f}s")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback URL)
            return bool(response.status == 200)
    except OSError:
        return False


def check_alive(processes: Processes) -> None:
    for name, process in processes:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")


def print_banner(url: str, accounts: str) -> None:
    """Repeat what a new user needs after the worker's start-up log has scrolled past."""
    lines = ["", f"MoU Tracker berjalan di / is running at {url}/", "Ctrl-C menghentikan semuanya / stops everything."]
    if accounts:
        lines += [accounts.rstrip()]
    else:
        lines += ["Belum ada akun demo (load_seed_mou belum ada): scripts/devstack.py manage createsuperuser"]
    say("\n".join([*lines, ""]))


def cmd_run() -> int:
    """The whole stack in the foreground until Ctrl-C or SIGTERM."""
    with contextlib.ExitStack() as stack:
        try:
            env = service_env(stack)
            # Plain HTTP on the loopback: no secure-only cookies, readable error pages.
            env["DJANGO_DEBUG"] = env.get("DJANGO_DEBUG") or "true"
            env["WEB_CONCURRENCY"] = env.get("WEB_CONCURRENCY") or "2"
            accounts = prepare(env, demo=True)
            processes = start_processes(env, stack)
            url = wait_for_web(env, processes)
            print_banner(url, accounts)
            while True:
                check_alive(processes)
                time.sleep(0.5)
        finally:
            _Signals.stopping = True


def cmd_test(pytest_args: Sequence[str]) -> int:
    with contextlib.ExitStack() as stack:
        try:
            env = service_env(stack, test=True)
            # whitenoise warns on every request when STATIC_ROOT does not exist.
            Path(env["DJANGO_STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
            pytest = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=BASE_DIR)
            try:
                code = pytest.wait()
            except Shutdown as stop:
                code = _let_stop(pytest, stop.args[0])
        finally:
            _Signals.stopping = True
    if code == 5:  # pytest's 'no tests collected': a suite that ran nothing proves nothing
        say("devstack: pytest collected no tests; treating that as a failure")
    return code


def _let_stop(process: subprocess.Popen[bytes], signum: int) -> int:
    """Let pytest finish its own teardown and summary after Ctrl-C; SIGTERM is passed on at once.

    Ctrl-C in a terminal already reached pytest (same process group); a second SIGINT would cut
    its teardown short, so it is only sent if pytest has not stopped within a few seconds.
    """
    if signum != signal.SIGINT:
        process.send_signal(signum)
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.send_signal(signum)
    try:
        return process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def cmd_with_services(args: Sequence[str], action: str) -> int:
    """``manage`` and ``prepare``: one-off work with the services up, stopped afterwards if started here."""
    with contextlib.ExitStack() as stack:
        try:
            env = service_env(stack)
            if action == "prepare":
                prepare(env, demo="--demo" in args, static="--no-static" not in args)
            elif action == "bench":
                subprocess.run([sys.executable, "-m", "bench", *args], env=env, cwd=BASE_DIR, check=True)
            else:
                ensure_database(env["DATABASE_URL"])
                manage(env, *args)
        finally:
            _Signals.stopping = True
    return 0


def cmd_healthcheck() -> int:
    """Exit 0 when this container's web server answers /healthz (docker-compose's health check).

    The request carries the first allowed host and, as the HTTPS proxy would, X-Forwarded-Proto,
    so neither host validation nor the HTTPS redirect turns a healthy server into a failure.
    """
    env = base_env()
    _host, port = web_address(env)
    hosts = [h.lstrip(".") for h in env.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",") if h.strip("* ")]
    headers = {"Host": hosts[0] if hosts else "localhost", "X-Forwarded-Proto": "https"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
            return 0 if response.status == 200 else 1
    except OSError as error:
        say(f"devstack: healthcheck failed: {error}", stream=sys.stderr)
        return 1


def cmd_exec(name: str) -> int:
    """Replace this process with web, worker or beat, so the container's signals reach it directly."""
    env = base_env()
    argv = process_argv(name, env)
    os.execve(argv[0], argv, env)  # noqa: S606


def main(argv: Sequence[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, args = argv[0], list(argv[1:])
    if args[:1] == ["--"]:
        args = args[1:]
    _Signals.install()
    try:
        if command == "run":
            return cmd_run()
        if command == "test":
            return cmd_test(args)
        if command in {"manage", "prepare", "bench"}:
            return cmd_with_services(args, command)
        if command in {"web", "worker", "beat"}:
            return cmd_exec(command)
        if command == "healthcheck":
            return cmd_healthcheck()
    except Shutdown as stop:
        # Ctrl-C is how `run` ends normally; anything else it interrupted did not succeed.
        return 0 if command == "run" else 128 + int(stop.args[0])
    except subprocess.CalledProcessError as error:
        say(f"devstack: {error}", stream=sys.stderr)
        return error.returncode or 1
    except RuntimeError as error:
        say(f"devstack: {error}", stream=sys.stderr)
        return 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
