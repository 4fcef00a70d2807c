"""Who is calling: the client's network address, for the limits that count per address.

Behind a reverse proxy (needed for HTTPS and Telegram's webhook) every connection comes
from the proxy, so the real client is read from the proxy's headers, but only as far as
the operator trusts them: Sanic's own settings (PROXIES_COUNT, REAL_IP_HEADER,
FORWARDED_SECRET, set from CareDesk's settings of the same names in `configure`). Without
them, forwarded headers are ignored, so a client cannot pick its own address by sending
one.
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request

from ground.settings import Settings

UNKNOWN = "unknown"


def configure(app: Sanic, settings: Settings) -> None:
    """Tells Sanic which forwarded headers to believe (none unless configured)."""
    app.config.PROXIES_COUNT = settings.proxies_count or None
    app.config.REAL_IP_HEADER = settings.real_ip_header or None
    app.config.FORWARDED_SECRET = settings.forwarded_secret or None


def client_address(request: Request) -> str:
    """The client's address: from the trusted proxy's headers when configured, otherwise
    the connecting peer."""
    return (request.remote_addr or request.ip or UNKNOWN)[:64]
