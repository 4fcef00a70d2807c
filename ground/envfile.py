"""Reads and creates the `.env` file that holds local settings and secrets.

`.env.example` documents every key. The first run copies it to `.env`, replacing each
`<generated>` placeholder with a fresh random secret; later runs only add keys that a newer
`.env.example` introduced, so existing secrets never change under a running installation.
A key that was renamed takes the installation's value of its old name.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

GENERATED = "<generated>"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# old name → new name: the 3-7-30 messages were "follow-ups" before they were "aftercare"
RENAMED_KEYS = {
    "FOLLOW_UP_DAYS": "AFTERCARE_DAYS",
    "FOLLOW_UP_QUIET_HOURS": "AFTERCARE_QUIET_HOURS",
    "FOLLOW_UP_TIMEZONE": "AFTERCARE_TIMEZONE",
    "FOLLOW_UP_POLL_SECONDS": "AFTERCARE_POLL_SECONDS",
}


def parse_env(text: str) -> dict[str, str]:
    """Returns the KEY=VALUE pairs of an env file; comments and blank lines are ignored."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, separator, value = line.partition("=")
        key = key.strip()
        if not separator or not key.isidentifier():
            raise ValueError(f"line {number}: expected KEY=VALUE, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def load_env_file(path: Path) -> dict[str, str]:
    """Returns the pairs of `path`, or nothing when the file does not exist."""
    return parse_env(path.read_text()) if path.exists() else {}


def ensure_env_file(example: Path, target: Path) -> list[str]:
    """Creates or completes `target` from `example`; returns the keys it added."""
    wanted = parse_env(example.read_text())
    present = load_env_file(target)
    added = [key for key in wanted if key not in present]
    if not added:
        return []
    lines = [] if target.exists() else [
        "# Local CareDesk settings and secrets, created from .env.example. Never commit this file."
    ]
    renamed = {new: old for old, new in RENAMED_KEYS.items() if old in present}
    for key in added:
        value = wanted[key]
        if key in renamed:
            lines.append(f"# was {renamed[key]} (renamed)")
            value = present[renamed[key]]
        lines.append(f"{key}={secrets.token_urlsafe(32) if value == GENERATED else value}")
    existing = target.read_text() if target.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    target.write_text(existing + "\n".join(lines) + "\n")
    target.chmod(0o600)
    return added


def main() -> None:
    added = ensure_env_file(PROJECT_ROOT / ".env.example", PROJECT_ROOT / ".env")
    if added:
        print(f".env: added {', '.join(added)}", file=sys.stderr)


if __name__ == "__main__":
    main()
