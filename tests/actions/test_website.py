"""After the website answer: a reply saying the site works now, that the customer tries the fixes
first, or a plain no ends there; anything else goes to a person (and after trying, an "ok"
waits on)."""

from __future__ import annotations

import pytest

from actions.website import DECLINED, TRYING, WAITING, WORKS, ActionWebsiteReply, reply_answer, works_now
from tests.conftest import make_tracker


@pytest.mark.parametrize("text", ["it's working now", "it works now", "working again now", "all sorted thanks",
                                  "fixed it", "its loading fine now", "ok it's back up", "yep that worked",
                                  "no need, it's working now", "nope, fixed it", "no need its working", "fine now"])
def test_a_site_that_works_now_is_read_as_working(text):
    assert works_now(text)


@pytest.mark.parametrize("text", ["still not working", "it doesn't work", "nope still broken", "same error",
                                  "it's not loading", "the app still crashes", "my email is bob@example.com",
                                  "I bought the Cove Bluetooth Speaker", "it worked for a second then froze",
                                  "it wont load", "no good", "still stuck on the loading screen", "yes please",
                                  "yes", "ok will do", "", "nah it's fine",
                                  # more than the site: a person should look
                                  "it loads fine but checkout fails", "working now but I was charged twice",
                                  "fine, pass me on"])
def test_anything_else_is_not(text):
    assert not works_now(text)


@pytest.mark.parametrize("text, intent, answer", [
    ("it's working now", "inform", WORKS),
    ("yep that worked", "affirm", WORKS),
    ("no, it's working now", "deny", WORKS),
    ("no need, fixed it", "deny", WORKS),
    ("ok will do", "affirm", TRYING),
    ("I'll try that", "inform", TRYING),
    ("thanks, let me try again", "affirm", TRYING),
    ("", "deny", DECLINED),  # the "No, I'll try again" button
    ("no", "deny", DECLINED),
    ("no thanks", "deny", DECLINED),
    ("nah it's fine", "deny", DECLINED),
    ("no I'll try again later", "deny", DECLINED),
    # a no that says more than no: the fixes did not help, and "anything else?" would be wrong
    ("no, that didn't help", "deny", None),
    ("no that didn't work", "deny", None),
    ("nope still the same", "deny", None),
    ("no I want to talk to someone", "deny", None),
    ("no it didn't", "deny", None),
    ("no, tried that", "deny", None),
    ("no i tried that already", "deny", None),
    ("no luck", "deny", None),
    ("no joy", "deny", None),
    ("not really", "deny", None),
    ("no, nothing changed", "deny", None),
    ("not helpful", "deny", None),
    ("no it froze again", "deny", None),
    ("\U0001F44E", "deny", None),
    # trying, but still broken, tried already or asking for a person
    ("I'll try but it still won't load", "inform", None),
    ("will do, but can I speak to someone too", "affirm", None),
    ("will do, but I already tried that", "affirm", None),
    ("", "affirm", None),  # the "Yes, pass me to a person" button
    ("yes please", "affirm", None),
    ("still not working", "inform", None),
    ("working now but I was charged twice", "inform", None),
    ("fine, pass me on", "affirm", None),
])
def test_a_reply_is_settled_or_goes_to_a_person(text, intent, answer):
    assert reply_answer(text, intent) == answer


@pytest.mark.parametrize("text, intent, answer", [
    ("ok", "affirm", WAITING),  # still trying: no person yet
    ("thanks", "affirm", WAITING),
    ("yes", "affirm", None),  # "yes, it still doesn't work"
    ("it still doesn't work", "inform", None),
    ("didnt work", "inform", None),
    ("no luck", "deny", None),
    ("it's working now", "inform", WORKS),
])
def test_after_trying_a_reply_waits_on_or_goes_to_a_person(text, intent, answer):
    assert reply_answer(text, intent, trying=True) == answer


def test_an_ok_before_trying_is_a_yes_to_a_person():
    assert reply_answer("ok", "affirm") is None


@pytest.mark.parametrize("text, intent, before, responses, reply", [
    ("it's working now", "inform", None, ["utter_website_working"], "works"),
    ("ok will do", "affirm", None, ["utter_website_trying"], "trying"),
    ("ok", "affirm", "trying", ["utter_website_waiting"], "trying"),
    ("no thanks", "deny", None, ["utter_ok_anything_else"], "declined"),
    ("no, that didn't help", "deny", None, [], "person"),
    ("still not working", "inform", "trying", [], "person"),
])
async def test_the_reply_sets_what_the_rules_follow(domain, make_dispatcher, text, intent, before, responses,
                                                    reply):
    tracker = make_tracker(text=text, intent=intent, domain=domain, slots={"website_reply": before})
    dispatcher = make_dispatcher(tracker)
    events = await ActionWebsiteReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == responses
    assert [(e["name"], e["value"]) for e in events] == [("website_reply", reply)]
