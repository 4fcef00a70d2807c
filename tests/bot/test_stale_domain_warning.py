"""`make run` warns when the active model version lacks responses the checkout's code names:
a new handoff opening (condolences, say) would otherwise be dropped by Rasa without a word."""

from __future__ import annotations

from pathlib import Path

from bot.runtime.supervisor import stale_domain_warning
from tests.trainer.test_model_domain import checkout, model_file


def test_the_warning_names_what_the_active_model_lacks_and_the_version_to_activate(tmp_path: Path) -> None:
    domain = checkout(tmp_path)
    old = model_file(tmp_path, {"utter_greet": [{"text": "hi"}], "utter_handoff_safety": [{"text": "999"}]})
    warning = stale_domain_warning(old, domain, build=2)
    assert warning is not None
    assert "lacks 1 response(s)" in warning and "utter_handoff_condolences" in warning
    assert 'make trainer ARGS="activate 2"' in warning


def test_no_warning_when_the_model_lacks_nothing(tmp_path: Path) -> None:
    domain = checkout(tmp_path)
    current = model_file(tmp_path, {"utter_greet": [{}], "utter_handoff_safety": [{}],
                                    "utter_handoff_condolences": [{}]})
    assert stale_domain_warning(current, domain, build=2) is None


def test_a_model_file_that_cannot_be_read_is_said_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a model")
    warning = stale_domain_warning(broken, checkout(tmp_path), build=2)
    assert warning is not None and warning.startswith("Could not compare")
