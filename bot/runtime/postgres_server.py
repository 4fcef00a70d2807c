"""A PostgreSQL server of Debian's `postgresql` package in a folder of its own, for the
scaled profile (`make run-scaled`, bot.runtime.scaled), which keeps it up as a child.

PostgreSQL refuses to run as root, so when CareDesk runs as root (CI, containers) the
cluster is made and the server runs as the `postgres` system user that Debian's package
creates, as the tests' servers do (tests/postgres.py). The server itself is started in the
foreground (`postgres`, not `pg_ctl`), with its own process id, so that the supervisor
sees it stop and starts it again. It listens on 127.0.0.1 only, with `trust`
authentication for the role `caredesk`: any local user of the machine can connect, which
suits trying the profile on one machine, not a shared server (README "Scaling out").
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List

BIN_FOLDERS = "/usr/lib/postgresql/*/bin"  # where Debian's packages put the server
ROLE = "caredesk"
SYSTEM_USER = "postgres"


def server_binary(name: str, folders: str = BIN_FOLDERS) -> str:
    """The newest installed PostgreSQL's `name` (initdb, postgres)."""
    found = sorted(glob.glob(f"{folders}/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql "
                           "(scripts/check-system scaled does it as root on Debian)")
    return found[-1]


def run_as() -> Dict[str, str]:
    """subprocess keyword arguments that run a PostgreSQL program as `postgres` when this
    process is root, and as this user otherwise. (Unlike `runuser`, which stays the
    server's parent, the started process is the server itself.)"""
    return {"user": SYSTEM_USER, "group": SYSTEM_USER} if os.geteuid() == 0 else {}


def data_folder(folder: Path) -> Path:
    """Where the cluster of a profile kept in `folder` lives: `folder/postgres`, unless the
    server runs as `postgres` (under root) and that user cannot reach `folder` (a checkout
    in /root, or a `mktemp -d` folder, is closed to other users); then a folder of its own
    in the `postgres` user's home, named after `folder`, so that the same checkout finds
    the same data again."""
    own = folder / "postgres"
    if not run_as() or _reachable_by_others(folder):
        return own
    home = Path(pwd.getpwnam(SYSTEM_USER).pw_dir)
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    return home / "caredesk-scaled" / name


def _reachable_by_others(folder: Path) -> bool:
    """Whether every folder down to `folder` lets other users through."""
    path = folder.resolve()
    for step in [*reversed(path.parents), path]:
        if step.exists() and not step.stat().st_mode & 0o001:
            return False
    return True


def prepare_cluster(data: Path) -> bool:
    """Makes a database cluster in `data` unless one is there; True when it made one."""
    if (data / "PG_VERSION").exists():
        return False
    data.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data, SYSTEM_USER, SYSTEM_USER)
        if data.parent.name == "caredesk-scaled":  # data_folder's own, in postgres's home
            shutil.chown(data.parent, SYSTEM_USER, SYSTEM_USER)
    data.chmod(0o700)
    made = subprocess.run([server_binary("initdb"), "-D", str(data), "-A", "trust", "-U", ROLE,
                           "-E", "UTF8", "--locale=C.UTF-8"],
                          capture_output=True, text=True, **run_as())  # type: ignore[call-overload]
    if made.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        who = f" (as the `{SYSTEM_USER}` user, who must be able to reach {data})" if run_as() else ""
        raise RuntimeError(f"initdb failed{who}: {made.stderr.strip()[-1000:]}")
    return True


def server_command(data: Path, port: int) -> List[str]:
    """The server in the foreground on 127.0.0.1:`port`, its socket in its data folder."""
    return [server_binary("postgres"), "-D", str(data), "-p", str(port), "-k", str(data),
            "-c", "listen_addresses=127.0.0.1"]


def database_url(port: int, database: str) -> str:
    return f"postgresql+psycopg2://{ROLE}@127.0.0.1:{port}/{database}"


def accepts_connections(port: int) -> bool:
    """The server answers a login (it has started and finished any recovery)."""
    import psycopg2

    try:
        psycopg2.connect(host="127.0.0.1", port=port, user=ROLE, dbname="postgres",
                         connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def ensure_database(port: int, name: str) -> None:
    """Creates the database `name` unless it exists."""
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=port, user=ROLE, dbname="postgres",
                                  connect_timeout=5)
    try:
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
