"""CareDesk's settings, read once from the environment (and `.env`) into a frozen object."""

from __future__ import annotations

import os
from urllib.parse import urlsplit
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Tuple

from ground.envfile import PROJECT_ROOT, RENAMED_KEYS, load_env_file


VAR_DIR = PROJECT_ROOT / "var"


def environment(root: Path = PROJECT_ROOT, real: Mapping[str, str] | None = None) -> dict[str, str]:
    """The effective environment: `.env` values, overridden by the real environment.

    A setting given in the real environment under a name it no longer has is refused rather
    than ignored: `.env` files are migrated by `ground.envfile`, the real environment cannot be.
    """
    real = os.environ if real is None else real
    stale = [f"{old} (now {new})" for old, new in RENAMED_KEYS.items() if old in real]
    if stale:
        raise RuntimeError("settings renamed, set them under their new names: " + ", ".join(stale))
    merged = load_env_file(root / ".env")
    merged.update(real)
    return merged


@dataclass(frozen=True)
class Settings:
    """Where each CareDesk process listens and what it connects to."""

    rasa_token: str
    rasa_port: int
    action_port: int
    database_url: str
    tracker_db_path: Path
    redis_url: str = ""
    tracker_url: str = ""  # TRACKER_DB_URL: a server's tracker store instead of the file
    rasa_base_url: str = ""  # RASA_URL: the Rasa server elsewhere (or a load balancer)
    action_base_url: str = ""  # ACTION_URL: the action server elsewhere (or a load balancer)
    # RASA_SERVER_URLS: each Rasa server's own address, where an activated model is loaded
    rasa_server_base_urls: Tuple[str, ...] = ()
    scale: int = 2
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    # PUBLIC_URL: where customers reach the gateway (behind a proxy, its public address);
    # links sent on channels that show plain text (Telegram) start with it
    public_base_url: str = ""
    gateway_secret: str = ""
    rasa_channel_secret: str = ""
    action_server_secret: str = ""
    rasa_rest_channel: bool = False
    rasa_timeout_seconds: float = 8.0
    rasa_slow_deadline_seconds: float = 60.0
    rasa_max_in_flight: int = 8
    rasa_wait_notice_seconds: float = 15.0
    message_rate_per_minute: int = 30
    message_rate_per_address_per_minute: int = 120
    conversation_rate_per_minute: int = 20
    proxies_count: int = 0
    real_ip_header: str = ""
    forwarded_secret: str = ""
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    admin_password: str = ""
    first_response_minutes: float = 60.0
    # when the team is at work (handoff/team_hours.py), in support_timezone's local time
    support_hours: str = "mon-fri 08:00-20:00, sat 09:00-17:00"
    support_timezone: str = "Europe/London"
    resolution_hours: float = 72.0
    staff_session_hours: float = 12.0
    login_rate_per_minute: int = 10
    # the first delay after the free failed logins, doubled after each further failure
    login_throttle_first_delay_seconds: float = 1.0
    staff_requests_per_minute: int = 300
    trainer_reveals_per_minute: int = 20
    identity_failures_before_lock: int = 5
    identity_lock_hours: float = 24.0
    identity_failures_per_address: int = 10
    requirements_webhook_url: str = ""
    requirements_webhook_secret: str = ""
    requirements_webhook_first_retry_seconds: float = 10.0
    demo_history: bool = True
    aftercare_days: str = "3,7,30"
    aftercare_quiet_hours: str = "21:00-08:00"
    aftercare_timezone: str = "Europe/London"
    aftercare_poll_seconds: float = 60.0
    trainer_low_confidence: float = 0.6
    training_data_dir: Path = PROJECT_ROOT
    model_store_dir: Path = PROJECT_ROOT / "models" / "versions"

    @property
    def rasa_url(self) -> str:
        return self.rasa_base_url or f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_server_urls(self) -> Tuple[str, ...]:
        """Every Rasa server, each by its own address (one: the Rasa URL)."""
        return self.rasa_server_base_urls or (self.rasa_url,)

    @property
    def action_base(self) -> str:
        return self.action_base_url or f"http://127.0.0.1:{self.action_port}"

    @property
    def action_server_url(self) -> str:
        return f"{self.action_base}/webhook"

    @property
    def action_health_url(self) -> str:
        return f"{self.action_base}/health"

    @property
    def tracker_db_url(self) -> str:
        """Rasa's SQL tracker store: TRACKER_DB_URL (a PostgreSQL database, the scaled
        profile), else the SQLite file TRACKER_DB_PATH (endpoints.yml)."""
        return self.tracker_url or f"sqlite:///{self.tracker_db_path}"

    @property
    def gateway_url(self) -> str:
        host = "localhost" if self.gateway_host in ("127.0.0.1", "0.0.0.0") else self.gateway_host
        return f"http://{host}:{self.gateway_port}"

    @property
    def public_url(self) -> str:
        """The gateway's address as customers reach it: PUBLIC_URL, else `gateway_url`."""
        return self.public_base_url or self.gateway_url

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = environment() if env is None else env
        settings = cls(
            rasa_token=env.get("RASA_TOKEN", ""),
            rasa_port=_port(env, "RASA_PORT", 5005),
            action_port=_port(env, "ACTION_PORT", 5055),
            database_url=env.get("DATABASE_URL") or default_database_url(),
            tracker_db_path=Path(env.get("TRACKER_DB_PATH") or VAR_DIR / "rasa-tracker.db"),
            redis_url=_redis_url(env.get("REDIS_URL", "")),
            tracker_url=(env.get("TRACKER_DB_URL") or "").strip(),
            rasa_base_url=_base_url(env, "RASA_URL"),
            action_base_url=_base_url(env, "ACTION_URL"),
            rasa_server_base_urls=_base_urls(env, "RASA_SERVER_URLS"),
            scale=int(_positive(env, "SCALE", 2)),
            gateway_host=env.get("GATEWAY_HOST") or "127.0.0.1",
            gateway_port=_port(env, "GATEWAY_PORT", 8080),
            public_base_url=_public_url(env),
            gateway_secret=env.get("GATEWAY_SECRET", ""),
            rasa_channel_secret=env.get("RASA_CHANNEL_SECRET", ""),
            action_server_secret=env.get("ACTION_SERVER_SECRET", ""),
            rasa_rest_channel=_switch(env, "RASA_REST_CHANNEL", False),
            rasa_timeout_seconds=_positive(env, "RASA_TIMEOUT_SECONDS", 8.0),
            # a Rasa that still answers its status is waited for this long in all
            rasa_slow_deadline_seconds=_positive(env, "RASA_SLOW_DEADLINE_SECONDS", 60.0),
            rasa_max_in_flight=int(_positive(env, "RASA_MAX_IN_FLIGHT", 8)),
            rasa_wait_notice_seconds=_positive(env, "RASA_WAIT_NOTICE_SECONDS", 15.0),
            message_rate_per_minute=int(_positive(env, "MESSAGE_RATE_PER_MINUTE", 30)),
            message_rate_per_address_per_minute=int(
                _positive(env, "MESSAGE_RATE_PER_ADDRESS_PER_MINUTE", 120)),
            conversation_rate_per_minute=int(_positive(env, "CONVERSATION_RATE_PER_MINUTE", 20)),
            proxies_count=_count(env, "PROXIES_COUNT"),
            real_ip_header=(env.get("REAL_IP_HEADER") or "").strip().lower(),
            forwarded_secret=env.get("FORWARDED_SECRET", ""),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL")
            or "https://api.telegram.org/bot",
            admin_password=env.get("CAREDESK_ADMIN_PASSWORD", ""),
            first_response_minutes=_positive(env, "HANDOFF_FIRST_RESPONSE_MINUTES", 60.0),
            support_hours=env.get("SUPPORT_HOURS") or "mon-fri 08:00-20:00, sat 09:00-17:00",
            support_timezone=env.get("SUPPORT_TIMEZONE") or "Europe/London",
            resolution_hours=_positive(env, "HANDOFF_RESOLUTION_HOURS", 72.0),
            staff_session_hours=_positive(env, "STAFF_SESSION_HOURS", 12.0),
            login_rate_per_minute=int(_positive(env, "LOGIN_RATE_PER_MINUTE", 10)),
            login_throttle_first_delay_seconds=_positive(
                env, "LOGIN_THROTTLE_FIRST_DELAY_SECONDS", 1.0),
            staff_requests_per_minute=int(_positive(env, "STAFF_REQUESTS_PER_MINUTE", 300)),
            trainer_reveals_per_minute=int(_positive(env, "TRAINER_REVEALS_PER_MINUTE", 20)),
            identity_failures_before_lock=int(_positive(env, "IDENTITY_FAILURES_BEFORE_LOCK", 5)),
            identity_lock_hours=_positive(env, "IDENTITY_LOCK_HOURS", 24.0),
            identity_failures_per_address=int(_positive(env, "IDENTITY_FAILURES_PER_ADDRESS", 10)),
            requirements_webhook_url=_webhook_url(env.get("REQUIREMENTS_WEBHOOK_URL", "")),
            requirements_webhook_secret=env.get("REQUIREMENTS_WEBHOOK_SECRET", ""),
            requirements_webhook_first_retry_seconds=_positive(
                env, "REQUIREMENTS_WEBHOOK_FIRST_RETRY_SECONDS", 10.0),
            demo_history=_switch(env, "DEMO_HISTORY", True),
            aftercare_days=env.get("AFTERCARE_DAYS") or "3,7,30",
            # "off" switches quiet hours off; empty means the default
            aftercare_quiet_hours=env.get("AFTERCARE_QUIET_HOURS") or "21:00-08:00",
            aftercare_timezone=env.get("AFTERCARE_TIMEZONE") or "Europe/London",
            aftercare_poll_seconds=_positive(env, "AFTERCARE_POLL_SECONDS", 60.0),
            trainer_low_confidence=_fraction(env, "TRAINER_LOW_CONFIDENCE", 0.6),
            training_data_dir=Path(env.get("TRAINING_DATA_DIR") or PROJECT_ROOT),
            # relative to the project, where `rasa train` runs too
            model_store_dir=PROJECT_ROOT / (env.get("MODEL_STORE_DIR") or "models/versions"),
        )
        return settings


def default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'caredesk.db'}"


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key) or str(default)
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise RuntimeError(f"{key} must be a TCP port number, got {raw!r}")
    return int(raw)


def _webhook_url(raw: str) -> str:
    url = raw.strip()
    if url and not url.startswith(("http://", "https://")):
        raise RuntimeError(f"REQUIREMENTS_WEBHOOK_URL must be an http(s) URL, got {raw!r}")
    return url


def _base_url(env: Mapping[str, str], key: str) -> str:
    url = (env.get(key) or "").strip().rstrip("/")
    if url and not url.startswith(("http://", "https://")):
        raise RuntimeError(f"{key} must be an http(s) URL, got {url!r}")
    return url


def _public_url(env: Mapping[str, str]) -> str:
    """PUBLIC_URL: an http(s) address with a host and nothing after its path, since links
    are made by appending to it."""
    url = _base_url(env, "PUBLIC_URL")
    if url:
        parts = urlsplit(url)
        if not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
            raise RuntimeError(f"PUBLIC_URL must be an address such as https://help.example.com, "
                               f"got {url!r}")
    return url


def _base_urls(env: Mapping[str, str], key: str) -> Tuple[str, ...]:
    """A comma-separated list of http(s) URLs (empty: none)."""
    return tuple(_base_url({key: part}, key) for part in (env.get(key) or "").split(",")
                 if part.strip())


def _redis_url(raw: str) -> str:
    url = raw.strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise RuntimeError(f"REDIS_URL must be a redis://, rediss:// or unix:// URL, got {raw!r}")
    return url


def _count(env: Mapping[str, str], key: str) -> int:
    raw = (env.get(key) or "0").strip()
    if not raw.isdigit() or int(raw) > 10:
        raise RuntimeError(f"{key} must be a whole number from 0 to 10, got {raw!r}")
    return int(raw)


def _switch(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = (env.get(key) or ("true" if default else "false")).strip().lower()
    if raw not in ("true", "false", "1", "0", "yes", "no"):
        raise RuntimeError(f"{key} must be true or false, got {raw!r}")
    return raw in ("true", "1", "yes")


def _fraction(env: Mapping[str, str], key: str, default: float) -> float:
    value = _positive(env, key, default)
    if value >= 1:
        raise RuntimeError(f"{key} must be between 0 and 1, got {value}")
    return value


def _positive(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key) or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise RuntimeError(f"{key} must be a positive number, got {raw!r}")
    return value
