"""The activation gate: a model whose intent macro-F1 is lower, or that fails a story test
the active model passes, is refused; an equal or better one passes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trainer.evaluation import IntentScore, Scores
from trainer.gate import judge

STORIES = ["order status (test_orders.yml)", "handoff (test_handoff.yml)"]


def scores(macro_f1: float, failed: tuple = (), test_set: str = "set-1") -> Scores:
    return Scores(macro_f1=macro_f1, accuracy=macro_f1,
                  intents={"order_status": IntentScore(macro_f1, macro_f1, macro_f1, 8)},
                  stories_passed=[s for s in STORIES if s not in failed],
                  stories_failed=list(failed), test_set=test_set, heldout_examples=8)


def test_an_equal_or_better_model_passes() -> None:
    assert judge(scores(0.92), scores(0.92)).passed
    assert judge(scores(0.95), scores(0.92)).passed
    assert judge(scores(0.92), None).passed


def test_a_lower_macro_f1_is_refused() -> None:
    verdict = judge(scores(0.9150), scores(0.9200))
    assert not verdict.passed
    assert verdict.reasons == ["intent macro-F1 0.915 is lower than the active model's 0.920"]
    assert not judge(scores(0.9199), scores(0.9200)).passed


def test_a_story_that_newly_fails_is_refused_even_with_better_f1() -> None:
    verdict = judge(scores(0.99, failed=(STORIES[1],)), scores(0.90))
    assert not verdict.passed
    assert verdict.reasons == [f"story test fails (passes with the active model): {STORIES[1]}"]


def test_a_story_that_already_failed_is_not_held_against_the_candidate() -> None:
    assert judge(scores(0.92, failed=(STORIES[0],)), scores(0.92, failed=(STORIES[0],))).passed


def test_scores_from_different_test_sets_are_not_compared() -> None:
    with pytest.raises(ValueError):
        judge(scores(0.92), replace(scores(0.92), test_set="set-2"))


def test_scores_survive_their_json_form() -> None:
    original = scores(0.91, failed=(STORIES[0],))
    assert Scores.from_json(original.to_json()) == original
