"""Typed replies to a yes/no question about a change (actions/confirmation_replies.py)."""

from __future__ import annotations

import pytest

from actions.confirmation_replies import confirmation_answer


@pytest.mark.parametrize("text, expected", [
    ("actually no wait don't cancel it", False),
    ("hold on, leave it for now, I'll think about it", False),
    ("I've changed my mind, keep the order", False),
    ("please don't", False),
    ("nah", False),
    ("no, cancel it", None),  # says both: asked again, nothing changes on a guess
    ("yes, I don't want it anymore", True),
    ("just cancel it, I don't need it any more", True),
    ("please cancel it now, I can't wait any longer", True),
    ("yes do it, I don't care", True),
    # doubt is asked again (a customer run: "not sure" and "idk" ended the task, and "ok...",
    # "k?" cancelled an order)
    ("not sure", None), ("idk", None), ("hmm", None), ("ok...", None), ("k?", None), ("okay...?", None),
    ("ok", True), ("hmm ok", True),
    ("hmm actually yes please cancel it", True),
    ("yes cancel it", True),
    ("yeah do it", True),
    ("go ahead", True),
    ("sure, why not", True),
    ("yes... no actually", None),
    ("yes, no wait", None),
    ("Yes. Actually no.", None),
    ("yeah nah", False),
    # a customer run: the "ok" that takes the no in read as a yes, and the question asked twice more
    ("ok keep it then. so if it arrives can i return just one of them?", False), ("okay, don't cancel", False),
    ("hmm no not yet. i'll wait till the order arrives", False),
    # a later run, at the account's closure: asked again
    ("ok fine, keep it open then", False), ("fine, ok, leave it", False),
    ("yes but only the kettle not the rest", None),
    ("yes if I get my money back today", None),
    # a yes taken back: asked again, nothing cancelled (the model read each as affirm)
    ("yes wrong order sorry, i meant my other one", None),
    ("yes, not that one though", None),
    ("yes - oh hang on, wrong order", None),
    ("yes? will i get the money back tho", None),
    ("what about the refund?", None),
    ("is there a fee?", None),
    ("HG-100001", None),
    # a reason to cancel that opens with "no" kept the order; beside "changed my mind" it is
    # asked again, and alone it is a yes
    ("no longer need it, changed my mind about the lamps", None),
    ("no longer need it", True),
])
def test_typed_replies(text, expected):
    assert confirmation_answer(text) is expected


def test_the_intent_decides_only_words_that_say_neither():
    assert confirmation_answer("/affirm", "affirm") is True
    assert confirmation_answer("/deny", "deny") is False
    assert confirmation_answer("yes... no actually", "affirm") is None  # the model read a yes


def test_a_yes_that_only_hesitates_is_no_plain_yes():
    """A customer run: "ok..." and "okay...?" to the 5W1H sheet filed it (3 of 3)."""
    from actions.confirmation_replies import after_a_plain_yes

    assert [after_a_plain_yes(text) for text in ("ok...", "okay...?", "k?")] == [None, None, None]
    assert after_a_plain_yes("yes. how long till someone gets back to me?") == "how long till someone gets back to me?"
    assert after_a_plain_yes("ok") == ""
    # a customer run: "yep thats it cheers" and "all good cheers" to the sheet were thanked
    assert [after_a_plain_yes(t) for t in ("yep thats it cheers", "all good cheers", "perfect thanks")] == ["", "", ""]
    # thanks alone, or a yes with a change, is no plain yes
    assert [after_a_plain_yes(t) for t in ("thanks", "cheers mate", "yes but change the when")] == [None, None, None]
