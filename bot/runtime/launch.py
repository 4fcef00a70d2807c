"""Starts a CareDesk process for a test or a benchmark and waits until it is ready."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

from ground.envfile import PROJECT_ROOT


EPHEMERAL_RANGES = Path("/proc/sys/net/ipv4/ip_local_port_range")
# the lowest port a listening port is picked from
LOWEST_PICKED = 10000
_PICKS = random.SystemRandom()


def _ephemeral_start(ranges: Path = EPHEMERAL_RANGES) -> int:
    """The first port of the kernel's range for outgoing connections (32768 by default)."""
    try:
        return int(ranges.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def _bindable(port: int) -> bool:
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True


def free_port(ranges: Path = EPHEMERAL_RANGES) -> int:
    """A port of 127.0.0.1 free now, for a process started later to listen on. It is picked
    below the kernel's range for outgoing connections: a port from that range (what binding
    to port 0 gives) can be taken as the local end of any connection this machine opens
    between the pick and the listener's start, minutes later for a Rasa server."""
    start = _ephemeral_start(ranges)
    if start - LOWEST_PICKED >= 1000:
        for _ in range(100):
            port = _PICKS.randrange(LOWEST_PICKED, start)
            if _bindable(port):
                return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_ports(count: int, ranges: Path = EPHEMERAL_RANGES) -> List[int]:
    """`count` different free ports (free_port), for processes started together."""
    ports: List[int] = []
    for _ in range(100 * count):
        port = free_port(ranges)
        if port not in ports:
            ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"could not find {count} free ports on 127.0.0.1")


def launch(module: str, env: Dict[str, str], log: Path, ready: str,
           timeout: float = 300.0, args: Sequence[str] = ()) -> subprocess.Popen:
    """Runs `python -m module *args` with its output in `log`, until `ready` appears there."""
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", module, *args], cwd=PROJECT_ROOT,
                                   env=env, stdout=output, stderr=subprocess.STDOUT)
    started = time.monotonic()
    while ready not in log.read_text():
        if process.poll() is not None or time.monotonic() - started > timeout:
            process.kill()
            raise RuntimeError(f"{module} did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    return process
