"""A real PostgreSQL server for tests, from Debian's `postgresql` package, in a temp folder."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
from sqlalchemy import text

from bot.runtime.launch import free_port
from ground.database import create_database_engine


def _bin(name: str) -> str:
    """A server binary of Debian's `postgresql` (where scripts/check-system looks too)."""
    folders = os.environ.get("CAREDESK_POSTGRES_BIN", "/usr/lib/postgresql/*/bin")
    found = sorted(glob.glob(f"{folders}/{name}"))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql "
                    "(make test does it as root on Debian; scripts/check-system)")
    return found[-1]


def _as_postgres(command: List[str]) -> List[str]:
    """initdb refuses to run as root; CI runs as root, so the server runs as `postgres`."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresServer:
    """One server in its own temp folder (reachable by the `postgres` user), on a free port
    of 127.0.0.1; it can be stopped and started again (same data, same port) to test what
    happens to clients when the database goes away for a moment."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="caredesk-pg-"))
        self.data = self.folder / "data"
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.data, "postgres")
        self.port = free_port()
        subprocess.run(_as_postgres([_bin("initdb"), "-D", str(self.data), "-A", "trust",
                                     "-U", "caredesk", "--no-sync"]),
                       check=True, capture_output=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://caredesk@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(self.data), *args]),
                       check=check, capture_output=True)

    def start(self) -> None:
        """Starts the server and waits until it accepts connections."""
        self._pg_ctl("-l", str(self.data / "server.log"), "-o",
                     f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off",
                     "-w", "start")

    def stop(self, check: bool = True) -> None:
        """A fast shutdown: open sessions are cut off, their transactions rolled back."""
        self._pg_ctl("-m", "fast", "-w", "stop", check=check)

    def restart(self) -> None:
        """Stop (fast) and start again: every client connection is dropped."""
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop(check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def postgres_server() -> Iterator[str]:
    """Starts a server and yields its URL; stops it and removes the folder afterwards."""
    server = PostgresServer()
    server.start()
    try:
        yield server.url
    finally:
        server.remove()


def create_database(server_url: str) -> str:
    """A new, empty database on the server at `server_url`; returns its URL (so tests that
    share one server never see each other's rows)."""
    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_database_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
