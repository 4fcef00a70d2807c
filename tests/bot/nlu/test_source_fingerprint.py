"""A change to a custom component's code (or to the project code it runs) retrains it."""

from pathlib import Path

import pytest
import yaml
from rasa.shared.utils.common import class_from_module_path

from bot.nlu import source_fingerprint
from bot.nlu.source_fingerprint import project_sources, source_digest

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _custom_components() -> list:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    names = [part["name"] for part in config["pipeline"] + config["policies"]]
    return [class_from_module_path(name) for name in names if name.startswith("bot.")]


@pytest.fixture()
def package(tmp_path: Path) -> Path:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "component.py").write_text("from shop import words\nimport numpy\n")
    (tmp_path / "shop" / "words.py").write_text("from shop.deeper import LIST\n")
    (tmp_path / "shop" / "deeper.py").write_text("LIST = ['a']\n")
    (tmp_path / "shop" / "unrelated.py").write_text("X = 1\n")
    return tmp_path


def test_the_sources_are_the_module_and_the_project_modules_it_reaches(package: Path) -> None:
    assert set(project_sources("shop.component", package)) == {
        "shop", "shop.component", "shop.words", "shop.deeper"}


def test_a_change_in_an_indirectly_imported_module_changes_the_digest(package: Path) -> None:
    before = source_digest("shop.component", package)
    (package / "shop" / "unrelated.py").write_text("X = 2\n")
    assert source_digest("shop.component", package) == before
    (package / "shop" / "deeper.py").write_text("LIST = ['a', 'b']\n")
    assert source_digest("shop.component", package) != before


@pytest.mark.parametrize("component", _custom_components(), ids=lambda c: c.__name__)
def test_every_custom_component_in_config_is_fingerprinted_by_its_code(
    component: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = {**component.get_default_config()} if hasattr(component, "get_default_config") else {}
    monkeypatch.setattr(source_fingerprint, "_cached_digest", lambda module: "old code")
    old = component.fingerprint_addon(config)
    monkeypatch.setattr(source_fingerprint, "_cached_digest", lambda module: "new code")
    assert component.fingerprint_addon(config) != old
