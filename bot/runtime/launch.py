"""Starts a CareDesk process for a test or a benchmark and waits until it is ready."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Sequence

from ground.envfile import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
