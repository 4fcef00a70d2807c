"""What counts as a reply that waits for the customer's answer (conversations/reply_reading.py)."""

import pytest

from conversations.reply_reading import waits_for_an_answer


@pytest.mark.parametrize("text, buttons, waits", [
    ("What's the reason for the return?", None, True),
    ("Pick one.", [{"title": "Yes", "payload": "/affirm"}], True),
    ("HG-100002 is on its way. Anything else I can help with?", None, False),
    ("Done: it's cancelled.", [], False),
    (None, None, False),
])
def test_a_question_or_buttons_wait_for_an_answer(text, buttons, waits):
    assert waits_for_an_answer(text, buttons) is waits
