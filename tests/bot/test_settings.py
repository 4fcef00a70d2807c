import pytest

from ground.settings import Settings, environment


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


def test_gateway_settings_and_telegram_switch():
    settings = Settings.from_env({"RASA_TOKEN": "t", "GATEWAY_PORT": "9090", "RASA_TIMEOUT_SECONDS": "2.5"})
    assert settings.gateway_url == "http://localhost:9090" and settings.rasa_timeout_seconds == 2.5
    assert not settings.telegram_enabled
    assert Settings.from_env({"RASA_TOKEN": "t", "TELEGRAM_BOT_TOKEN": "1:abc"}).telegram_enabled
    for bad in ("0", "-1", "soon"):
        with pytest.raises(RuntimeError, match="RASA_TIMEOUT_SECONDS"):
            Settings.from_env({"RASA_TOKEN": "t", "RASA_TIMEOUT_SECONDS": bad})


def test_redis_is_off_by_default_and_must_be_a_redis_url():
    assert Settings.from_env({"RASA_TOKEN": "t"}).redis_url == ""
    on = Settings.from_env({"RASA_TOKEN": "t", "REDIS_URL": " redis://127.0.0.1:6379/0 "})
    assert on.redis_url == "redis://127.0.0.1:6379/0"
    for bad in ("127.0.0.1:6379", "http://redis"):
        with pytest.raises(RuntimeError, match="REDIS_URL"):
            Settings.from_env({"RASA_TOKEN": "t", "REDIS_URL": bad})


def test_the_scaled_profiles_addresses_default_to_this_machine():
    default = Settings.from_env({"RASA_TOKEN": "t", "TRACKER_DB_PATH": "/data/tracker.db"})
    assert default.tracker_db_url == "sqlite:////data/tracker.db" and default.scale == 2
    assert default.action_health_url == "http://127.0.0.1:5055/health"
    elsewhere = Settings.from_env({
        "RASA_TOKEN": "t", "TRACKER_DB_URL": "postgresql+psycopg2://caredesk@db:5432/tracker",
        "RASA_URL": "http://rasa-lb:5005/", "ACTION_URL": "https://actions-lb", "SCALE": "3"})
    assert elsewhere.tracker_db_url == "postgresql+psycopg2://caredesk@db:5432/tracker"
    assert elsewhere.rasa_url == "http://rasa-lb:5005"
    assert elsewhere.action_server_url == "https://actions-lb/webhook"
    assert elsewhere.action_health_url == "https://actions-lb/health" and elsewhere.scale == 3
    # a model is loaded into each Rasa server by its own address; one server: the Rasa URL
    assert default.rasa_server_urls == ("http://127.0.0.1:5005",)
    assert elsewhere.rasa_server_urls == ("http://rasa-lb:5005",)
    assert Settings.from_env({"RASA_TOKEN": "t", "RASA_SERVER_URLS": " http://r1:5005/, http://r2:5005 ,"}
                             ).rasa_server_urls == ("http://r1:5005", "http://r2:5005")
    for key, bad in (("RASA_URL", "rasa-lb:5005"), ("ACTION_URL", "ftp://x"), ("SCALE", "0"),
                     ("RASA_SERVER_URLS", "http://r1:5005,r2:5005")):
        with pytest.raises(RuntimeError, match=key):
            Settings.from_env({"RASA_TOKEN": "t", key: bad})


def test_the_public_address_defaults_to_the_gateway_s_own():
    assert Settings.from_env({"RASA_TOKEN": "t", "GATEWAY_PORT": "8099"}).public_url == "http://localhost:8099"
    assert Settings.from_env({"RASA_TOKEN": "t", "PUBLIC_URL": "https://help.example.com/"}
                             ).public_url == "https://help.example.com"
    for bad in ("help.example.com", "https://", "https://help.example.com/?x=1",
                "https://help.example.com/#top", "https://user@help.example.com"):
        with pytest.raises(RuntimeError, match="PUBLIC_URL"):
            Settings.from_env({"RASA_TOKEN": "t", "PUBLIC_URL": bad})
    assert Settings.from_env({"RASA_TOKEN": "t", "PUBLIC_URL": "https://example.com/support"}
                             ).public_url == "https://example.com/support"


def test_a_renamed_setting_in_the_real_environment_is_refused_not_ignored(tmp_path):
    (tmp_path / ".env").write_text("AFTERCARE_DAYS=3,7,30\nFOLLOW_UP_DAYS=3,7,30\n")
    # a migrated .env may keep the old line: that is fine
    assert environment(tmp_path, {"AFTERCARE_DAYS": "2,5"})["AFTERCARE_DAYS"] == "2,5"
    with pytest.raises(RuntimeError, match=r"FOLLOW_UP_DAYS \(now AFTERCARE_DAYS\)"):
        environment(tmp_path, {"FOLLOW_UP_DAYS": "1,2"})
