"""A message in several clauses: one request among pleasantries is read on its own."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from company.help_articles import MORE_HELP_ARTICLES
from bot.nlu.clauses import (ALSO_ASKED, ALSO_REQUESTED, CLAUSES, COMPANION, MAX_READ_CLAUSES,
                             PREAMBLES, READ_CLAUSE, Clause, ClauseSplitter, about_the_same, help_question_beside, help_questions_apart,
                             other_requests, request_after_preambles, second_request,
                             single_request, split_clauses,
                             as_read, first_of_two_tasks, task_beside_asides, without_clause)
from bot.nlu.fallback import CalibratedFallbackClassifier


@pytest.mark.parametrize("text, clauses", [
    ("Good morning, I hope you're well. Do you deliver to Portugal? Thanks!",
     [Clause("Good morning, I hope you're well.", False), Clause("Do you deliver to Portugal?", False),
      Clause("Thanks!", False)]),
    # a colon announces what follows
    ("my partner wants me to ask this: how can I pay",
     [Clause("my partner wants me to ask this:", True), Clause("how can I pay", False)]),
    # so does a short clause before a dash, but not a longer one
    ("quick one - cancel my order", [Clause("quick one", True), Clause("cancel my order", False)]),
    ("I ordered a lamp last week \u2013 it arrived broken",
     [Clause("I ordered a lamp last week", False), Clause("it arrived broken", False)]),
])
def test_clauses_end_where_the_punctuation_says(text, clauses):
    assert split_clauses(text) == clauses


@pytest.mark.parametrize("text, clauses", [
    # a customer run: the return was lost to the refund question's help article
    ("i want to send back HG-100004, how long does the refund take?",
     [Clause("i want to send back HG-100004,", False), Clause("how long does the refund take?", False)]),
    # a short opening stays with the question
    ("sorry, how do i reset my password", []), ("ok so, where is my order", []),
    ("no thanks, what are your opening hours?", []),
    # no question word after the comma: one clause
    ("i want to send back HG-100004, the lid is cracked", []),
])
def test_a_question_after_a_comma_is_a_clause(text, clauses):
    assert split_clauses(text) == clauses


@pytest.mark.parametrize("text, split", [
    # a customer run: "if i cancel" got the changes an order allows, the plan dropped
    ("if i cancel plus do i lose the extra warranty year on stuff i already bought?", False),
    ("can i join plus and what does it cost", True), ("im on plus do i get free returns", False),
    ("where is my order plus can you send an invoice", True),
    # a review: word endings are no plan's verb; more verbs of a plan
    ("i want to return the cushion plus can you cancel HG-100004", True),
    ("if i cancelled plus do i lose the warranty", False), ("downgrade from plus do i lose it", False),
])
def test_plus_that_names_the_plan_joins_nothing(text, split):
    assert (len(split_clauses(text)) > 1) is split


@pytest.mark.parametrize("text, second", [
    # a customer run: one clause naming two orders, each offered for the first task (4 of 4)
    ("wheres HG-100202 and i also need an invoice for HG-100152 pls", "and i also need an invoice for HG-100152 pls"),
    ("cancel HG-100174 and also email me the invoice for HG-100203", "and also email me the invoice for HG-100203"),
    ("hiya, HG-100111 hasnt come yet and also i need a receipt for HG-100124",
     "and also i need a receipt for HG-100124"),
    # a customer run: read as the invoice alone, the return dropped
    ("can i return HG-100003 and also get an invoice", "and also get an invoice"),
    ("cancel HG-100005 and get my refund", "and get my refund"),
])
def test_an_invoice_asked_beside_another_task_is_a_clause(text, second):
    assert [clause.text for clause in split_clauses(text)][-1] == second
    assert split_clauses("i ordered a lamp and a kettle") == []
    assert split_clauses("i want to get the receipt and have a nice day") == []


@pytest.mark.parametrize("text, clauses", [
    # a customer run: the question was lost in the answer beside it, 8 times in 8
    ("NW1 6XE and what are your opening hours?", ["NW1 6XE", "and what are your opening hours?"]),
    ("m3 4lq, also r u open sunday", ["m3 4lq", "also r u open sunday"]),
    ("EH1 2NG and do you take paypal?", ["EH1 2NG", "and do you take paypal?"]),
    ("where is my order btw how much is delivery", ["where is my order", "btw how much is delivery"]),
    ("can u tell me when HG-100138 arrives, also wat warranty does the kettle have",
     ["can u tell me when HG-100138 arrives", "also wat warranty does the kettle have"]),
    # "and" inside one thing said
    ("fish and chips", []), ("I ordered a lamp and it arrived broken", []),
    ("rock and roll is what I like", []), ("is it black and white or colour", []),
])
def test_a_question_joined_on_is_a_clause_of_its_own(text, clauses):
    assert [c.text for c in split_clauses(text)] == clauses


@pytest.mark.parametrize("text", [
    "where is my order", "Where is my order?", "is HG-100001 on its way", "mail jo-smith@example.org",
    "is 2.5 kg too heavy", "hello!", "  ", "",
])
def test_one_clause_is_no_split(text):
    assert split_clauses(text) == []


PLEASANTRIES = frozenset({"greet", "thanks", "goodbye"})
NOT_REQUESTS = frozenset({"nlu_fallback", "out_of_scope"})


@pytest.mark.parametrize("intents, found", [
    (["greet", "ask_shipping", "thanks"], 1),
    (["ask_payment_methods"], 0),
    (["greet", "thanks"], None),                          # nothing asked
    (["ask_shipping", "order_status"], None),             # two requests: the whole decides
    (["out_of_scope", "ask_shipping"], None),             # context that is no pleasantry
    (["greet", "nlu_fallback"], None),                    # the request not understood
    (["greet", "out_of_scope"], None),
])
def test_a_single_request_among_pleasantries(intents, found):
    assert single_request(intents, PLEASANTRIES, NOT_REQUESTS) == found


@pytest.mark.parametrize("preambles, intents, read, found", [
    (["out_of_scope"], ["newsletter_unsubscribe"], "newsletter_subscribe", 0),  # "My grandson …: take my email off …"
    (["nlu_fallback", "greet"], ["ask_shipping"], "ask_plans", 0),
    (["ask_return_policy"], ["out_of_scope"], "ask_return_policy", None),  # "Question about returns: how long …?"
    (["ask_return_policy"], ["ask_shipping"], "ask_return_policy", None),  # the preamble names the topic
    (["out_of_scope"], ["nlu_fallback"], "ask_shipping", None),   # the clause not understood
    (["out_of_scope"], ["ask_shipping"], "ask_shipping", None),   # read as the whole is
    (["out_of_scope"], ["greet"], "ask_shipping", None),
    ([], ["ask_shipping"], "order_status", None),                 # no preamble
    (["out_of_scope"], ["ask_shipping", "order_status"], "order_status", None),  # two requests
])
def test_the_request_after_a_preamble_that_says_nothing(preambles, intents, read, found):
    assert request_after_preambles(preambles, intents, read, NOT_REQUESTS | PLEASANTRIES) == found


ASIDES = PLEASANTRIES | {"complaint"}
FREQUENT = frozenset({"ask_shipping", "ask_opening_hours", "ask_payment_methods"})


@pytest.mark.parametrize("intents, found", [
    (["affirm", "inform", "ask_shipping"], 2),            # "fine. LS6 2QT. also do u deliver …?"
    (["order_status", "ask_opening_hours"], 1),
    (["ask_opening_hours", "order_status"], 0),           # the question may come first
    (["ask_shipping", "ask_payment_methods"], 1),         # of two questions, the last
    (["greet", "ask_shipping", "thanks"], None),          # pleasantries only beside it
    (["complaint", "ask_shipping"], None),                # a feeling is answered with it
    (["ask_shipping", "ask_shipping"], None),             # one question said twice
    (["nlu_fallback", "ask_shipping"], None),             # nothing understood beside it
    (["out_of_scope", "ask_opening_hours"], None),
    (["order_status", "cancel_order"], None),             # no frequent question
])
def test_a_frequent_question_beside_another_request(intents, found):
    assert second_request(intents, ASIDES, NOT_REQUESTS, FREQUENT) == found


def test_a_plan_to_phone_beside_the_question_is_no_request_for_a_person():
    """A customer run: "are you open on sundays? I want to call" handed over ("I want to call"
    read as request_human) and the opening hours were never given (2 of 3)."""
    intents = ["ask_opening_hours", "request_human"]
    for plan in ("I want to call", "so I can ring you", "I'll phone you tomorrow"):
        assert second_request(intents, ASIDES, NOT_REQUESTS, FREQUENT, ["are you open on sundays?", plan]) is None
    asked = ["are you open on sundays?", "I want to talk to a person"]
    assert second_request(intents, ASIDES, NOT_REQUESTS, FREQUENT, asked) == 0


def test_a_question_naming_nothing_after_another_is_part_of_it():
    """A customer run: "do u ship to ireland and how much" answered the delivery to Ireland,
    then asked which product "how much" meant."""
    frequent = FREQUENT | {"ask_product"}
    assert second_request(["ask_shipping", "ask_product"], ASIDES, NOT_REQUESTS, frequent,
                          ["do u ship to ireland", "how much"]) is None
    # one that names its own thing is a question of its own, and so is one after a detail told
    assert second_request(["ask_shipping", "ask_product"], ASIDES, NOT_REQUESTS, frequent,
                          ["do u ship to ireland", "how much is the kettle"]) == 1
    assert second_request(["inform", "ask_product"], ASIDES, NOT_REQUESTS, frequent,
                          ["LS6 2QT", "and how much is it"]) == 1


@pytest.mark.parametrize("text, clause, rest", [
    ("fine. LS6 2QT. also do u deliver on saturdays?", "also do u deliver on saturdays?", "fine. LS6 2QT."),
    ("what are your hours? where is my order", "what are your hours?", "where is my order"),
    ("quick one - where is my order? and do you take paypal?", "and do you take paypal?",
     "quick one - where is my order?"),
    ("do you take paypal? - quick one - where is my order", "do you take paypal?",
     "quick one - where is my order"),
    # the clause, not the same words inside another one
    ("what hours? opening hours?", "hours?", "what hours? opening hours?"),
    # the last of two alike clauses
    ("hours? hi. hours?", "hours?", "hours? hi."),
    ("not in it. at all", "missing", "not in it. at all"),
])
def test_the_rest_of_a_message_without_the_question(text, clause, rest):
    assert without_clause(text, clause) == rest


def _ranked(message: Message, ranking):
    message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]}, add_to_output=True)
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)


def _classify(messages, rankings):
    """What the classifier between the splitter and the fallback would set."""
    for message in messages:
        _ranked(message, rankings[message.get("text")])


@pytest.fixture
def fallback():
    return CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                         "pleasantries": sorted(PLEASANTRIES)})


TEXT = "Good morning, I hope you're well. Do you deliver to Portugal?"
RANKINGS = {
    TEXT: [("ask_shipping", 0.45), ("greet", 0.3)],
    "Good morning, I hope you're well.": [("greet", 0.9), ("ask_shipping", 0.05)],
    "Do you deliver to Portugal?": [("ask_shipping", 0.92), ("order_status", 0.03)],
}


def test_the_request_among_pleasantries_is_read_when_the_whole_falls_back(fallback):
    message = Message(data={"text": TEXT})
    messages = ClauseSplitter().process([message])
    # the pipeline's components read the clauses as messages of their own
    assert [m.get("text") for m in messages] == [TEXT, *list(RANKINGS)[1:]]
    assert all(m.get(COMPANION) for m in messages[1:])
    _classify(messages, RANKINGS)
    out = fallback.process(messages)
    # and get back exactly the message they were given
    assert out == [message]
    assert message.get("intent")["name"] == "ask_shipping"
    assert message.get("intent_ranking")[0] == {"name": "ask_shipping", "confidence": 0.92}
    assert message.as_dict(only_output_properties=True)[READ_CLAUSE] == "Do you deliver to Portugal?"
    assert CLAUSES not in message.data


def test_two_requests_leave_the_fallback(fallback):
    text = "Where is my parcel? Do you deliver to Portugal?"
    rankings = {text: [("order_status", 0.45), ("ask_shipping", 0.4)],
                "Where is my parcel?": [("order_status", 0.95)],
                "Do you deliver to Portugal?": [("ask_shipping", 0.92)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, rankings)
    assert fallback.process(messages) == [message]
    assert message.get("intent")["name"] == "nlu_fallback"
    assert READ_CLAUSE not in message.as_dict(only_output_properties=True)


def test_a_whole_that_is_understood_keeps_its_reading(fallback):
    message = Message(data={"text": TEXT})
    messages = ClauseSplitter().process([message])
    _classify(messages, {**RANKINGS, TEXT: [("order_status", 0.8), ("ask_shipping", 0.1)]})
    assert fallback.process(messages) == [message]
    assert message.get("intent")["name"] == "order_status"


def test_a_frequent_question_beside_another_request_is_marked():
    text = "fine. LS6 2QT. also do u deliver on saturdays?"
    rankings = {text: [("ask_shipping", 0.92), ("ask_opening_hours", 0.06)],
                "fine.": [("affirm", 0.97)], "LS6 2QT.": [("inform", 0.9)],
                # read without the word that joined it on
                "do u deliver on saturdays?": [("ask_shipping", 0.98)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, rankings)
    asking = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                           "pleasantries": sorted(PLEASANTRIES),
                                           "answer_beside": sorted(FREQUENT), "feelings": ["complaint"]})
    assert asking.process(messages) == [message]
    # the reading is the whole message's still: the channel has the parts read
    assert message.get("intent")["name"] == "ask_shipping"
    assert message.as_dict(only_output_properties=True)[ALSO_ASKED] == {
        "text": "do u deliver on saturdays?", "intent": "ask_shipping", "rest": "fine. LS6 2QT."}


def test_another_task_beside_the_one_read_is_marked():
    """A customer run: "cancel HG-100005 and delete my account please" closed the account and
    never mentioned the cancellation (13 of 21 such messages dropped one request)."""
    text = "cancel HG-100005 and delete my account please"
    rankings = {text: [("close_account", 0.97), ("cancel_order", 0.02)],
                "cancel HG-100005": [("cancel_order", 0.95)],
                "delete my account please": [("close_account", 0.96)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    assert [m.get("text") for m in messages[1:]] == list(rankings)[1:]
    _classify(messages, rankings)
    asking = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                           "pleasantries": sorted(PLEASANTRIES), "answer_beside": sorted(FREQUENT),
                                           "ask_after": ["cancel_order", "close_account"]})
    assert asking.process(messages) == [message]
    assert message.get("intent")["name"] == "close_account"
    assert message.as_dict(only_output_properties=True)[ALSO_REQUESTED] == {
        "others": [{"text": "cancel HG-100005", "intent": "cancel_order"}], "rest": "and delete my account please"}


def test_the_details_told_go_with_the_task_offered_after():
    """A customer run: "can you reset my password and also take me off the mailing list, email
    is alice@…" offered the stop after the reset, and its button asked for the address again."""
    text = "can you reset my password and also take me off the mailing list, email is jo@example.com"
    rankings = {text: [("reset_password", 0.93), ("newsletter_unsubscribe", 0.05)],
                "can you reset my password": [("reset_password", 0.95)],
                "take me off the mailing list,": [("newsletter_unsubscribe", 0.9)],
                "email is jo@example.com": [("inform", 0.9)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    assert [m.get("text") for m in messages[1:]] == list(rankings)[1:]
    _classify(messages, rankings)
    asking = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                           "pleasantries": sorted(PLEASANTRIES), "details": ["inform"],
                                           "ask_after": ["reset_password", "newsletter_unsubscribe"]})
    asking.process(messages)
    assert message.get("intent")["name"] == "reset_password"
    assert message.as_dict(only_output_properties=True)[ALSO_REQUESTED]["others"] == [
        {"text": "take me off the mailing list, email is jo@example.com", "intent": "newsletter_unsubscribe"}]


def test_a_change_that_cannot_wait_is_done_first_and_a_task_said_not_to_be_meant_is_not_offered():
    """A customer run: "cancel HG-100001 and delete my account" ran the closure, which hands
    over, and the cancellation offered after it was never made; "don't cancel HG-100001! i
    just want to know when it arrives" offered the cancellation as a button."""
    asking = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                           "pleasantries": sorted(PLEASANTRIES), "answer_beside": sorted(FREQUENT),
                                           "ask_after": ["cancel_order", "close_account", "order_status"],
                                           "do_first": ["cancel_order"]})
    text = "cancel HG-100001 and delete my account"
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, {text: [("close_account", 0.97), ("cancel_order", 0.02)],
                         "cancel HG-100001": [("cancel_order", 0.96)],
                         "delete my account": [("close_account", 0.98)]})
    asking.process(messages)
    assert message.get("intent")["name"] == "cancel_order"
    assert message.as_dict(only_output_properties=True)[ALSO_REQUESTED] == {
        "others": [{"text": "delete my account", "intent": "close_account"}], "rest": "cancel HG-100001"}
    text = "don't cancel HG-100001! i just want to know when it arrives"
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    rankings = {m.get("text"): [("order_status", 0.9)] for m in messages}
    rankings["don't cancel HG-100001!"] = [("cancel_order", 0.9)]
    _classify(messages, rankings)
    asking.process(messages)
    assert ALSO_REQUESTED not in message.as_dict(only_output_properties=True)


def _marked(text, rankings, **config):
    classifier = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                               "pleasantries": sorted(PLEASANTRIES), **config})
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, rankings)
    classifier.process(messages)
    return message.as_dict(only_output_properties=True).get(ALSO_REQUESTED)


def test_a_task_of_the_same_kind_about_another_order_is_offered_and_a_closure_not_wanted_is_not():
    """A second review: "please cancel HG-100005 and also return HG-100004" got no note (a
    cancellation and a return are of a kind); "cancel HG-100005. dont delete my account though"
    offered the closure."""
    kinds = {"ask_after": ["cancel_order", "start_return", "close_account"],
             "same_task": [["cancel_order", "start_return"]]}
    text = "please cancel HG-100005 and also return HG-100004"
    marked = _marked(text, {text: [("cancel_order", 0.9)], "please cancel HG-100005": [("cancel_order", 0.95)],
                            "return HG-100004": [("start_return", 0.9)]}, **kinds)
    assert marked["others"] == [{"text": "return HG-100004", "intent": "start_return"}]
    text = "cancel the order and send the money back"
    assert _marked(text, {text: [("cancel_order", 0.9)], "cancel the order": [("cancel_order", 0.95)],
                          "send the money back": [("start_return", 0.9)]}, **kinds) is None
    text = "cancel HG-100005. dont delete my account though"
    assert _marked(text, {text: [("cancel_order", 0.9)], "cancel HG-100005.": [("cancel_order", 0.95)],
                          "dont delete my account though": [("close_account", 0.9)]}, **kinds) is None


TASKS = frozenset({"cancel_order", "close_account", "newsletter_unsubscribe", "change_address",
                   "update_contact_details"})
KIN = (frozenset({"change_address", "update_contact_details"}),)


@pytest.mark.parametrize("intents, read, found", [
    (["cancel_order", "close_account"], "close_account", [0]),
    (["cancel_order", "close_account"], "cancel_order", [1]),
    (["cancel_order", "cancel_order"], "cancel_order", []),  # the same task twice
    (["greet", "close_account"], "close_account", []),  # a pleasantry is no task
    (["cancel_order", "close_account"], "nlu_fallback", []),  # read as neither: the buttons ask
    # from a review: a third task was dropped without a word; a kindred one is no other task
    (["cancel_order", "close_account", "newsletter_unsubscribe"], "newsletter_unsubscribe", [0, 1]),
    (["update_contact_details", "change_address"], "change_address", []),
])
def test_other_tasks_beside_the_one_read(intents, read, found):
    assert other_requests(intents, read, TASKS, KIN) == found


@pytest.mark.parametrize("text, clauses", [
    ("cancel HG-100005 and delete my account please", ["cancel HG-100005", "and delete my account please"]),
    ("pls unsubscribe me from emails and also delete my account",
     ["pls unsubscribe me from emails", "and also delete my account"]),
    ("pls cancel HG-100005, and send me the invoice for HG-100003",
     ["pls cancel HG-100005", "and send me the invoice for HG-100003"]),
    ("cancel and refund me", []),
    # a clause that only opens the request stays with it (a review)
    ("can you also send me the invoice", []),
])
def test_a_task_joined_on_is_a_clause_of_its_own(text, clauses):
    assert [c.text for c in split_clauses(text)] == clauses


@pytest.mark.parametrize("intents, read, answered, found", [
    (["ask_shipping", "nlu_fallback"], "ask_shipping", [True, True], 1),   # "cost to ireland. also … gift wrapping"
    (["nlu_fallback", "ask_shipping"], "ask_shipping", [True, False], 0),  # the question may come first
    (["ask_shipping", "nlu_fallback"], "ask_shipping", [True, False], None),  # no article answers it
    (["ask_shipping", "greet"], "ask_shipping", [True, True], None),       # a pleasantry is no question
    (["order_status", "out_of_scope"], "order_status", [False, True], None),  # no frequent question read
    (["ask_shipping", "nlu_fallback"], "nlu_fallback", [True, True], None),  # the whole not understood
    # a customer run: "do you do gift wrapping and when would it arrive if i order today"; the
    # rest, a request of its own, is read again alone
    (["nlu_fallback", "order_status"], "ask_shipping", [True, False], 0),
    (["nlu_fallback", "greet"], "ask_shipping", [True, False], None),  # nothing asked beside it
])
def test_a_help_centre_question_beside_a_frequent_question(intents, read, answered, found):
    assert help_question_beside(intents, read, FREQUENT, NOT_REQUESTS, answered, PLEASANTRIES) == found


def _answering_beside(frequent):
    """The calibrated fallback as config.yml sets it up, answering `frequent` beside others."""
    return CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                         "pleasantries": sorted(PLEASANTRIES), "answer_beside": sorted(frequent)})


def test_a_help_centre_question_beside_a_frequent_question_is_marked():
    """A customer run: "cost to ireland. also do you do gift wrapping" got the delivery costs,
    and the gift wrapping (answered by the help centre when asked alone) was dropped."""
    text = "cost to ireland. also do you do gift wrapping"
    rankings = {text: [("ask_shipping", 0.96), ("ask_product", 0.02)],
                "cost to ireland.": [("ask_shipping", 0.9)],
                "do you do gift wrapping": [("nlu_fallback", 0.5), ("ask_product", 0.3)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, rankings)
    for companion in messages[1:]:
        confident = companion.get("text") == "do you do gift wrapping"
        companion.set("help_article", {"title": "Sending a gift", "confident": confident})
    asking = _answering_beside(FREQUENT)
    assert asking.process(messages) == [message]
    assert message.get("intent")["name"] == "ask_shipping"
    assert message.as_dict(only_output_properties=True)[ALSO_ASKED] == {
        "text": "do you do gift wrapping", "intent": "nlu_fallback", "rest": "cost to ireland."}


def test_a_help_centre_clause_naming_what_the_question_needs_is_not_split_off():
    """A customer run: "is the kettle cheaper anywhere? how much is it" was split, and the
    price asked alone was the product talked about before (the robot vacuum's)."""
    text = "is the kettle cheaper anywhere? how much is it"
    rankings = {text: [("ask_product", 0.9)], "is the kettle cheaper anywhere?": [("nlu_fallback", 0.5)],
                "how much is it": [("ask_product", 0.95)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, rankings)
    for companion in messages[1:]:
        companion.set("help_article", {"title": "Caring for your kettle", "confident": True})
    messages[1].set("entities", [{"entity": "product", "value": "kettle"}])
    asking = _answering_beside(FREQUENT | {"ask_product"})
    assert asking.process(messages) == [message]
    assert ALSO_ASKED not in message.as_dict(only_output_properties=True)


def test_a_question_about_the_same_thing_is_not_split_off():
    """A customer run: "hiya how much is delivery to ireland and how long does it take??" got
    the delivery to Ireland, then the refunds article for "how long does it take??"."""
    text = "hiya how much is delivery to ireland and how long does it take??"
    rankings = {text: [("ask_shipping", 1.0)], "hiya how much is delivery to ireland": [("ask_shipping", 0.99)],
                "how long does it take??": [("nlu_fallback", 0.5), ("refund_status", 0.3)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    assert [m.get("text") for m in messages[1:]] == ["hiya how much is delivery to ireland", "how long does it take??"]
    _classify(messages, rankings)
    for companion in messages[1:]:
        companion.set("help_article", {"title": "Refunds", "confident": True})
    asking = _answering_beside(FREQUENT)
    assert asking.process(messages) == [message]
    assert message.get("intent")["name"] == "ask_shipping"
    assert ALSO_ASKED not in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize("clause, same", [
    ("how long does it take??", True), ("and how much is it", True), ("is it free?", True),
    ("what does it cost", True), ("how long will that take then", True),
    ("do you do gift wrapping", False), ("is your website accessible", False),
    ("how long does a refund take", False), ("what are your opening hours", False),
    # whether the assistant is there then, after the day asked ("and on sunday? can i still chat
    # with you" got the privacy article: a customer run)
    ("can i still chat with you", True), ("can i talk to someone", False),
])
def test_a_clause_about_the_same_thing_names_nothing_of_its_own(clause, same):
    assert about_the_same(clause) is same


def test_the_trained_model_marks_a_help_centre_question_beside_a_frequent_one(parse):
    result = parse("cost to ireland. also do you do gift wrapping")
    assert result["intent"]["name"] == "ask_shipping"
    assert result[ALSO_ASKED]["text"] == "do you do gift wrapping"
    assert result[ALSO_ASKED]["rest"] == "cost to ireland."
    # a frequent question alone, or with a pleasantry, is answered as before
    assert ALSO_ASKED not in parse("cost to ireland? thanks")


KETTLE = {"slug": "kitchen-appliance-care", "section": "Descaling the Aurora Kettle", "confident": True}
ACCESS = {"slug": "accessibility", "section": "Using our website and chat", "confident": True}
UNSURE = {**ACCESS, "confident": False}
NOT_ANSWERS = frozenset({"order_status", "greet", "thanks"})


@pytest.mark.parametrize("intents, matches, found", [
    (["nlu_fallback", "website_problem"], [KETTLE, ACCESS], [0, 1]),
    (["nlu_fallback", "nlu_fallback", "out_of_scope"], [ACCESS, KETTLE, ACCESS], [0, 1]),  # one answer a passage
    (["nlu_fallback", "nlu_fallback"], [KETTLE, KETTLE], []),      # the same passage twice: one question
    (["nlu_fallback", "nlu_fallback"], [KETTLE, UNSURE], []),      # one confident match only
    (["nlu_fallback", "order_status"], [KETTLE, ACCESS], []),      # a task is no help question
    (["greet", "nlu_fallback"], [ACCESS, KETTLE], []),             # nor a pleasantry
    (["nlu_fallback", "nlu_fallback"], [KETTLE, None], []),
])
def test_help_questions_apart(intents, matches, found):
    assert help_questions_apart(intents, matches, NOT_ANSWERS) == found


def test_a_message_of_two_help_questions_answers_each():
    """A customer run: "how do i descale the aurora kettle? and is your website accessible
    with a screen reader" fell back whole and got the accessibility article alone."""
    text = "how do i descale the aurora kettle? and is your website accessible with a screen reader"
    rankings = {text: [("nlu_fallback", 0.5), ("website_problem", 0.3)],
                "how do i descale the aurora kettle?": [("nlu_fallback", 0.5), ("ask_product", 0.3)],
                "is your website accessible with a screen reader": [("website_problem", 0.75)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    _classify(messages, rankings)
    message.set("help_article", ACCESS)
    messages[1].set("help_article", KETTLE)
    messages[2].set("help_article", ACCESS)
    classifier = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                               "pleasantries": sorted(PLEASANTRIES), "ask_after": ["order_status"]})
    assert classifier.process(messages) == [message]
    output = message.as_dict(only_output_properties=True)
    assert output["intent"]["name"] == "nlu_fallback"
    assert output["help_article"] == KETTLE
    assert output[MORE_HELP_ARTICLES] == [ACCESS]


def test_a_clause_that_only_names_the_order_asks_the_help_centre_nothing():
    """A customer run: "one side of my nimbus headphones has gone silent. order HG-100003" got
    the noise cancelling and, for "order HG-100003", the order confirmation emails."""
    text = "one side of my nimbus headphones has gone silent. order HG-100003"
    headphones = {"slug": "headphones-and-speakers", "section": "Noise cancelling", "confident": True}
    confirmation = {"slug": "order-confirmation", "section": "When the confirmation comes", "confident": True}
    rankings = {text: [("nlu_fallback", 0.5), ("inform", 0.3)],
                "one side of my nimbus headphones has gone silent.": [("nlu_fallback", 0.5), ("inform", 0.4)],
                "order HG-100003": [("nlu_fallback", 0.5), ("inform", 0.45)]}
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    assert [m.get("text") for m in messages[1:]] == list(rankings)[1:]
    _classify(messages, rankings)
    message.set("help_article", headphones)
    messages[1].set("help_article", headphones)
    messages[2].set("help_article", confirmation)
    classifier = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                               "pleasantries": sorted(PLEASANTRIES), "ask_after": ["order_status"]})
    assert classifier.process(messages) == [message]
    assert message.get("help_article") == headphones
    assert message.get(MORE_HELP_ARTICLES) is None



@pytest.mark.parametrize("clause, only", [
    ("order HG-100003", True), ("order is HG-100003", True), ("my order number is hg100003.", True),
    ("order HG-100003 is late", False), ("the lamp from HG-100003", False),
])
def test_a_clause_naming_only_an_order(clause, only):
    from bot.nlu.fallback import _names_only_an_order

    assert _names_only_an_order(clause) is only


def test_the_trained_model_reads_a_task_with_the_details_told_for_it(parse):
    """A customer run: "Good afternoon. Could you tell me where order HG-… is? Postcode is
    LS62QT" was read as the postcode told, and the tracking put off behind a button."""
    result = parse("Good afternoon. Could you tell me where order HG-100001 is? Postcode is LS62QT")
    assert result["intent"]["name"] == "order_status"
    assert ALSO_REQUESTED not in result
    assert {e["entity"] for e in result["entities"]} >= {"order_number", "postcode"}


@pytest.mark.parametrize("text, clauses", [
    ("return HG-100003 pls, M3 4LQ", ["return HG-100003 pls,", "M3 4LQ"]),
    ("I'd like to send back my whole order HG-100003 please, postcode M3 4LQ",
     ["I'd like to send back my whole order HG-100003 please,", "postcode M3 4LQ"]),
    ("where is HG-100001 my postcode is LS6 2QT", ["where is HG-100001", "my postcode is LS6 2QT"]),
    ("take me off the mailing list, email is jo@example.com", ["take me off the mailing list,", "email is jo@example.com"]),
    # a customer run: the second task was lost
    ("can you reset my password and also take me off the mailing list, email is jo@example.com",
     ["can you reset my password", "and also take me off the mailing list,", "email is jo@example.com"]),
    ("my speaker arrived smashed, LS6 2QT. can i send a pic?", ["my speaker arrived smashed,", "LS6 2QT.", "can i send a pic?"]),
    # an address is one thing told, and so is a detail alone
    ("14 Mill Lane, Leeds LS6 2QT", []), ("LS6 2QT", []), ("jo@example.com, new one is jo@example.org", []),
])
def test_the_detail_told_at_the_end_of_a_request_is_a_clause(text, clauses):
    assert [c.text for c in split_clauses(text)] == clauses


@pytest.mark.parametrize("text, read", [
    # a customer run: three numbered questions got one article, for the first
    ("1) how long is the warranty on the Atlas office chair 2) can I pay with a gift card and paypal together "
     "3) do you have a shop in Manchester",
     ["how long is the warranty on the Atlas office chair", "can I pay with a gift card and paypal together",
      "do you have a shop in Manchester"]),
    ("1. where is my order 2. can I change the address", ["where is my order", "can I change the address"]),
    # numbers that are no list
    ("I ordered 2 lamps and 3 mugs", []), ("it cost £2. that is fine", ["it cost £2.", "that is fine"]),
])
def test_numbered_questions_are_clauses(text, read):
    assert [as_read(c.text) for c in split_clauses(text)] == read


@pytest.mark.parametrize("text, intent", [
    # a customer run: read whole as the detail told, or fell back (6 messages)
    ("return HG-100003 pls, M3 4LQ", "start_return"),
    ("Hello there, I hope you're well. I'd like to send back my whole order HG-100003 please, postcode M3 4LQ",
     "start_return"),
])
def test_the_trained_model_reads_a_request_with_its_detail_at_the_end(parse, text, intent):
    result = parse(text)
    assert result["intent"]["name"] == intent
    assert {e["entity"] for e in result["entities"]} >= {"order_number", "postcode"}


@pytest.mark.parametrize("text", ["can a human look it up by my name? my email is jo.hart@example.com",
                                  "can a human look it up, jo.hart@example.com",
                                  "can a human look it up by my name? Jo Hart, jo.hart@example.com"])
def test_the_trained_model_reads_a_request_for_a_person_with_the_details_told_for_it(parse, text):
    """A customer run: "can a human look it up by my name? Jo Hart, jo.hart@example.com", where
    the order number was asked, fell back (request_human 0.28), and the number was asked again.
    The name is a clause of its own, out of scope alone: read as details told."""
    result = parse(text)
    assert result["intent"]["name"] == "request_human"
    assert "email" in {e["entity"] for e in result["entities"]}


def test_the_trained_model_reads_a_request_beside_a_greeting_with_a_name(parse):
    """A customer run: "Hello, I'm Victoria Hughes, victoria.hughes@… Where's my latest order?"
    was read as the email told (the greeting with the name out of scope), and the order
    question put off behind a button."""
    result = parse("Hello, I'm Victoria Hughes, victoria.hughes@example.com. Where's my latest order?")
    assert result["intent"]["name"] == "order_status"
    assert "email" in {e["entity"] for e in result["entities"]}


def test_the_trained_model_answers_two_help_questions_of_one_message(parse):
    result = parse("how do i descale the aurora kettle? and is your website accessible with a screen reader")
    assert result["help_article"]["section"] == "Descaling the Aurora Kettle"
    assert [m["slug"] for m in result[MORE_HELP_ARTICLES]] == ["accessibility"]
    # one question keeps its one article
    assert MORE_HELP_ARTICLES not in parse("how do i descale the aurora kettle? thanks")


def test_the_trained_model_marks_a_question_beside_another_request(parse):
    result = parse("where is my order HG-123456? also what are your opening hours?")
    assert result[ALSO_ASKED]["intent"] == "ask_opening_hours"
    assert result[ALSO_ASKED]["rest"] == "where is my order HG-123456?"
    assert ALSO_ASKED not in parse("hi there. what are your opening hours? thanks")


@pytest.mark.parametrize("clause, read", [
    ("and also where is it?", "where is it?"), ("also r u open sunday", "r u open sunday"),
    ("btw how much is delivery", "how much is delivery"), ("oh and, do you take paypal?", "do you take paypal?"),
    ("where is it?", "where is it?"), ("and", "and"), ("Andrew here", "Andrew here"),
    # the question inside "tell me …" is read as it is asked
    ("n tell me where it is", "where is it"), ("and let me know when it arrives", "when it arrives"),
    ("and tell me if it has shipped", "has it shipped"), ("n tell me where my order is now", "where is my order now"),
    ("also tell me what the delivery charge is", "what is the delivery charge"),
    ("and tell me how much it costs", "how much it costs"),
    ("can u tell me where it is", "can u tell me where it is"),  # its own words, not joined on
    ("tell me a joke", "tell me a joke"), ("no", "no"),
])
def test_a_clause_is_read_without_the_word_that_joined_it_on(clause, read):
    assert as_read(clause) == read


def test_the_trained_model_reads_a_task_joined_on_with_a_pronoun(parse):
    """A customer run: "…invoice for HG-… and also where is it?" sent the invoice and dropped
    the question, whose clause fell back read with "and also" (2 of 2)."""
    result = parse("can you send me the invoice for HG-100002 and also where is it?")
    others = result[ALSO_REQUESTED]["others"]
    assert others == [{"text": "where is it?", "intent": "order_status"}], others


def test_the_trained_model_reads_a_question_joined_on_with_n_tell_me(parse):
    """A customer run: "hi can u send the invoice for HG-100172 n tell me where it is" sent the
    invoice and dropped the question."""
    others = parse("hi can u send the invoice for HG-100172 n tell me where it is")[ALSO_REQUESTED]["others"]
    assert others == [{"text": "where is it", "intent": "order_status"}], others


def test_a_preamble_is_read_apart_from_the_request_and_an_intent_command_is_not_split():
    message = Message(data={"text": "quick one - cancel my order"})
    command = Message(data={"text": "/greet. hello: there"})
    messages = ClauseSplitter().process([message, command])
    assert [m.get("text") for m in messages] == ["quick one - cancel my order", "/greet. hello: there",
                                                 "cancel my order", "quick one"]
    assert [m.get("text") for m in message.get(CLAUSES)] == ["cancel my order"]
    assert [m.get("text") for m in message.get(PREAMBLES)] == ["quick one"]
    assert all(m.get(COMPANION) for m in messages[2:])


def test_preambles_are_read_only_before_one_request():
    """Each preamble costs a parse; it decides only where one request follows it."""
    two = Message(data={"text": "one thing: where is my order? and: how much is delivery"})
    messages = ClauseSplitter().process([two])
    assert [m.get("text") for m in two.get(CLAUSES)] == ["where is my order?", "how much is delivery"]
    assert PREAMBLES not in two.data
    assert len(messages) == 3


def test_a_message_of_many_clauses_is_not_split():
    """Each clause costs a parse: 4,000 characters of "a. a. a." must not cost 1,300."""
    flood = Message(data={"text": "a. " * 1333})
    assert ClauseSplitter().process([flood]) == [flood]
    assert CLAUSES not in flood.data
    most = Message(data={"text": " ".join(["Hello."] * MAX_READ_CLAUSES)})
    assert len(ClauseSplitter().process([most])) == 1 + MAX_READ_CLAUSES


def test_training_data_is_left_as_it_is():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = TrainingData(training_examples=[Message(data={"text": "hi. where is my order", "intent": "order_status"})])
    assert ClauseSplitter().process_training_data(data).training_examples == data.training_examples


# written for this test, in no training data: each fell back read whole (most wrapped
# questions do not: of 66 tried, these two did); the first, on a later model, was read whole
# as a sign-up to the newsletter (0.57), its preamble out of scope
WRAPPED = [
    ("My grandson set this computer up for me and told me to type my question in here: take my "
     "email off your marketing list", "newsletter_unsubscribe"),
    ("My grandson set this computer up for me and told me to type my question in here: the code "
     "you sent me to confirm my email never arrived", "signup_problem"),
]


@pytest.mark.parametrize("text, intent", WRAPPED)
def test_the_trained_model_reads_the_request_among_pleasantries(parse, text, intent):
    result = parse(text)
    assert result["intent"]["name"] == intent
    assert result[READ_CLAUSE]


def test_the_trained_model_keeps_a_topic_a_preamble_names(parse):
    """"how long do I have?" alone is out of scope; what it asks is said before the colon."""
    result = parse("Question about returns: how long do I have?")
    assert result["intent"]["name"] == "ask_return_policy"
    assert READ_CLAUSE not in result


@pytest.mark.parametrize("intents, found", [
    (["complaint", "cancel_order"], 1),  # "bloody useless company. just cancel my order HG-…!!"
    (["greet", "complaint", "change_address"], 2),
    (["greet", "cancel_order"], None),  # no feeling: single_request's
    (["complaint", "cancel_order", "close_account"], None),  # two tasks
    (["order_status", "cancel_order"], None),  # a task beside is no feeling
    (["complaint"], None),
])
def test_one_task_beside_asides(intents, found):
    assert task_beside_asides(intents, frozenset({"cancel_order", "change_address", "close_account",
                                                     "order_status"}),
                                 frozenset({"complaint"}), frozenset({"greet", "thanks"})) == found


@pytest.mark.parametrize("intents, found", [
    (["cancel_order", "refund_status"], 0),  # "can u cancel HG-…, also when will I get the money back"
    (["refund_status", "cancel_order"], 1),  # the change that cannot wait goes first
    (["start_return", "order_status"], 0),
    (["start_return", "start_return"], None),  # one task: single_request's
    (["cancel_order", "nlu_fallback"], None),  # a clause not understood
    (["greet", "cancel_order"], None),
])
def test_the_first_of_two_tasks_when_the_whole_falls_back(intents, found):
    tasks = frozenset({"cancel_order", "refund_status", "start_return", "order_status"})
    assert first_of_two_tasks(intents, tasks, frozenset({"cancel_order"}),
                              frozenset({"nlu_fallback", "out_of_scope"})) == found


@pytest.mark.parametrize("text, intent", [
    # a customer run: both requests lost to a menu of guesses
    ("can u cancel HG-100180, also when will I get the money back for it", "cancel_order"),
    ("I want to return HG-100167 and btw when do I get my money back for it?", "start_return"),
    ("I want to return HG-100110 and btw when do I get my money back?", "start_return"),
])
def test_the_trained_model_reads_the_first_of_two_tasks(parse, text, intent):
    assert parse(text)["intent"]["name"] == intent


def test_a_return_told_as_done_is_the_context_of_the_refund_asked_beside_it():
    """A customer run: "hi, has my refund gone through yet? i returned part of order HG-100003"
    started a new return and put the refund off behind a button."""
    asking = CalibratedFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1,
                                           "pleasantries": sorted(PLEASANTRIES), "details": ["inform"],
                                           "ask_after": ["start_return", "refund_status"],
                                           "do_first": ["start_return"]})
    text = "hi, has my refund gone through yet? i returned part of order HG-100003"
    message = Message(data={"text": text})
    messages = ClauseSplitter().process([message])
    rankings = {text: [("start_return", 0.45), ("refund_status", 0.4)],
                "i returned part of order HG-100003": [("start_return", 0.93)]}
    _classify(messages, {m.get("text"): rankings.get(m.get("text"), [("refund_status", 0.97)]) for m in messages})
    asking.process(messages)
    assert message.get("intent")["name"] == "refund_status"
    assert ALSO_REQUESTED not in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize("text, done", [
    ("i returned part of order HG-100003", True), ("I've sent the kettle back", True),
    ("we already sent them back last week", True),
    ("i want to return HG-100003", False), ("have i returned it right?", False), ("i sent it back?", False),
])
def test_a_return_told_as_done(text, done):
    from bot.nlu.done_tasks import told_as_done

    assert told_as_done(text, "start_return") is done
    assert not told_as_done(text, "order_status")


def test_the_trained_model_reads_the_refund_beside_a_return_told_as_done(parse):
    parsed = parse("hi, has my refund gone through yet? i returned part of order HG-100003")
    assert parsed["intent"]["name"] == "refund_status"
    assert "also_requested" not in parsed
