"""Reviewed examples go into data/nlu/reviewed.yml without duplicates, and the training
data stays valid for `rasa data validate` (on a copy of the project)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from trainer.training_data import REVIEWED_NLU, TrainingData, TrainingDataError


def test_an_example_is_written_once_under_its_intent(project_copy: Path) -> None:
    data = TrainingData(project_copy)
    written = data.add("order_status", "has [HG-100000](order_number) left the warehouse yet")
    assert written.added and not written.new_intent
    again = data.add("order_status", "Has  [HG-100000](order_number) left the warehouse yet")
    assert not again.added
    document = yaml.safe_load((project_copy / REVIEWED_NLU).read_text())
    assert document["nlu"] == [{"intent": "order_status", "examples":
                                "- has [HG-100000](order_number) left the warehouse yet\n"}]


def test_words_labelled_elsewhere_are_refused(project_copy: Path) -> None:
    data = TrainingData(project_copy)
    with pytest.raises(TrainingDataError) as refused:
        data.add("deny", "great service")  # an example of give_feedback in data/nlu/handoff.yml
    assert refused.value.status == 409 and "give_feedback" in refused.value.message
    assert not data.add("give_feedback", "great service").added  # already there: nothing to do


def test_unknown_intents_need_to_be_created_on_purpose(project_copy: Path) -> None:
    data = TrainingData(project_copy)
    with pytest.raises(TrainingDataError) as refused:
        data.add("gift_cards", "do you sell gift cards")
    assert refused.value.status == 422
    with pytest.raises(TrainingDataError):
        data.add("Bad Name!", "whatever", create_intent=True)
    with pytest.raises(TrainingDataError) as exists:
        data.add("order_status", "where's my stuff then", create_intent=True)
    assert exists.value.status == 409


def test_a_new_intent_keeps_the_data_valid_for_rasa(project_copy: Path) -> None:
    data = TrainingData(project_copy)
    assert data.add("gift_cards", "do you sell gift cards", create_intent=True).new_intent
    data.add("gift_cards", "can I buy a voucher for my sister")
    data.add("order_status", "any news on [HG-100000](order_number)")
    assert "gift_cards" in data.known_intents()
    rules = yaml.safe_load((project_copy / "data/rules/reviewed.yml").read_text())["rules"]
    assert rules[0]["steps"] == [{"intent": "gift_cards"}, {"action": "action_handoff"}]
    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run(
        [str(rasa), "data", "validate", "--config", "config.yml", "--domain", "domain",
         "--data", "data", "--fail-on-warnings"],
        cwd=project_copy, capture_output=True, text=True, timeout=300,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
