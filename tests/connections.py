"""Which process holds a TCP connection on this machine (Linux: /proc), so a local server
in a test can tell which of several client processes is calling it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional

TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))


def _port(address: str) -> int:
    """The port of an address as /proc/net/tcp writes it ("0100007F:1F90")."""
    return int(address.rsplit(":", 1)[1], 16)


def _socket_inode(local_port: int, remote_port: int) -> Optional[str]:
    for table in TABLES:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if _port(fields[1]) == local_port and _port(fields[2]) == remote_port:
                return fields[9]
    return None


def process_holding(local_port: int, remote_port: int, candidates: Iterable[int]) -> Optional[int]:
    """The one of `candidates` (process ids) with an open socket whose own end is
    `local_port` and whose other end is `remote_port`; None if none of them has it. Call it
    while the connection is open (a server: before it answers)."""
    inode = _socket_inode(local_port, remote_port)
    if inode is None:
        return None
    wanted = f"socket:[{inode}]"
    for pid in candidates:
        folder = Path(f"/proc/{pid}/fd")
        try:
            descriptors = list(folder.iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                if os.readlink(descriptor) == wanted:
                    return pid
            except OSError:
                continue
    return None
