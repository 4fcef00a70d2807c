"""The trainer workbench page (/trainer) and its assets; everything it shows comes from
the trainer API, with the staff login the other staff pages keep."""

from __future__ import annotations

from pathlib import Path

from ground.web.static_page import static_page

STATIC = Path(__file__).resolve().parent / "static"

trainer_page = static_page("trainer_page", "/trainer", STATIC, "trainer.html")
