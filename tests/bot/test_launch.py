"""Ports for processes a test, a benchmark or the scaled profile starts later
(bot/runtime/launch.py): free when picked, and out of the way of the machine's own
outgoing connections, which take their local ports from the kernel's ephemeral range."""

from __future__ import annotations

import socket
from pathlib import Path

from bot.runtime.launch import EPHEMERAL_RANGES, LOWEST_PICKED, free_port, free_ports
from bot.runtime.scaled import Layout


def _ephemeral_start() -> int:
    return int(EPHEMERAL_RANGES.read_text().split()[0])


def test_a_port_is_picked_below_the_range_of_outgoing_connections() -> None:
    start = _ephemeral_start()
    ports = [free_port() for _ in range(50)]
    assert all(LOWEST_PICKED <= port < start for port in ports), ports


def test_a_picked_port_can_be_listened_on() -> None:
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()


def test_a_port_someone_listens_on_is_not_picked(tmp_path: Path) -> None:
    # a range file that leaves the thousand ports from LOWEST_PICKED to pick from; every one
    # of them held by a listener here, or by someone else already
    ranges = tmp_path / "ip_local_port_range"
    ranges.write_text(f"{LOWEST_PICKED + 1000}\t60999\n")
    held = []
    try:
        for port in range(LOWEST_PICKED, LOWEST_PICKED + 1000):
            listener = socket.socket()
            try:
                listener.bind(("127.0.0.1", port))
            except OSError:
                listener.close()
                continue
            held.append(listener)
        picked = [free_port(ranges) for _ in range(5)]
        for port in picked:  # free now, so not one of those held
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port))
    finally:
        for listener in held:
            listener.close()
    assert all(not LOWEST_PICKED <= port < LOWEST_PICKED + 1000 for port in picked), picked


def test_the_scaled_profile_gets_a_different_port_for_every_process() -> None:
    layout = Layout.on_free_ports(3)
    ports = [layout.postgres, layout.redis, *layout.gateways, *layout.rasa, *layout.actions]
    assert len(ports) == 11 and len(set(ports)) == 11, ports
    assert len(set(free_ports(30))) == 30
