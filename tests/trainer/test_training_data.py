"""Reviewed examples go into data/nlu/reviewed.yml without duplicates, the training data
stays valid for `rasa data validate` (on a copy of the project), and two processes writing
at the same time (the CLI and the workbench) lose nothing."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from multiprocessing.synchronize import Barrier
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


EXAMPLES_PER_WRITER = 150


def add_examples(root: str, writer: str, start: Barrier) -> None:
    """One writer process (the CLI, say, or the workbench): its own examples, one by one."""
    data = TrainingData(Path(root))
    start.wait(timeout=60)
    for number in range(EXAMPLES_PER_WRITER):
        data.add("order_status", f"writer {writer} asks about parcel {number} zqx")
        if writer == "beta" and number % 10 == 0:  # a new intent too: three files change
            data.add(f"reviewed_{writer}_{number}", f"writer {writer} new topic {number} zqx",
                     create_intent=True)


def test_two_processes_writing_at_once_lose_no_example(tmp_path: Path) -> None:
    # a small project, so that each decision is mostly the read-modify-write of the
    # reviewed files and the two writers meet there often
    (tmp_path / "domain").mkdir()
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "data" / "rules").mkdir()
    (tmp_path / "domain" / "orders.yml").write_text('version: "3.1"\nintents:\n  - order_status\n')
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(2)
    writers = [spawn.Process(target=add_examples, args=(str(tmp_path), name, start))
               for name in ("alpha", "beta")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
    assert [writer.exitcode for writer in writers] == [0, 0]

    data = TrainingData(tmp_path)
    reviewed = data.reviewed()
    expected = {f"writer {name} asks about parcel {number} zqx"
                for name in ("alpha", "beta") for number in range(EXAMPLES_PER_WRITER)}
    assert sorted(expected - set(reviewed["order_status"])) == []
    new_intents = {f"reviewed_beta_{number}" for number in range(0, EXAMPLES_PER_WRITER, 10)}
    assert new_intents <= set(reviewed) and new_intents <= data.known_intents()
    rules = yaml.safe_load((tmp_path / "data/rules/reviewed.yml").read_text())["rules"]
    assert new_intents == {rule["steps"][0]["intent"] for rule in rules}
    # nothing is left behind but the files themselves (and the lock)
    assert [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []
