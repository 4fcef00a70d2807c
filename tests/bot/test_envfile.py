import stat

import pytest

from ground.envfile import GENERATED, ensure_env_file, parse_env


def test_parse_env_reads_pairs_and_rejects_garbage():
    assert parse_env("# c\nA=1\nexport B = 'two words'\n\nC=\n") == {"A": "1", "B": "two words", "C": ""}
    with pytest.raises(ValueError):
        parse_env("not a pair")


def test_first_run_generates_secrets_and_keeps_them(tmp_path):
    example, target = tmp_path / ".env.example", tmp_path / ".env"
    example.write_text(f"# doc\nRASA_TOKEN={GENERATED}\nRASA_PORT=5005\n")
    assert ensure_env_file(example, target) == ["RASA_TOKEN", "RASA_PORT"]
    first = parse_env(target.read_text())
    assert len(first["RASA_TOKEN"]) >= 40 and first["RASA_PORT"] == "5005"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # a second run changes nothing; a new key in the example is added, old secrets stay
    assert ensure_env_file(example, target) == []
    example.write_text(example.read_text() + f"NEW_SECRET={GENERATED}\n")
    assert ensure_env_file(example, target) == ["NEW_SECRET"]
    second = parse_env(target.read_text())
    assert second["RASA_TOKEN"] == first["RASA_TOKEN"]
    assert second["NEW_SECRET"] not in (GENERATED, first["RASA_TOKEN"])


def test_a_renamed_key_keeps_the_installations_value(tmp_path):
    example, target = tmp_path / ".env.example", tmp_path / ".env"
    target.write_text("FOLLOW_UP_QUIET_HOURS=off\nFOLLOW_UP_DAYS=2,5,20\n")
    example.write_text("AFTERCARE_QUIET_HOURS=21:00-08:00\nAFTERCARE_DAYS=3,7,30\n"
                       "AFTERCARE_TIMEZONE=Europe/London\n")
    assert ensure_env_file(example, target) == ["AFTERCARE_QUIET_HOURS", "AFTERCARE_DAYS",
                                                "AFTERCARE_TIMEZONE"]
    values = parse_env(target.read_text())
    assert (values["AFTERCARE_QUIET_HOURS"], values["AFTERCARE_DAYS"]) == ("off", "2,5,20")
    assert values["AFTERCARE_TIMEZONE"] == "Europe/London"  # never set: the example's default


def test_secrets_differ_between_installations(tmp_path):
    tokens = set()
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / ".env.example").write_text(f"RASA_TOKEN={GENERATED}\n")
        ensure_env_file(folder / ".env.example", folder / ".env")
        tokens.add(parse_env((folder / ".env").read_text())["RASA_TOKEN"])
    assert len(tokens) == 2


def test_example_documents_every_setting_the_code_reads():
    from pathlib import Path
    import re

    root = Path(__file__).resolve().parents[2]
    documented = set(parse_env((root / ".env.example").read_text()))
    # the settings are read in ground/settings.py; the runtime reads a few more in bot/
    code = "\n".join(p.read_text() for folder in ("bot", "ground")
                     for p in (root / folder).rglob("*.py"))
    read = set(re.findall(r'env(?:iron)?\.get\("([A-Z_]+)"', code)) | set(
        re.findall(r'_(?:port|positive|switch|count|fraction|redis_url|base_url)\(env, "([A-Z_]+)"', code))
    assert {"DATABASE_URL", "REDIS_URL", "GATEWAY_PORT"} <= read  # the check finds them
    assert read <= documented, f"undocumented settings: {read - documented}"
