"""CPU seconds used by each CareDesk process, read from /proc.

The supervisor (bot.runtime, or bot.runtime.scaled) starts the gateways, the Rasa servers
and the action servers (and in the scaled profile PostgreSQL, Redis and nginx); each is
found among its children by the module or program its command line runs, and counted
(summed over the N of a kind) with any children of its own. The benchmark's client shares the machine, so its CPU is sampled
too (and kept apart from the product's).
"""

from __future__ import annotations

import os
from typing import Dict, List

TICKS = os.sysconf("SC_CLK_TCK")
CLIENT = "benchmark client"
SUPERVISOR = "supervisor"
# the children of the supervisor (bot.runtime), by what their command line runs
PROCESSES = (("gateway", "bot.gateway"), ("Rasa server", "bot.runtime.rasa_server"),
             ("action server", "bot.runtime.action_server"))
# the servers the scaled profile's supervisor (bot.runtime.scaled) also starts, by program
ENGINES = (("PostgreSQL", "postgres"), ("Redis", "redis-server"), ("nginx", "nginx"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children() -> Dict[int, List[int]]:
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    return children


def _command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class ProcessCpu:
    """CPU seconds used so far by each CareDesk process (with any children it started), the
    supervisor and this benchmark's client."""

    def __init__(self, supervisor: int) -> None:
        self.supervisor = supervisor

    def sample(self) -> Dict[str, float]:
        tree = _children()

        def with_descendants(pid: int) -> float:
            return cpu_seconds(pid) + sum(with_descendants(c) for c in tree.get(pid, []))

        used = {name: 0.0 for name, _ in PROCESSES}
        used[SUPERVISOR] = cpu_seconds(self.supervisor)
        for child in tree.get(self.supervisor, []):
            command = _command_line(child)
            for name, module in PROCESSES:
                if f"-m {module} " in f"{command} ":
                    used[name] += with_descendants(child)
            # nginx renames its processes ("nginx: master process /usr/sbin/nginx …")
            program = os.path.basename(command.split(" ", 1)[0]).rstrip(":")
            for name, executable in ENGINES:
                if program == executable:
                    used[name] = used.get(name, 0.0) + with_descendants(child)
        times = os.times()
        used[CLIENT] = times.user + times.system
        return used
