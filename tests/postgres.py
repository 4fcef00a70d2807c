"""A real PostgreSQL server for tests, from Debian's `postgresql` package, in a temp folder."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, List

import pytest

from bot.runtime.launch import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
    return found[-1]


def _as_postgres(command: List[str]) -> List[str]:
    """initdb refuses to run as root; CI runs as root, so the server runs as `postgres`."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def postgres_server() -> Iterator[str]:
    """Starts a server in its own temp folder (reachable by the `postgres` user) and yields
    its URL; stops it and removes the folder afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="caredesk-pg-"))
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "caredesk",
                                 "--no-sync"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-l", str(data / "server.log"),
                                 "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
                                 "-w", "start"]), check=True, capture_output=True)
    url = f"postgresql+psycopg2://caredesk@127.0.0.1:{port}/postgres"
    try:
        yield url
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
