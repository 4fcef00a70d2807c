"""CareDesk's settings, read once from the environment (and `.env`) into a frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from bot.envfile import PROJECT_ROOT, load_env_file

VAR_DIR = PROJECT_ROOT / "var"


def environment(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """The effective environment: `.env` values, overridden by the real environment."""
    merged = load_env_file(root / ".env")
    merged.update(os.environ)
    return merged


@dataclass(frozen=True)
class Settings:
    """Where each CareDesk process listens and what it connects to."""

    rasa_token: str
    rasa_port: int
    action_port: int
    database_url: str
    tracker_db_path: Path

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = environment() if env is None else env
        return cls(
            rasa_token=env.get("RASA_TOKEN", ""),
            rasa_port=_port(env, "RASA_PORT", 5005),
            action_port=_port(env, "ACTION_PORT", 5055),
            database_url=env.get("DATABASE_URL") or default_database_url(),
            tracker_db_path=Path(env.get("TRACKER_DB_PATH") or VAR_DIR / "rasa-tracker.db"),
        )


def default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'caredesk.db'}"


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key) or str(default)
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise RuntimeError(f"{key} must be a TCP port number, got {raw!r}")
    return int(raw)
