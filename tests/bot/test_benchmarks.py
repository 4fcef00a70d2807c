"""`make bench`'s accounting without the product: stages are exclusive, CPU time is read from
/proc, and the per-process table divides by the turns of each phase."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bot.benchmarks.replies import Phase, ProcessCpu, cost_report, cpu_seconds
from bot.benchmarks.turn_profile import StageClock, process_cpu_seconds


def burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_nested_stages_are_exclusive() -> None:
    clock = StageClock()
    with clock.stage("outer"):
        burn(0.02)
        with clock.stage("inner"):
            burn(0.05)
    assert 0.05 <= clock.seconds["inner"] < 0.07
    assert 0.02 <= clock.seconds["outer"] < 0.04  # without the inner stage's time
    assert clock.calls == {"outer": 1, "inner": 1}


def test_cpu_time_of_a_process_from_proc() -> None:
    burn(0.1)
    times = os.times()
    assert abs(cpu_seconds(os.getpid()) - (times.user + times.system)) < 0.05
    assert process_cpu_seconds(os.getpid()) >= 0.1
    assert cpu_seconds(2 ** 22 + 1) == 0.0  # no such process: nothing used


def test_children_of_the_supervisor_are_found_by_their_module() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 0.3\n"
                              "while time.process_time() < end: pass\ntime.sleep(30)",
                              "-m", "bot.runtime.action_server"])
    try:
        # the child is not a supervisor's: sample this process as the supervisor
        time.sleep(1.0)
        used = ProcessCpu(os.getpid()).sample()
    finally:
        child.kill()
        child.wait()
    assert used["action server"] >= 0.2
    assert used["Rasa server"] == 0.0 and used["gateway"] == 0.0


def test_cost_report_divides_by_the_turns_of_each_phase() -> None:
    phase = Phase("plain Rasa")
    phase.add(100, 10.0, {"Rasa server": 1.0, "benchmark client": 0.0},
              {"Rasa server": 5.0, "benchmark client": 0.5})
    assert phase.ms_per_turn("Rasa server") == 40.0
    assert phase.product_ms_per_turn == 40.0  # the client is not the product
    report = cost_report([phase])
    assert "10.0" in report.splitlines()[1]  # turns per second
    assert "40.0" in report
