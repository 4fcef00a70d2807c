"""A typed correction of the 5W1H sheet that the model did not read as one
(bot/policies/sheet_corrections.py): the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet

from bot.policies.sheet_corrections import SheetCorrectionPolicy
from tests.bot.policies.written_predictions import predicted, said_after
from tests.product import CustomerClient, RunningProcess


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(SheetCorrectionPolicy, tmp_path, domain, events)


def _after_the_sheet(text: str, intent: str) -> List[Event]:
    return said_after("utter_needs_sheet", text, intent, 0.5)


def test_a_correction_read_as_a_fallback_runs_the_correction(tmp_path: Path, rasa_domain: Domain) -> None:
    said = _after_the_sheet("the where is wrong, it's St Mary's Primary in York", "nlu_fallback")
    assert _predicted(tmp_path, rasa_domain, said) == "action_correct_need"
    assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted("action_correct_need")]) == "needs_form"


@pytest.mark.parametrize("text, intent", [
    ("no, april not march", "deny"), ("its 50 not 40 actually", "affirm"),
    ("budget is 3k not 2k", "inform"), ("who should say reception staff and dentists, 14 people", "nlu_fallback"),
])
def test_a_value_replaced_on_the_sheet_runs_the_correction(tmp_path: Path, rasa_domain: Domain,
                                                           text: str, intent: str) -> None:
    """A customer run: "no, april not march" asked which part to change (a "no" to the
    sheet), "its 50 not 40 actually" showed the sheet again with 40, "budget is 3k not 2k"
    asked the How again."""
    sheet = [SlotSet("need_what", "about 40 desk lamps"), SlotSet("need_when", "by march"),
             SlotSet("need_how", "budget about 2k"), SlotSet("need_who", "the design team")]
    assert _predicted(tmp_path, rasa_domain, sheet + _after_the_sheet(text, intent)) == "action_correct_need"


@pytest.mark.parametrize("text, intent", [
    ("how long till someone gets back to me?", "nlu_fallback"),  # names "how", corrects nothing
    ("the where is wrong, it's York", "correct_need"),  # the rules' to read
    ("do you deliver to York?", "ask_shipping"),
])
def test_other_replies_are_left_to_the_rules(tmp_path: Path, rasa_domain: Domain, text: str, intent: str) -> None:
    assert _predicted(tmp_path, rasa_domain, _after_the_sheet(text, intent)) is None


_SHEET = [SlotSet("need_what", "40 Atlas office chairs"), SlotSet("need_why", "a second floor opens"),
          SlotSet("need_when", "by end of january"), SlotSet("need_where", "Bristol"),
          SlotSet("need_who", "40 freelancers"), SlotSet("need_how", "bulk deal")]


@pytest.mark.parametrize("text, intent, predicted", [
    # a customer run: it fell back, and "Something else" handed the customer over
    ("delivered and assembled if possible, we'd pay by invoice", "nlu_fallback", "action_correct_need"),
    ("we'd pay by invoice", "request_invoice", "action_correct_need"),
    # a customer run: the shop's own contact channels, and the sheet unchanged
    ("please also add that the contact email is office@glantaf.example", "ask_contact_channels",
     "action_correct_need"),
    ("what's your email address?", "ask_contact_channels", None),
    # a question to the shop, or a new value for a line that does not gather, is no addition
    ("can we pay by invoice", "nlu_fallback", None),
    ("we need them by march", "nlu_fallback", None),
    ("do you deliver to York?", "ask_shipping", None),
])
def test_words_that_add_to_the_sheet_run_the_correction(tmp_path: Path, rasa_domain: Domain,
                                                        text: str, intent: str, predicted: Optional[str]) -> None:
    said = _SHEET + _after_the_sheet(text, intent)
    assert _predicted(tmp_path, rasa_domain, said) == predicted
    if predicted:
        # the live product: the sheet changed by the correction no longer read as an addition,
        # and the fallback answered "Sorry, I didn't quite get that" instead of the sheet
        corrected = [ActionExecuted(predicted), SlotSet("need_how", f"bulk deal; {text}")]
        assert _predicted(tmp_path, rasa_domain, said + corrected) == "needs_form"


def test_a_typed_correction_of_the_sheet_is_made(product: RunningProcess) -> None:
    """A customer run: "the where is wrong, it's St Mary's Primary in York" got "Could you tell
    me in a few words what you need?", and the request was lost."""
    customer = CustomerClient(product.gateway_url)
    customer.say("I'd like a custom order: 10 photo frames with our logo for a school")
    for answer in ("for the school reception", "by march", "Leeds", "the head teacher decides"):
        customer.say(answer)
    assert "Where: Leeds" in customer.say("no preference")
    corrected = customer.say("the where is wrong, it's St Mary's Primary in York")
    assert "Where: St Mary's Primary in York" in corrected and "Is that all correct?" in corrected
    # a later run: "the budget is wrong" became the How ("budget is wrong"), after "I'm sorry
    # about this"; the How is asked again
    asked = customer.say("the budget is wrong")
    assert "Anything about how it should be done?" in asked and "sorry" not in asked.lower(), asked
    assert "How: about £300" in customer.say("about £300")  # the answer as written


def test_two_corrections_in_one_message_in_the_running_product(product: RunningProcess) -> None:
    """A customer run: "the date moved to the 19th and it's 60 purifiers now" at the sheet gave
    "When: 60 purifiers now"; the date was lost and the What still said 50."""
    customer = CustomerClient(product.gateway_url)
    customer.say("We need 50 Breeze air purifiers for our school in Norwich by 4 September because of "
                 "allergies. About 400 pupils will use them, and we'd pay by purchase order.")
    sheet = customer.say("no preference")
    if "Is that all correct?" not in sheet:
        sheet = customer.say("nothing else")
    assert "Is that all correct?" in sheet, sheet
    corrected = customer.say("the date moved to the 19th and it's 60 purifiers now")
    assert "What: 60 Breeze air purifiers" in corrected and "When: the 19th" in corrected, corrected


@pytest.mark.parametrize("text", [
    "How: we'll pay by purchase order", "how: budget about 5k", "the how should say we'll pay by purchase order",
])
def test_a_line_written_as_the_sheet_shows_it_runs_the_correction(tmp_path: Path, rasa_domain: Domain,
                                                                  text: str) -> None:
    """A customer run: "How: budget about 5k" at the sheet fell back, and "Something else"
    after the buttons handed the customer over."""
    assert _predicted(tmp_path, rasa_domain, _after_the_sheet(text, "nlu_fallback")) == "action_correct_need"


def test_the_buttons_titles_typed_do_what_the_buttons_do(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "Change something" typed at the sheet fell back; "why" typed to "Which
    part should I change?" fell back, and "Why" then handed the customer over."""
    assert _predicted(tmp_path, rasa_domain, _after_the_sheet("Change something", "nlu_fallback")) == \
        "utter_needs_which_field"
    for field in ("why", "When", "the how"):
        which = said_after("utter_needs_which_field", field, "nlu_fallback", 0.5)
        assert _predicted(tmp_path, rasa_domain, which) == "action_correct_need", field
    # a bare "why?" to the sheet asks something; it is no correction
    assert _predicted(tmp_path, rasa_domain, _after_the_sheet("why?", "nlu_fallback")) is None


def test_a_line_written_with_a_business_word_is_corrected_not_handed_over(product: RunningProcess) -> None:
    """A customer run: "How: we'll pay by purchase order" at the sheet was a business contract
    for a person (the team away until the morning), and the request was never filed; "yep
    thats it cheers" was thanked, and nothing was filed either."""
    customer = CustomerClient(product.gateway_url)
    customer.say("I'd like a quote for 12 Atlas office chairs for our Manchester office by the end of January")
    sheet = ""
    for answer in ("for the new hot desks", "the owner decides", "nothing special", "no preference"):
        sheet = customer.say(answer)
        if "Is that all correct?" in sheet:
            break
    assert "Is that all correct?" in sheet, sheet
    corrected = customer.say("How: we'll pay by purchase order")
    assert "How: we'll pay by purchase order" in corrected and "passing you to a person" not in corrected, corrected
    which = customer.say("Change something")
    assert "Which part should I change?" in which, which
    assert "What problem should this solve" in customer.say("why")
    again = customer.say("for the new hot desks on the second floor")
    assert "Why: for the new hot desks on the second floor" in again, again
    filed = customer.say("yep thats it cheers")
    assert "REQ-" in filed and "welcome" not in filed.lower(), filed
