"""The scaled profile's settings (bot/runtime/scaled.py), without starting it: every
process finds the engines and the balancers, and the gateways know each Rasa server by
its own address, so that an activated model reaches all of them (trainer/hot_swap.py)."""

from __future__ import annotations

from bot.runtime.scaled import Layout, scaled_settings, shared_environment
from ground.settings import Settings


def test_the_gateways_know_every_rasa_server_and_the_balancers() -> None:
    base = Settings.from_env({"RASA_TOKEN": "t", "RASA_PORT": "5005", "ACTION_PORT": "5055"})
    layout = Layout(2, 15432, 16379, [18001, 18002], [15001, 15002], [15501, 15502])
    settings = scaled_settings(base, layout)
    env = shared_environment(settings, {})
    assert env["RASA_URL"] == "http://127.0.0.1:5005"  # nginx, for the customers' turns
    assert env["ACTION_URL"] == "http://127.0.0.1:5055"
    assert env["RASA_SERVER_URLS"] == "http://127.0.0.1:15001,http://127.0.0.1:15002"
    assert Settings.from_env(env).rasa_server_urls == ("http://127.0.0.1:15001",
                                                       "http://127.0.0.1:15002")
    assert env["REDIS_URL"] == layout.redis_url and env["TRACKER_DB_URL"] == layout.tracker_url
