"""The service report page (/reports) and its assets; everything it shows comes from the
report API, with the staff login the agent console keeps."""

from __future__ import annotations

from pathlib import Path

from ground.web.static_page import static_page

STATIC = Path(__file__).resolve().parent / "static"

report_page = static_page("report_page", "/reports", STATIC, "reports.html")
