"""A model file's domain against the checkout's: the responses the code may name that an
older model lacks (Rasa drops those messages without a word)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
import yaml

from trainer.model_domain import MODEL_DOMAIN, checkout_responses, missing_responses, model_responses


def model_file(folder: Path, responses: dict, with_domain: bool = True) -> Path:
    """A model archive laid out as Rasa writes one, holding a domain with `responses`."""
    path = folder / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        files = {"metadata.json": b"{}"}
        if with_domain:
            files[MODEL_DOMAIN] = yaml.safe_dump({"version": "3.1", "responses": responses}).encode()
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def checkout(folder: Path) -> Path:
    domain = folder / "domain"
    domain.mkdir()
    (domain / "core.yml").write_text(yaml.safe_dump({"responses": {"utter_greet": [{"text": "hi"}]}}))
    (domain / "handoff.yml").write_text(yaml.safe_dump({"responses": {
        "utter_handoff_condolences": [{"text": "sorry"}], "utter_handoff_safety": [{"text": "999"}]}}))
    return domain


def test_the_responses_the_checkout_has_and_the_model_lacks(tmp_path: Path) -> None:
    old = model_file(tmp_path, {"utter_greet": [{"text": "hi"}], "utter_handoff_safety": [{"text": "999"}]})
    domain = checkout(tmp_path)
    assert model_responses(old) == {"utter_greet", "utter_handoff_safety"}
    assert checkout_responses(domain) == {"utter_greet", "utter_handoff_condolences", "utter_handoff_safety"}
    assert missing_responses(old, domain) == ["utter_handoff_condolences"]


def test_a_model_trained_from_the_checkout_lacks_nothing(tmp_path: Path) -> None:
    domain = checkout(tmp_path)
    current = model_file(tmp_path, {name: [{"text": "x"}] for name in checkout_responses(domain)})
    assert missing_responses(current, domain) == []


def test_a_file_that_is_no_model_is_said_to_be_one(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="holds no domain"):
        model_responses(model_file(tmp_path, {}, with_domain=False))
