"""After the website answer: a reply saying the site works now ends there; anything else goes
to a person."""

from __future__ import annotations

import pytest

from actions.website import ActionWebsiteReply, works_now
from tests.conftest import make_tracker


@pytest.mark.parametrize("text", ["it's working now", "it works now", "working again now", "all sorted thanks",
                                  "fixed it", "its loading fine now", "ok it's back up", "yep that worked"])
def test_a_site_that_works_now_is_read_as_working(text):
    assert works_now(text)


@pytest.mark.parametrize("text", ["still not working", "it doesn't work", "nope still broken", "same error",
                                  "it's not loading", "the app still crashes", "my email is bob@example.com",
                                  "I bought the Cove Bluetooth Speaker", "it worked for a second then froze",
                                  "it wont load", "no good", "still stuck on the loading screen", "yes please",
                                  "yes", "ok will do", ""])
def test_anything_else_is_not(text):
    assert not works_now(text)


@pytest.mark.parametrize("text, responses, fixed", [
    ("it's working now", ["utter_website_working"], True),
    ("still not working", [], False),
])
async def test_the_reply_sets_what_the_rules_follow(domain, make_dispatcher, text, responses, fixed):
    tracker = make_tracker(text=text, intent="inform", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionWebsiteReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == responses
    assert [(e["name"], e["value"]) for e in events] == [("website_fixed", fixed)]
