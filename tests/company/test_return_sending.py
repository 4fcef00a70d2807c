"""Questions about sending a return back (company/return_sending.py)."""

from __future__ import annotations

import pytest

from company.return_sending import asks_how_a_return_is_sent


@pytest.mark.parametrize("text, asks", [
    # a customer run, where the return was to be confirmed
    ("do i have to pay for postage? and can i drop it at a post office", True),
    ("does it cost anything to send it back", True),
    ("i dont have a printer for the label", True),
    # a collection from the door is another section's
    ("can a courier collect it from my house instead of me going to the post office?", False),
    ("how long until i get my money back", False),
])
def test_a_question_about_sending_a_return(text, asks) -> None:
    assert asks_how_a_return_is_sent(text) is asks
