"""A thank-you or goodbye that asks something as well is not a goodbye."""

import pytest

from bot.nlu.leave_taking import asks_as_well


@pytest.mark.parametrize("text", [
    "ok what about next day",
    "thanks, what about next day",
    "ok and next day?",
    "ok bye what about tomorrow",
    "thanks! when will it come",
    "cheers. how do i send it back",
    "whats next day delivery cost thanks",
])
def test_a_question_beside_the_thanks_or_goodbye(text):
    assert asks_as_well(text)


@pytest.mark.parametrize("text", [
    "bye?",
    "will do, bye",
    "what a star, bye",
    "that's just what I needed, thanks",
    "thank you, that's exactly what I needed",
    "thanks how kind",
    "ok thanks bye",
    "thanks so much!!",
    # from a review: exclamations and a clause of time
    "thank you so much, how amazing",
    "aw thanks how sweet of you",
    "cheers, how good is that",
    "thanks! when it comes I'll leave a review",
    "thanks so much, who knew it was that easy",
])
def test_a_plain_thanks_or_goodbye(text):
    assert not asks_as_well(text)
