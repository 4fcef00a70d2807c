import pytest

from bot.settings import Settings


def test_defaults_are_embedded_sqlite_and_localhost():
    settings = Settings.from_env({"RASA_TOKEN": "t"})
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("var/caredesk.db")
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.action_server_url == "http://127.0.0.1:5055/webhook"


def test_environment_overrides_and_bad_ports_are_refused():
    settings = Settings.from_env({"RASA_TOKEN": "t", "DATABASE_URL": "postgresql://db/x", "RASA_PORT": "6000"})
    assert settings.database_url == "postgresql://db/x" and settings.rasa_port == 6000
    with pytest.raises(RuntimeError, match="RASA_PORT"):
        Settings.from_env({"RASA_TOKEN": "t", "RASA_PORT": "http"})
