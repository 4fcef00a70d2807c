"""Where the scaled profile's PostgreSQL keeps its cluster (bot/runtime/postgres_server.py):
in the profile's folder, unless the server runs as `postgres` (under root) and that user
cannot reach the folder; then in the `postgres` user's home, the same place for the same
folder each time. Made for real with initdb in both cases."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from pathlib import Path

import pytest

from bot.runtime import postgres_server


def test_a_folder_others_can_reach_keeps_its_cluster(tmp_path: Path) -> None:
    open_folder = Path(tempfile.mkdtemp(prefix="caredesk-open-"))
    try:
        open_folder.chmod(0o755)
        assert postgres_server.data_folder(open_folder) == open_folder / "postgres"
    finally:
        shutil.rmtree(open_folder, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="only under root does the server change user")
def test_a_closed_folder_gets_a_cluster_the_postgres_user_can_reach() -> None:
    closed = Path(tempfile.mkdtemp(prefix="caredesk-closed-"))  # 0700, as `mktemp -d` makes
    data = postgres_server.data_folder(closed)
    try:
        home = Path(pwd.getpwnam(postgres_server.SYSTEM_USER).pw_dir)
        assert data.parent == home / "caredesk-scaled"
        assert postgres_server.data_folder(closed) == data  # the same again
        assert postgres_server.prepare_cluster(data)
        assert (data / "PG_VERSION").exists() and data.owner() == postgres_server.SYSTEM_USER
        assert not postgres_server.prepare_cluster(data)  # made once
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(closed, ignore_errors=True)
