"""What stops `make run` before anything starts (bot/runtime/supervisor.py)."""

from __future__ import annotations

from dataclasses import replace

from bot.runtime.supervisor import cannot_start
from ground.settings import Settings


def test_support_hours_that_cannot_be_read_stop_the_start_with_the_reason(tmp_path):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model")
    settings = replace(Settings.from_env({}), rasa_token="token", action_server_secret="secret",
                       support_hours="weekdays 8 till 8")
    refusal = cannot_start(settings, model, "make run")
    assert refusal is not None and "SUPPORT_HOURS" in refusal and "mon-fri 08:00-20:00" in refusal
