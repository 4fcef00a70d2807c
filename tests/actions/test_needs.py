"""Which question a 5W1H answer belongs to (actions/needs.py)."""

import pytest

from actions.needs import answers_another_question


@pytest.mark.parametrize("text, asked, fields", [
    ("by end of january", "need_where", {"when": "by end of january"}),
    ("Leeds and York", "need_who", {"where": "Leeds; York"}),
    # a customer run: filed as the How
    ("20 people, I'm Sam Patel the office manager and I decide", "need_how",
     {"who": "20 people; office manager; I decide"}),
    ("march", "need_how", {"when": "march"}),
    # a customer run: filed as the When; kept whole under the Where
    ("Harbor Dental, 3 surgeries in leeds", "need_when", {"where": "Harbor Dental, 3 surgeries in leeds"}),
])
def test_a_short_answer_that_is_another_questions_date_place_or_people_goes_there(text, asked, fields):
    assert answers_another_question(text, asked) == fields


@pytest.mark.parametrize("text, asked", [
    ("next week", "need_when"),  # the question asked
    ("in Leeds by march", "need_where"),  # says the asked field too
    ("we want to equip our new branches", "need_why"),  # a What by its cue words: not sure enough
    ("pay by invoice at the end of the month", "need_how"),  # the date is a small part of it
    ("me, I'm the ops manager, Sam", "need_how"),
    ("by end of january", None),  # no question asked
    ("for christmas", "need_why"),  # a Why or What is free
    ("a gift for our team of 20", "need_what"),
    ("in time for our opening in leeds", "need_when"),  # a When with a place in it
    ("no rush, whenever suits", "need_when"),
])
def test_anything_else_is_the_answer_to_the_question_asked(text, asked):
    assert answers_another_question(text, asked) == {}


async def test_an_answer_is_moved_once_at_most_and_never_stored_twice(domain, make_dispatcher):
    """"Leeds staff" to "Who will use it?": the first time its place is kept as the Where and
    Who asked again; the same kind of answer again is the Who, and Leeds is not added twice."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    form = ValidateNeedsForm()
    said = {"event": "user", "text": "Leeds staff", "parse_data": {"intent": {"name": "inform"}}}
    first = make_tracker({"requested_slot": "need_who"}, text="Leeds staff", intent="inform",
                         events=[said], domain=domain)
    dispatcher = make_dispatcher(first)
    assert await form.extract_need_who(dispatcher, first, domain) == {}
    assert dispatcher.responses() == ["utter_needs_noted_elsewhere"]
    assert await form.extract_need_where(make_dispatcher(first), first, domain) == {"need_where": "Leeds"}

    noted = {"event": "bot", "text": "Thanks, I've noted that too.",
             "metadata": {"utter_action": "utter_needs_noted_elsewhere"}}
    asked_again = {"event": "bot", "text": "Who will use it?", "metadata": {"utter_action": "utter_ask_need_who"}}
    again = make_tracker({"requested_slot": "need_who", "need_where": "Leeds"}, text="Leeds staff",
                         intent="inform", events=[said, noted, asked_again, said], domain=domain)
    assert await form.extract_need_who(make_dispatcher(again), again, domain) == {"need_who": "Leeds staff"}
    assert await form.extract_need_where(make_dispatcher(again), again, domain) == {}


async def test_a_correction_with_no_requirement_under_way_is_no_5w1h_form(domain, make_dispatcher):
    """"so can you change it to 5 Park Row, Leeds LS1 5HD" (read as correcting a requirement)
    opened the 5W1H form with "Which part should I change?" in a conversation that had none:
    an address goes to the address change, anything else to the clarification."""
    from actions.needs import ActionCorrectNeed
    from tests.conftest import make_tracker

    for text, task, followup in (("so can you change it to 5 Park Row, Leeds LS1 5HD", "change_address", "order_form"),
                                 ("can you change that", None, "action_clarify")):
        tracker = make_tracker(text=text, intent="correct_need", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionCorrectNeed().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == []
        assert events[-1]["event"] == "followup" and events[-1]["name"] == followup, text
        assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}.get("order_task") == task
    # with a requirement under way, the field named is emptied as before
    tracker = make_tracker({"need_what": "a catering order", "need_when": "friday"},
                           text="change the when", intent="correct_need", domain=domain)
    events = await ActionCorrectNeed().run(make_dispatcher(tracker), tracker, domain)
    assert {e["name"]: e["value"] for e in events} == {"need_when": None, "need_field": None, "need_added_to": None}


async def test_a_bare_no_to_a_question_is_nothing_to_add_and_other_noes_leave(domain, make_dispatcher):
    """A customer run: "nope" to "Anything about how it should be done?" left the form, and
    the request was dropped before its sheet was shown (4 of 4 bare noes)."""
    from actions.needs import ActionReadNeedsNo
    from tests.conftest import make_tracker

    for text, events in (("nope", [("need_how", "not known yet"), ("needs_left", False)]),
                         ("No.", [("need_how", "not known yet"), ("needs_left", False)]),
                         ("not really", [("need_how", "not known yet"), ("needs_left", False)]),
                         ("no, forget it", [("needs_left", True)]),
                         ("no I've changed my mind", [("needs_left", True)])):
        tracker = make_tracker({"requested_slot": "need_how", "need_what": "10 photo frames"},
                               text=text, intent="deny", active_loop="needs_form", domain=domain)
        found = await ActionReadNeedsNo().run(make_dispatcher(tracker), tracker, domain)
        assert [(e["name"], e["value"]) for e in found] == events, text


FILED, STEPS_ASIDE, ASKED_AFTER = "filed", "steps aside", "asked after"


async def test_a_question_of_another_topic_is_no_when_where_or_who(domain, make_dispatcher):
    """A customer run: "how much would delivery to france cost for that?" to "When do you
    need it by?" was filed as the When, and "what are your opening hours?" to "What would you
    like from us?" as the What. A frequent question is answered by its own rule (the form
    steps aside: nothing filed, nothing said, data/rules/faq.yml answers; the story
    tests/stories/test_conversation.yml shows the form going on after); another topic's
    question is asked again after the interview. A How may be a question ("can you deliver
    them assembled?")."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    for asked, text, intent, outcome in (
            ("need_when", "how much would delivery to france cost for that?", "ask_shipping", STEPS_ASIDE),
            ("need_what", "what are your opening hours?", "ask_opening_hours", STEPS_ASIDE),
            ("need_where", "do you deliver to france?", "ask_shipping", STEPS_ASIDE),
            ("need_when", "where is my order HG-100002?", "order_status", ASKED_AFTER),
            ("need_how", "can you deliver them assembled?", "ask_shipping", FILED),
            ("need_when", "by the end of may", "inform", FILED)):
        tracker = make_tracker({"requested_slot": asked, "need_what": "20 chairs", "need_why": "new office"},
                               text=text, intent=intent, active_loop="needs_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ValidateNeedsForm().run(dispatcher, tracker, domain)
        filed = [e["name"] for e in events if e["event"] == "slot" and e["value"] and e["name"] != "requested_slot"]
        assert bool(filed) is (outcome == FILED), (text, filed)
        assert ("utter_needs_question_after" in dispatcher.responses()) is (outcome == ASKED_AFTER), text


async def test_a_question_to_the_shop_is_asked_after_the_interview(domain, make_dispatcher):
    """A customer run: "do you offer a bulk discount?" to the Where was filed as the Where; a
    question that tells the field asked ("can you deliver to our Leeds office?") answers it."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    for asked, text, filed, after in (("need_where", "do you offer a bulk discount?", None, True),
                                      ("need_who", "is there a discount for charities?", None, True),
                                      ("need_where", "can you deliver to our Leeds office?", "Leeds", False)):
        tracker = make_tracker({"requested_slot": asked, "need_what": "200 mugs"},
                               text=text, intent="nlu_fallback", active_loop="needs_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ValidateNeedsForm().run(dispatcher, tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot" and e["name"] == asked}
        assert slots.get(asked) == filed, (text, slots)
        assert ("utter_needs_question_after" in dispatcher.responses()) is after, (text, dispatcher.responses())


async def test_an_invoice_asked_for_in_the_interview_is_how_it_is_paid(domain, make_dispatcher):
    """A customer run: "can you invoice us? net 30" to the Why was refused by the form, and the
    invoice rule asked for an order number; the answers after it were read as order numbers."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    tracker = make_tracker({"requested_slot": "need_why", "need_what": "40 kettles"}, text="can you invoice us? net 30",
                           intent="request_invoice", active_loop="needs_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ValidateNeedsForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("need_how") == "can you invoice us? net 30" and slots.get("need_why") is None, slots
    assert dispatcher.responses() == ["utter_needs_noted_elsewhere"]


async def test_a_reply_that_answers_nothing_is_no_answer(domain, make_dispatcher):
    """A customer run: "why do you need to know that?" was filed as the Why, "what do you
    mean?", "hmm" and "ok" as answers, and "none of your business" as the Who. The first two
    are told why it is asked, the acknowledgements are asked again, and a refusal is a skip."""
    from actions.needs import ValidateNeedsForm
    from needs.extraction import NOT_KNOWN
    from tests.conftest import make_tracker

    for asked, text, intent, filed, told in (
            ("need_why", "why do you need to know that?", "ask_contact_channels", None, True),
            ("need_when", "what do you mean?", "nlu_fallback", None, True),
            ("need_where", "hmm", "nlu_fallback", None, False),
            ("need_how", "ok", "affirm", None, False),
            ("need_who", "none of your business", "complaint", NOT_KNOWN, False),
            ("need_why", "for our company event", "inform", "for our company event", False),
            # a later run: each filed as the Why
            ("need_why", "what do you need to know?", "nlu_fallback", None, True),
            ("need_why", "can I ask what happens with this info?", "nlu_fallback", None, True)):
        tracker = make_tracker({"requested_slot": asked, "need_what": "200 mugs"},
                               text=text, intent=intent, active_loop="needs_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ValidateNeedsForm().run(dispatcher, tracker, domain)
        slots = {e["name"]: e["value"] for e in events if e["event"] == "slot" and e["name"] == asked}
        assert slots.get(asked) == filed, (text, slots)
        assert ("utter_needs_why_asked" in dispatcher.responses()) is told, (text, dispatcher.responses())


async def test_a_bare_no_to_what_is_wanted_leaves(domain, make_dispatcher):
    """From a review: "nah" to "What would you like from us?" went on, and a sheet with no What
    could be saved."""
    from actions.needs import ActionReadNeedsNo
    from tests.conftest import make_tracker

    tracker = make_tracker({"requested_slot": "need_what"}, text="nah", intent="deny",
                           active_loop="needs_form", domain=domain)
    found = await ActionReadNeedsNo().run(make_dispatcher(tracker), tracker, domain)
    assert [(e["name"], e["value"]) for e in found] == [("needs_left", True)]


@pytest.mark.parametrize("text, field, value", [
    ("where - it's Salford, not manchester", "where", "Salford"),
    ("mostly yes but the when should be february not january", "when", "february"),
    ("the deadline is wrong", "when", None),
    # a later run: "Which part should I change?", and the £400 ignored
    ("budget's wrong too, it's about £400", "how", "about £400"),
    # a later run: the new value first and the old after it, no field named: asked again or lost
    ("budget is 3k not 2k", "how", "about 3k, net 30"),
    ("its 60 toasters not 50", "what", "60 toasters"),
    ("its 60 toasters not 50 toasters", "what", "60 toasters"),
    ("no, february not january", "when", "february"),
    # a fourth run: two corrections in one message, a field named with its value in other words
    ("no its 60 toasters not 50, and budget is 3k", "what", "60 toasters"),
    ("no its 60 toasters not 50, and budget is 3k", "how", "budget is 3k"),
    ("the when is wrong, we need them before 18 dec", "when", "before 18 dec"),
    # the field's button: no words, asked again
    ('/correct_need{"need_field": "where"}', "where", None),
    # a sixth run: the line told whole after a colon was read as "budget £8,000; installation…",
    # or no field was named at all
    ("no the How line is wrong, it should say: budget £8,000, includes installation, bulk discount wanted",
     "how", "budget £8,000, includes installation, bulk discount wanted"),
    ("How: £8k budget incl. installation", "how", "£8k budget incl. installation"),
])
async def test_a_typed_correction_keeps_the_value_it_tells(domain, make_dispatcher, text, field, value):
    """A customer run: "where - it's Salford, not manchester" emptied the Where and asked it
    again (and "not manchester" was read as a second place)."""
    from actions.needs import ActionCorrectNeed
    from tests.conftest import entity, make_tracker

    tracker = make_tracker({"need_what": "50 toasters", "need_where": "Manchester", "need_when": "january",
                            "need_how": "about 2k, net 30"}, text=text, intent="correct_need", domain=domain,
                           entities=[entity("need_field", field)] if text.startswith("/") else [])
    events = await ActionCorrectNeed().run(make_dispatcher(tracker), tracker, domain)
    assert (f"need_{field}", value) in [(e["name"], e["value"]) for e in events], text


@pytest.mark.parametrize("text, value", [
    ("add 150 to the what", "150 Orbit Smart Speakers for the guest rooms"),
    ("the what should also say 150 units", "150 Orbit Smart Speakers for the guest rooms"),
    ("can you add 'in black' to the what", "Orbit Smart Speakers for the guest rooms; in black"),
])
async def test_words_added_to_a_line_join_it(domain, make_dispatcher, text, value):
    """A customer run: "can you add the quantity to the what", then "150", and the What was
    "150": the product was lost."""
    from actions.needs import ActionCorrectNeed
    from tests.conftest import make_tracker

    tracker = make_tracker({"need_what": "Orbit Smart Speakers for the guest rooms", "need_how": "budget 8k"},
                           text=text, intent="correct_need", domain=domain)
    events = await ActionCorrectNeed().run(make_dispatcher(tracker), tracker, domain)
    assert {e["name"]: e["value"] for e in events}["need_what"] == value


@pytest.mark.parametrize("text, changes", [
    # a customer run: told to "Is that all correct?", it fell back and the customer was handed over
    ("delivered and assembled if possible, we'd pay by invoice",
     {"need_how": "bulk deal; delivered and assembled if possible, we'd pay by invoice"}),
    ("the owner decides, 40 members use them", {"need_who": "the owner decides; 40 members"}),
    # a new value for a line that does not gather is a correction, asked which part
    ("we need them by march", {}),
])
async def test_words_told_at_the_read_back_are_added_to_the_sheet(domain, make_dispatcher, text, changes):
    from actions.needs import ActionCorrectNeed
    from tests.conftest import make_tracker

    tracker = make_tracker({"need_what": "40 Atlas office chairs", "need_when": "by end of january",
                            "need_who": "not known yet", "need_how": "bulk deal"},
                           text=text, intent="nlu_fallback", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = {e["name"]: e["value"] for e in await ActionCorrectNeed().run(dispatcher, tracker, domain)
              if e["event"] == "slot" and e["name"].startswith("need_") and e["name"] not in ("need_field", "need_added_to")}
    assert events == changes
    assert bool(dispatcher.messages) is not bool(changes)  # "Which part should I change?" when nothing is added


def test_a_contact_and_the_paperwork_told_at_the_read_back_are_added():
    """A customer run: "Nearly - please also add that we need a written quote first, and the
    contact email is office@glantaf.example" got the shop's own contact channels and the
    sheet unchanged; told again as the How, the email stood in the How."""
    from actions.needs import additions_told

    sheet = {"what": "30 Lumen Desk Lamps for our new library homework area", "why": "pupils need good desk lighting",
             "when": "by 20 February", "where": "Cardiff; CF14 2JL", "who": "business manager; Mrs Evans",
             "how": "pay by purchase order and get a VAT receipt"}
    told = ("Nearly - please also add that we need a written quote first, and the contact email is "
            "office@glantaf.example")
    assert additions_told(sheet, told) == {
        "how": "pay by purchase order and get a VAT receipt; a written quote first",
        "who": "business manager; Mrs Evans; office@glantaf.example"}
    assert additions_told(sheet, "call me on 07700 900123 or email jo@school.example") == {
        "who": "business manager; Mrs Evans; 07700 900123; jo@school.example"}
    # a question about the shop's own address is no addition
    assert additions_told(sheet, "what's your email address?") == {}


def test_a_correction_and_an_addition_in_one_message_each_change_the_sheet():
    """A customer run: "Actually it's 42 chairs, not 40. And please add that the company is
    Brightline Analytics Ltd, contact Priya Shah, …" kept the 42 and lost the company; told
    again, "You left out our company name and my contact details - …" fell back, and a second
    miss handed the customer over."""
    from actions.needs import adds_to, corrections_told

    sheet = {"what": "approximately 40 Atlas Office Chairs for a new office", "why": "moving into a new office",
             "when": "by 15 January", "where": "Leeds", "who": "our staff", "how": "budget around £8,000"}
    both = ("Actually it's 42 chairs, not 40. And please add that the company is Brightline Analytics Ltd, "
            "contact Priya Shah, priya.shah@brightline.example")
    assert corrections_told(sheet, both) == {
        "what": "approximately 42 Atlas Office Chairs for a new office",
        "who": "our staff; Brightline Analytics Ltd; contact Priya Shah; priya.shah@brightline.example"}
    again = ("You left out our company name and my contact details - Brightline Analytics Ltd, Priya Shah, "
             "priya.shah@brightline.example")
    assert corrections_told(sheet, again) == {"who": "our staff; Brightline Analytics Ltd; priya.shah@brightline.example"}
    # the Who gathers names; a head count told again is a correction, asked which part
    assert adds_to("who", "our staff", "Brightline Analytics Ltd") and not adds_to("who", "our staff", "40 people")


async def test_an_addition_asked_for_is_added_to_the_line(domain, make_dispatcher):
    from actions.needs import ActionCorrectNeed, ValidateNeedsForm
    from tests.conftest import make_tracker

    line = "Orbit Smart Speakers for the guest rooms"
    text = "can you add the quantity to the what"
    tracker = make_tracker({"need_what": line, "need_how": "budget 8k"}, text=text, intent="correct_need",
                           domain=domain)
    events = {e["name"]: e["value"] for e in await ActionCorrectNeed().run(make_dispatcher(tracker), tracker, domain)}
    assert events["need_what"] is None and events["need_added_to"] == {"field": "what", "line": line}
    form = ValidateNeedsForm()
    slots = {"requested_slot": "need_what", "need_added_to": events["need_added_to"], "need_how": "budget 8k"}
    for answer, value in (("150", f"150 {line}"), ("skip", line), ("in black please", f"{line}; in black please")):
        said = {"event": "user", "text": answer, "parse_data": {"intent": {"name": "inform"}}}
        tracker = make_tracker(slots, text=answer, intent="inform", events=[said], domain=domain)
        assert await form.extract_need_what(make_dispatcher(tracker), tracker, domain) == {
            "need_what": value, "need_added_to": None}, answer
    # a line replaced, not added to, is asked again as before and leaves nothing to add to
    tracker = make_tracker({"need_what": line}, text="the what is wrong", intent="correct_need", domain=domain)
    events = {e["name"]: e["value"] for e in await ActionCorrectNeed().run(make_dispatcher(tracker), tracker, domain)}
    assert events["need_what"] is None and events["need_added_to"] is None


async def test_a_place_told_again_with_its_address_is_not_repeated(domain, make_dispatcher):
    """A customer run: the Where "Bristol" (from the request), then "it's going to the space in
    Bristol, 22 Quay St BS1 4DB" told to the Who question, read back "Bristol; Bristol; 22
    Quay St; BS1 4DB"."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    text = "it's going to the space in Bristol, 22 Quay St BS1 4DB"
    said = {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}}
    tracker = make_tracker({"requested_slot": "need_who", "need_what": "40 Atlas office chairs",
                            "need_where": "Bristol"}, text=text, intent="inform", events=[said], domain=domain)
    found = await ValidateNeedsForm().extract_need_where(make_dispatcher(tracker), tracker, domain)
    assert found == {"need_where": "Bristol; 22 Quay St; BS1 4DB"}


def test_frequent_questions_during_the_interview_are_answered(product) -> None:
    """Through the running product: a frequent question asked alone, and one asked beside an
    answer (bot/channels/second_requests.py), are answered, and the interview goes on with
    nothing of theirs on the sheet."""
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    assert "What problem should this solve" in customer.say(
        "I have a custom request: 40 engraved mugs for our office")
    hours = customer.say("what are your opening hours?")
    assert "Our support team is available" in hours and "What problem should this solve" in hours, hours
    both = customer.say("for a team event. do you deliver to france?")
    assert "To France" in both and "When do you need" in both, both
    # a part not understood alone ("by march." falls back): the message is the question,
    # and the question asked is asked again, not lost
    again = customer.say("by march. do you take paypal?")
    assert "PayPal" in again and again.index("PayPal") < again.rindex("When do you need it by"), again
    for answer in ("by march", "our office in Leeds", "me, Sam"):
        customer.say(answer)
    sheet = customer.say("engraving with our logo")
    assert "What: 40 engraved mugs for our office" in sheet, sheet
    assert "Why: for a team event" in sheet and "When: by march" in sheet, sheet
    assert "opening hours" not in sheet and "france" not in sheet.lower(), sheet


def test_a_problem_told_in_the_interview_is_its_answer_not_a_complaint(product) -> None:
    """A customer run: "our current lighting is poor for design work" to "What problem should
    this solve?" got "I'm really sorry. That sounds frustrating" and a person (3 of 6), as did
    "we pay by invoice with 30 day terms" to the How (2 of 2); the request was lost."""
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    assert "What problem should this solve" in customer.say("we'd like 10 Lumen desk lamps for our new studio")
    for problem, then in (("our current lighting is poor for design work", "When do you need"),
                          ("by march", "Where is it for"), ("our studio in Leeds", "Who will use it"),
                          ("our 6 designers, I decide", "how it should be done"),
                          ("we pay by invoice with 30 day terms", "Is that all correct?")):
        said = customer.say(problem)
        assert then in said and "passing you to a person" not in said and "sorry" not in said.lower(), said
    assert customer.transcript()["state"] == "bot"


def test_a_business_request_told_with_its_problem_starts_the_interview(product) -> None:
    """A customer run: "staff keep complaining about back pain from the chairs, we're after
    about 40 office chairs" was read as a complaint and handed over (2 of 2); "we want 25 new
    ones" lost the chairs named before it (3 of 3)."""
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    said = customer.say("staff keep complaining about back pain from the chairs, we're after about 40 office chairs")
    assert "passing you to a person" not in said and "When do you need" in said, said
    assert customer.transcript()["state"] == "bot"

    other = CustomerClient(product.gateway_url)
    said = other.say("hi, our office chairs are falling apart, we want 25 new ones for our Leeds office")
    assert "passing you to a person" not in said and "When do you need" in said, said
    for answer in ("by march", "our 25 staff, I decide"):
        said = other.say(answer)
    sheet = other.say("no")
    assert "What: 25 new office chairs" in sheet and "Why: our office chairs are falling apart" in sheet, sheet


def test_a_place_told_to_the_when_question_is_kept_whole_as_the_where(product) -> None:
    """A customer run: "Harbor Dental, 3 surgeries in leeds" to "When do you need it by?" was
    filed as the When."""
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    assert "When do you need" in customer.say("we need 12 reception chairs because the old ones are worn out")
    said = customer.say("Harbor Dental, 3 surgeries in leeds")
    assert "When do you need" in said and "Where is it for" not in said, said
    customer.say("by april")
    for answer in ("the practice manager", "no"):
        sheet = customer.say(answer)
    assert "Where: Harbor Dental, 3 surgeries in leeds" in sheet and "When: by april" in sheet, sheet


def test_the_frequent_questions_are_those_with_a_rule_of_their_own() -> None:
    """The form steps aside only for questions a rule answers (data/rules/faq.yml), and the
    written-down policies run the action that rule runs (actions.frequent_questions.ANSWERED_BY)."""
    import yaml

    from actions.frequent_questions import ANSWERED_BY
    from actions.needs import FREQUENT_QUESTIONS
    from tests.conftest import PROJECT_ROOT

    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / "faq.yml").read_text())["rules"]
    assert ANSWERED_BY == {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules}
    assert all(len(rule["steps"]) == 2 for rule in rules)
    assert FREQUENT_QUESTIONS == set(ANSWERED_BY)


async def test_leaving_the_interview_then_waits_or_goes_on_to_what_was_asked(domain, make_dispatcher):
    """A customer run: "stop, forget it" (a "no" to the model) got the goodbye to the interview
    and then "Sorry, I didn't quite get that"; an order asked about starts its check."""
    from actions.needs import ActionLeaveNeeds
    from tests.conftest import make_tracker

    for text, intent, then in (("stop, forget it", "deny", "action_listen"),
                               ("never mind", "nlu_fallback", "action_listen"),
                               ("stop. i dont want this. WHERE IS MY ORDER", "nlu_fallback", "action_clarify"),
                               ("actually nevermind, where is my order HG-100005", "order_status", "order_form")):
        tracker = make_tracker({"requested_slot": "need_why"}, text=text, intent=intent, active_loop="needs_form",
                               domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionLeaveNeeds().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_needs_abandoned"], text
        assert events[-1] == {"event": "followup", "timestamp": None, "name": then}, text


async def test_go_back_asks_the_question_before_again(domain, make_dispatcher):
    """A customer run: "go back" where the Where was asked became the Where, and "sorry i meant
    go back to the previous question, the venue is the Grand Hotel in York" the Who."""
    from actions.needs import ValidateNeedsForm
    from actions.needs_going_back import words_after_going_back
    from tests.conftest import make_tracker

    def asked(*slots):
        return [{"event": "active_loop", "name": "needs_form"}] + [
            {"event": "slot", "name": "requested_slot", "value": slot} for slot in slots]

    form = ValidateNeedsForm()
    filled = {"need_what": "40 photo frames", "need_why": "gifts for donors", "need_when": "by 14 March"}
    at_where = make_tracker({**filled, "requested_slot": "need_where"}, text="go back", intent="inform",
                            events=asked("need_why", "need_when", "need_where"), domain=domain)
    dispatcher = make_dispatcher(at_where)
    assert await form.extract_need_where(dispatcher, at_where, domain) == {"need_when": None}
    assert form.validate_need_when(None, dispatcher, at_where, domain) == {"need_when": None}
    assert dispatcher.responses() == []  # the When is simply asked again
    told = "sorry i meant go back to the previous question, the venue is the Grand Hotel in York"
    at_who = make_tracker({**filled, "need_where": None, "requested_slot": "need_who"}, text=told,
                          intent="inform", events=asked("need_why", "need_when", "need_where", "need_who"),
                          domain=domain)
    result = await form.extract_need_who(make_dispatcher(at_who), at_who, domain)
    assert "need_who" not in result and "Grand Hotel" in result["need_where"], result
    # the first question has none before it: asked again, nothing emptied
    first = make_tracker({"requested_slot": "need_why"}, text="go back", intent="inform",
                         events=asked("need_why"), domain=domain)
    assert await form.extract_need_why(make_dispatcher(first), first, domain) == {}
    # words that only mention going back are an answer
    assert words_after_going_back("so the staff don't have to go back to the warehouse") is None
    assert words_after_going_back("go back") == ""


def test_several_corrections_in_one_message_each_change_their_field():
    """A customer run: "the date moved to the 19th and it's 60 purifiers now" at the sheet gave
    "When: 60 purifiers now" (the date lost, What still 50); "it's 80 speakers now, and the
    deadline moved to 19 November" kept What at 60."""
    from actions.needs import corrections_told
    from needs.corrections import replaces_a_value

    sheet = {"what": "50 breeze air purifiers", "when": "before term starts on 4 September",
             "who": "our 12 staff", "how": "pay by purchase order, budget £6k"}
    assert corrections_told(dict(sheet), "the date moved to the 19th and it's 60 purifiers now") == {
        "when": "the 19th", "what": "60 breeze air purifiers"}
    assert corrections_told(dict(sheet), "the party moved to the 19th, and we're 14 staff now not 12") == {
        "when": "the 19th", "who": "our 14 staff"}
    assert corrections_told(dict(sheet), "we're 14 staff now") == {"who": "our 14 staff"}
    assert replaces_a_value(sheet, "it's 60 purifiers now") and replaces_a_value(sheet, "the party moved to friday")
    # a count of something the sheet does not count, or the same count, changes nothing
    assert not replaces_a_value(sheet, "it's 60 chairs now") and not replaces_a_value(sheet, "50 purifiers is right")


async def test_a_correction_beside_an_answer_changes_the_earlier_answer(domain, make_dispatcher):
    """A customer run: "I just said, the library. oh and sorry it's 35 lamps not 30" to the
    Why was kept whole as the Why, and the What stayed "30 Lumen desk lamps"."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    form = ValidateNeedsForm()
    text = "I just said, the library. oh and sorry it's 35 lamps not 30"
    said = {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}}
    slots = {"requested_slot": "need_why", "need_what": "30 Lumen desk lamps for the new library"}
    tracker = make_tracker(slots, text=text, intent="inform", events=[said], domain=domain)
    assert await form.extract_need_what(make_dispatcher(tracker), tracker, domain) == {
        "need_what": "35 Lumen desk lamps for the new library"}
    # (without the reminder that it was said: test_a_reminder_that_it_was_said_before_is_no_part_of_the_answer)
    assert await form.extract_need_why(make_dispatcher(tracker), tracker, domain) == {
        "need_why": "the library."}
    # only the correction: the Why is asked again
    only = "sorry it's 35 lamps not 30"
    tracker = make_tracker(slots, text=only, intent="inform",
                           events=[{**said, "text": only}], domain=domain)
    assert await form.extract_need_why(make_dispatcher(tracker), tracker, domain) == {}
    assert await form.extract_need_what(make_dispatcher(tracker), tracker, domain) == {
        "need_what": "35 Lumen desk lamps for the new library"}
    # an answer whose "not" corrects nothing told before is the answer, whole
    plain = "for the pupils, not the staff"
    tracker = make_tracker(slots, text=plain, intent="inform", events=[{**said, "text": plain}], domain=domain)
    assert await form.extract_need_why(make_dispatcher(tracker), tracker, domain) == {"need_why": plain}
    assert await form.extract_need_what(make_dispatcher(tracker), tracker, domain) == {}


async def test_an_answer_that_tells_other_questions_keeps_only_its_own_part(domain, make_dispatcher):
    """A customer run: "guests complain about allergies. we need them before the summer season,
    so by end of May, and I'm the ops manager but our CFO signs off. budget is about 8k" to the
    Why was kept whole as the Why; the budget was lost (the How had "installation" from the
    request), and the Who was "CFO"."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    form = ValidateNeedsForm()
    text = ("guests complain about allergies. we need them before the summer season, so by end of May, "
            "and I'm the ops manager but our CFO signs off. budget is about 8k")
    said = {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}}
    slots = {"requested_slot": "need_why", "need_what": "Breeze air purifiers in all 40 rooms",
             "need_where": "Bath; Bristol; Exeter", "need_how": "bulk deal with installation"}
    tracker = make_tracker(slots, text=text, intent="inform", events=[said], domain=domain)

    async def extracted(field):
        method = getattr(form, f"extract_need_{field}")
        return await method(make_dispatcher(tracker), tracker, domain)

    assert await extracted("why") == {"need_why": "guests complain about allergies"}
    assert await extracted("when") == {"need_when": "before the summer season; by end of May"}
    assert await extracted("who") == {"need_who": "ops manager; our CFO signs off"}
    assert await extracted("how") == {"need_how": "bulk deal with installation; budget is about 8k"}
    assert await extracted("where") == {}  # told before, and nothing new

    # what the sheet already has is told again, not added twice
    again = "budget is about 8k"
    tracker = make_tracker({**slots, "need_how": "installation; budget is about 8k", "requested_slot": "need_who"},
                           text=again, intent="inform", events=[{**said, "text": again}], domain=domain)
    assert await form.extract_need_how(make_dispatcher(tracker), tracker, domain) == {}


def test_an_answer_is_kept_whole_where_nothing_else_takes_its_parts():
    """A customer run: "budget around £8,000 incl installation, and we'd want a bulk discount"
    to the How kept "budget around £8,000; installation, and we'd" (the What, answered
    before, would not take "a bulk discount" either)."""
    from actions.needs import answer_to

    how = "budget around £8,000 incl installation, and we'd want a bulk discount"
    assert answer_to("how", how, frozenset({"how"})) == how
    # a sentence of another field's, told beside the Why, is left to that field
    why = "cleaner air in the classrooms because of allergies, and we need them before term starts on 4 September"
    assert answer_to("why", why, frozenset({"when", "how"})) == "cleaner air in the classrooms because of allergies"
    # ... unless that field is answered already: then the answer is kept whole
    assert answer_to("why", why, frozenset({"how"})) == why


@pytest.mark.parametrize("text, field, kept", [
    # customer runs: the sheet read back "What: like i said, 40 Atlas office chairs…"
    ("like i said, 40 Atlas office chairs and 40 Lumen desk lamps", "what",
     "40 Atlas office chairs and 40 Lumen desk lamps"),
    ("as i said its gifts for the attendees at our annual conference", "why",
     "its gifts for the attendees at our annual conference"),
    ("i already told you, 40 chairs", "what", "40 chairs"),
    # a later run: kept whole as the Why
    ("um I just told you? 8 Terra coffee grinders, 2 for each of our 4 cafes", "what",
     "8 Terra coffee grinders, 2 for each of our 4 cafes"),
    ("likewise for the other office", "what", "likewise for the other office"),
])
def test_a_reminder_that_it_was_said_before_is_no_part_of_the_answer(text, field, kept):
    from actions.needs import answer_to

    assert answer_to(field, text) == kept


def test_two_corrections_joined_by_and_each_change_their_field():
    """A customer run: "the where should say the Grand Hotel, Bath and the how should say
    £8,000 including installation" became one Where, the How unchanged."""
    from actions.needs import corrections_told

    sheet = {"what": "50 Orbit Smart Speakers", "where": "Bath", "how": "£8,000; installation"}
    assert corrections_told(dict(sheet), "the where should say the Grand Hotel, Bath and the how should say "
                                         "£8,000 including installation") == {
        "where": "the Grand Hotel, Bath", "how": "£8,000 including installation"}


async def test_a_what_that_counts_nothing_takes_the_things_counted_later(domain, make_dispatcher):
    """A customer run: "a quote for a bulk order" started the interview, and "50 Orbit Smart
    Speakers for guest rooms at the Grand Hotel in Bath, …" to the Why was never the What."""
    from actions.needs import ValidateNeedsForm
    from tests.conftest import make_tracker

    text = "50 Orbit Smart Speakers for guest rooms at the Grand Hotel in Bath, so guests can control the lights"
    said = {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}}
    for earlier, expected in (("a bulk order", {"need_what": "a bulk order; 50 Orbit Smart Speakers for guest rooms"}),
                              ("60 speakers", {})):  # a What with its count keeps it
        tracker = make_tracker({"requested_slot": "need_why", "need_what": earlier}, text=text, intent="inform",
                               events=[said], domain=domain)
        assert await ValidateNeedsForm().extract_need_what(make_dispatcher(tracker), tracker, domain) == expected


def test_what_the_things_must_be_like_is_kept_as_the_how():
    """A customer run: "they need to be wall mounted and theft proof if possible. oh wait, it's
    26 rooms now not 24" to the How question was read as a What ("need"), and the How kept only
    the correction."""
    from actions.needs import answer_to

    text = "they need to be wall mounted and theft proof if possible. oh wait, it's 26 rooms now not 24"
    kept = answer_to("how", text, frozenset({"what", "why", "when", "where", "who"}))
    assert "wall mounted and theft proof" in kept
