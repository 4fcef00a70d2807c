"""After the website answer: a reply saying the site works now, that the customer tries the fixes
first, or a plain no ends there; anything else goes to a person."""

from __future__ import annotations

import pytest

from actions.website import DECLINED, TRYING, WORKS, ActionWebsiteReply, reply_answer, works_now
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


@pytest.mark.parametrize("text, intent, answer", [
    ("it's working now", "inform", WORKS),
    ("yep that worked", "affirm", WORKS),
    ("ok will do", "affirm", TRYING),
    ("I'll try that", "inform", TRYING),
    ("thanks, let me try again", "affirm", TRYING),
    ("", "deny", DECLINED),  # the "No, I'll try again" button
    ("no thanks", "deny", DECLINED),
    ("no I'll try again later", "deny", DECLINED),
    # a no that says the fixes did not help is no plain "no thanks"
    ("no, that didn't help", "deny", None),
    ("no that didn't work", "deny", None),
    ("nope still the same", "deny", None),
    ("no I want to talk to someone", "deny", None),
    # trying, but still broken or asking for a person
    ("I'll try but it still won't load", "inform", None),
    ("will do, but can I speak to someone too", "affirm", None),
    ("", "affirm", None),  # the "Yes, pass me to a person" button
    ("yes please", "affirm", None),
    ("still not working", "inform", None),
])
def test_a_reply_is_settled_or_goes_to_a_person(text, intent, answer):
    assert reply_answer(text, intent) == answer


@pytest.mark.parametrize("text, intent, responses, needs_person", [
    ("it's working now", "inform", ["utter_website_working"], False),
    ("ok will do", "affirm", ["utter_website_trying"], False),
    ("no thanks", "deny", ["utter_ok_anything_else"], False),
    ("no, that didn't help", "deny", [], True),
    ("still not working", "inform", [], True),
])
async def test_the_reply_sets_what_the_rules_follow(domain, make_dispatcher, text, intent, responses,
                                                    needs_person):
    tracker = make_tracker(text=text, intent=intent, domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionWebsiteReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == responses
    assert [(e["name"], e["value"]) for e in events] == [("website_needs_person", needs_person)]
