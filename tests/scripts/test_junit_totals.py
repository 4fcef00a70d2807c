"""scripts/junit_totals.py: the closing line of `make test` adds up both pytest sessions'
JUnit reports, and a failed test, an error or a missing report makes it fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ground.envfile import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "junit_totals.py"


def report(path: Path, tests: int, failures: int = 0, errors: int = 0, skipped: int = 0) -> Path:
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" '
                    f'tests="{tests}" failures="{failures}" errors="{errors}" '
                    f'skipped="{skipped}"/></testsuites>')
    return path


def totals(*reports: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, reports)],
                          capture_output=True, text=True, timeout=60)


def test_passing_sessions_add_up(tmp_path: Path) -> None:
    result = totals(report(tmp_path / "main.xml", 1000, skipped=2), report(tmp_path / "t.xml", 3))
    assert result.returncode == 0
    assert result.stdout == "pytest: 1001 passed, 0 failed, 2 skipped\n"


def test_failures_and_errors_in_either_session_fail(tmp_path: Path) -> None:
    result = totals(report(tmp_path / "main.xml", 1000, failures=1),
                    report(tmp_path / "t.xml", 3, errors=1))
    assert result.returncode == 1
    assert result.stdout == "pytest: 1001 passed, 2 failed, 0 skipped\n"


def test_a_missing_or_broken_report_counts_as_a_failure(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<testsuites><testsuite")
    result = totals(report(tmp_path / "main.xml", 10), tmp_path / "missing.xml",
                    tmp_path / "broken.xml")
    assert result.returncode == 1
    assert result.stdout == "pytest: 10 passed, 2 failed, 0 skipped\n"
