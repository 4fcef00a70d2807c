"""Adds up pytest JUnit XML reports (`make test` runs pytest in three sessions side by side)
and prints one closing line for all of them: "pytest: N passed, N failed, N skipped".

Usage: python scripts/junit_totals.py REPORT.xml [REPORT.xml ...]; a missing or unreadable
report counts as a failure, since its tests did not all pass."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Dict, List


def totals(reports: List[Path]) -> Dict[str, int]:
    """Passed, failed (failures and errors) and skipped tests over every report."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for report in reports:
        try:
            root = ElementTree.parse(report).getroot()
        except (OSError, ElementTree.ParseError):
            counts["failed"] += 1
            continue
        for suite in root.iter("testsuite"):
            tests = int(suite.get("tests", 0))
            failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped = int(suite.get("skipped", 0))
            counts["passed"] += tests - failed - skipped
            counts["failed"] += failed
            counts["skipped"] += skipped
    return counts


def main(arguments: List[str]) -> int:
    counts = totals([Path(argument) for argument in arguments])
    print(f"pytest: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
