"""The agent console page (/agent) and its assets; everything it shows comes from the
staff API."""

from __future__ import annotations

from pathlib import Path

from ground.web.static_page import static_page

STATIC = Path(__file__).resolve().parent / "static"

console = static_page("console", "/agent", STATIC, "agent.html")
