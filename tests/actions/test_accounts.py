import pytest
from sqlalchemy import select

from actions.accounts import (
    ActionRequestPasswordReset,
    ActionUpdateContactDetails,
    ValidateContactForm,
    ValidatePasswordResetForm,
)
from actions.verification import MAX_FAILED_CHECKS
from company.models import Customer, OutboundEmail, PasswordReset
from tests.conftest import entity, make_tracker


def test_reset_form_wants_an_email(domain, make_dispatcher):
    form = ValidatePasswordResetForm()
    tracker = make_tracker(domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_account_email("my name is bob", dispatcher, tracker, domain) == {"account_email": None}
    assert dispatcher.responses() == ["utter_email_invalid"]
    tracker = make_tracker(text="it's bob@example.org", entities=[entity("email", "bob@example.org")], domain=domain)
    assert form.validate_account_email("it's bob@example.org", make_dispatcher(tracker), tracker, domain) == {
        "account_email": "bob@example.org"}


async def test_the_address_given_with_the_reset_request_is_not_asked_again(domain, make_dispatcher):
    """A customer run: "can you reset my password and also take me off the mailing list, email
    is alice.morgan@example.com" was asked "What's the email address on your account?"."""
    text = "can you reset my password, email is alice.morgan@example.com"
    tracker = make_tracker(text=text, intent="reset_password", domain=domain,
                           entities=[entity("email", "alice.morgan@example.com")])
    form = ValidatePasswordResetForm()
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {
        "account_email": "alice.morgan@example.com"}
    # an address told for something else, or already known, is not taken
    for slots, intent in (({}, "newsletter_unsubscribe"), ({"account_email": "ben.okafor@example.com"}, "reset_password")):
        tracker = make_tracker(slots, text=text, intent=intent, domain=domain,
                               entities=[entity("email", "alice.morgan@example.com")])
        assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {}


@pytest.mark.parametrize("text", ["the reset email never arrives", "i dont know which email i used",
                                  "forgot which address", "nothing in spam either"])
def test_words_about_the_reset_failing_get_help_and_a_way_to_a_person(domain, make_dispatcher, text):
    # "the reset email never arrives" got "that doesn't look like an email address" again
    # and again
    form = ValidatePasswordResetForm()
    tracker = make_tracker(text=text, domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_account_email(text, dispatcher, tracker, domain) == {"account_email": None}
    assert dispatcher.responses() == ["utter_password_reset_help"]
    buttons = domain["responses"]["utter_password_reset_help"][0]["buttons"]
    assert "/request_human" in [button["payload"] for button in buttons]
    # a mistyped address is still told it is no address
    tracker = make_tracker(text="bob.example.com", domain=domain)
    dispatcher = make_dispatcher(tracker)
    form.validate_account_email("bob.example.com", dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_email_invalid"]


async def test_reset_answer_does_not_reveal_whether_an_account_exists(database_url, session, domain, make_dispatcher):
    answers = []
    for email in ["alice.morgan@example.com", "nobody@example.com"]:
        tracker = make_tracker({"account_email": email}, domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionRequestPasswordReset().run(dispatcher, tracker, domain)
        answers.append(dispatcher.responses())
    assert answers[0] == answers[1] == ["utter_password_reset_sent"]
    assert len(session.execute(select(PasswordReset)).scalars().all()) == 1


async def test_a_reply_right_after_the_reset_link_is_about_the_link(database_url, session, domain,
                                                                     make_dispatcher):
    """"it hasnt come through" (an order not arrived, to the model) got "what's your order
    number?", and "can u send another" was then no order number: a loop with no way out."""
    from actions.accounts import ActionPasswordResetReply

    sent = {"password_reset_sent_to": "alice.morgan@example.com"}
    for text, intent, said in (
            ("it hasnt come through", "order_status", ["utter_password_reset_not_arrived"]),
            ("checked junk too, nothing", "nlu_fallback", ["utter_password_reset_not_arrived"]),
            ("can u send another", "reset_password", ["utter_password_reset_sent"]),
            ("no thanks", "deny", ["utter_ok_anything_else"]),
            # from a review: no second email for these, and no "hasn't come through"
            ("ok thanks, I'll try again later", "nlu_fallback", ["utter_password_reset_not_arrived"]),
            ("no need, found it in spam", "deny", ["utter_ok_anything_else"]),
            ("is there a delivery delay on emails", "nlu_fallback", ["utter_password_reset_not_arrived"])):
        tracker = make_tracker(sent, text=text, intent=intent, domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionPasswordResetReply().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == said, text
        assert all(e["event"] == "slot" for e in events), text
        if said != ["utter_ok_anything_else"]:  # the address it went to, masked
            assert dispatcher.messages[0]["masked_email"] == "al***@example.com", text
    assert len(session.execute(select(PasswordReset)).scalars().all()) == 1  # the one sent again
    # another address given: the link goes there (a customer run: "sorry typed the wrong
    # email, its …" was never used, 3 of 3)
    tracker = make_tracker(sent, text="sorry typed the wrong email, its ben.okafor@example.com",
                           intent="inform", entities=[entity("email", "ben.okafor@example.com")],
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionPasswordResetReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_password_reset_sent"]
    assert dispatcher.messages[0]["masked_email"] == "be***@example.com"
    assert events == [{"event": "slot", "timestamp": None, "name": "password_reset_sent_to",
                       "value": "ben.okafor@example.com"}]
    # a question about an order after all goes to the order, with its own task
    tracker = make_tracker(sent, text="ok and where is my order HG-100001", intent="order_status",
                           entities=[entity("order_number", "HG-100001")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionPasswordResetReply().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == []
    assert [(e["event"], e.get("name"), e.get("value")) for e in events] == [
        ("slot", "password_reset_sent_to", None), ("slot", "order_task", "status"),
        ("followup", "order_form", None)]


async def test_a_link_that_came_but_will_not_open_is_not_said_to_be_missing(database_url, session, domain,
                                                                            make_dispatcher):
    """A customer run: "got it but it says link expired?? i clicked it straight away" got
    "Sorry it hasn't come through", and "it DID come through" a person."""
    from actions.accounts import ActionPasswordResetReply

    sent = {"password_reset_sent_to": "alice.morgan@example.com"}
    for text, failed in (("got it but it says link expired?? i clicked it straight away", True),
                         ("the link doesnt work", True), ("it says invalid link", True),
                         ("the link is not working", True),
                         # a review: these never came
                         ("it didn't work, nothing came through", False),
                         ("still nothing, is my email not valid?", False)):
        tracker = make_tracker(sent, text=text, intent="nlu_fallback", domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionPasswordResetReply().run(dispatcher, tracker, domain)
        expected = "utter_password_reset_link_failed" if failed else "utter_password_reset_not_arrived"
        assert dispatcher.responses() == [expected], text
    # nothing is sent until the customer asks for the new link (the button)
    assert session.execute(select(PasswordReset)).scalars().all() == []


async def test_contact_field_is_taken_from_the_request(domain, make_dispatcher):
    tracker = make_tracker(text="I need to change my phone number", intent="update_contact_details", domain=domain)
    result = await ValidateContactForm().extract_contact_field(make_dispatcher(tracker), tracker, domain)
    assert result == {"contact_field": "phone"}
    tracker = make_tracker(text="update my details", intent="update_contact_details", domain=domain)
    assert await ValidateContactForm().extract_contact_field(make_dispatcher(tracker), tracker, domain) == {}


@pytest.mark.parametrize("text, new", [
    ("its alice.new@example.com now", True),
    ("my new email is alice.new@example.com", True),
    ("change it to alice.new@example.com", True),
    ("alice.new@example.com", False),  # the word "new" inside the address says nothing
    ("my email right now is alice.morgan@example.com", False),
    ("alice.morgan@example.com", False),
])
def test_the_new_email_told_for_the_current_one_is_kept_not_checked(domain, make_dispatcher, text, new):
    """'its alice.new@example.com now' answering "what's the email on your account right
    now?" was taken as the current one, and the account check then failed (a failure that
    counts towards a lock)."""
    address = text.split()[-2] if text.endswith(" now") else next(w for w in text.split() if "@" in w)
    tracker = make_tracker(text=text, entities=[entity("email", address)], domain=domain)
    dispatcher = make_dispatcher(tracker)
    result = ValidateContactForm().validate_account_email(text, dispatcher, tracker, domain)
    if new:
        assert result == {"account_email": None, "contact_field": "email", "new_contact_value": address}
        assert dispatcher.responses() == ["utter_new_email_kept"]
    else:
        assert result == {"account_email": address} and dispatcher.responses() == []
    # a phone number being changed, or a new address already given: the answer is the current one
    for slots in ({"contact_field": "phone"}, {"new_contact_value": "x@example.com"}):
        tracker = make_tracker(slots, text=text, entities=[entity("email", address)], domain=domain)
        assert ValidateContactForm().validate_account_email(text, make_dispatcher(tracker), tracker, domain) == {
            "account_email": address}


def test_account_is_verified_before_any_change(database_url, domain, make_dispatcher):
    form = ValidateContactForm()
    tracker = make_tracker({"account_email": "alice.morgan@example.com"}, domain=domain)
    result = form.validate_account_postcode("LS6 2QT", make_dispatcher(tracker), tracker, domain)
    assert result == {"account_postcode": "LS6 2QT", "account_verified": "alice.morgan@example.com",
                      "customer_vip": False}

    dispatcher = make_dispatcher(tracker)
    result = form.validate_account_postcode("M3 4LQ", dispatcher, tracker, domain)
    assert result["account_verified"] is None and result["account_email"] is None
    assert result["verification_failures"] == 1
    assert dispatcher.responses() == ["utter_account_not_verified"]


async def test_locked_conversation_skips_the_rest_of_the_form(domain, make_dispatcher):
    tracker = make_tracker({"verification_failures": float(MAX_FAILED_CHECKS)}, domain=domain)
    slots = await ValidateContactForm().required_slots(
        ["account_email", "account_postcode", "contact_field", "new_contact_value"],
        make_dispatcher(tracker), tracker, domain)
    assert slots == []


def test_new_value_is_validated_for_its_field(domain, make_dispatcher):
    form = ValidateContactForm()
    tracker = make_tracker({"contact_field": "phone"}, text="07700 900999",
                           entities=[entity("phone", "07700 900999")], domain=domain)
    assert form.validate_new_contact_value("07700 900999", make_dispatcher(tracker), tracker, domain) == {
        "new_contact_value": "+447700900999", "contact_confirmed": None}
    tracker = make_tracker({"contact_field": "email"}, text="nope", domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_new_contact_value("nope", dispatcher, tracker, domain) == {"new_contact_value": None}
    assert dispatcher.responses() == ["utter_email_invalid"]


async def test_update_is_written_for_the_verified_account(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"account_verified": "alice.morgan@example.com", "contact_field": "phone",
                            "new_contact_value": "+447700900999", "contact_confirmed": "yes"}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionUpdateContactDetails().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_contact_updated"]
    alice = session.execute(select(Customer).where(Customer.email == "alice.morgan@example.com")).scalar_one()
    assert alice.phone == "+447700900999"
    assert session.execute(select(OutboundEmail.template)).scalar_one() == "contact_changed"


async def test_another_task_asked_with_the_words_that_leave_the_change_is_started(domain, make_dispatcher):
    """A customer run: "leave it, actually I'll keep the old one for now. but I also forgot my
    password, how do i reset" left the email as it was, the reset was never started, and
    "hello?? password reset??" went to a person."""
    text = "leave it, actually I'll keep the old one for now. but I also forgot my password, how do i reset"
    left = {"account_verified": "alice.morgan@example.com", "contact_field": "email", "contact_confirmed": "kept"}
    tracker = make_tracker(left, text=text, intent="reset_password", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionUpdateContactDetails().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_contact_unchanged"]
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "password_reset_form"}
    # left with nothing else asked (or the change itself, or a reading not sure): nothing started
    for intent, confidence in (("deny", 0.95), ("update_contact_details", 0.95), ("reset_password", 0.5)):
        tracker = make_tracker(left, text="leave it", intent=intent, domain=domain)
        tracker.latest_message["intent"]["confidence"] = confidence
        events = await ActionUpdateContactDetails().run(make_dispatcher(tracker), tracker, domain)
        assert not [e for e in events if e["event"] == "followup"], intent


def test_the_account_tasks_start_with_the_forms_their_rules_start():
    """actions.frequent_questions.STARTED_BY, which starts a task asked for with other words,
    and the rules of data/rules/account.yml that start each from its intent."""
    import yaml

    from actions.frequent_questions import STARTED_BY
    from tests.conftest import PROJECT_ROOT

    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / "account.yml").read_text())["rules"]
    started = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules
               if "intent" in rule["steps"][0] and len(rule["steps"]) == 3
               and rule["steps"][2].get("active_loop") == rule["steps"][1].get("action")}
    assert {intent: started.get(intent) for intent in STARTED_BY} == STARTED_BY


async def test_email_taken_by_another_account_is_refused(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"account_verified": "alice.morgan@example.com", "contact_field": "email",
                            "new_contact_value": "ben.okafor@example.com", "contact_confirmed": "yes"},
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionUpdateContactDetails().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_email_in_use"]


_VERIFIED = {"account_email": "alice.morgan@example.com", "account_postcode": "LS6 2QT",
             "account_verified": "alice.morgan@example.com", "contact_field": "email"}


async def _contact_form_turn(domain, make_dispatcher, slots, text, intent, entities=(), mapped=None):
    """One turn of the contact form's validation; `mapped`: the slots Rasa's own mappings
    filled from the message."""
    events = [{"event": "user", "text": text}] + [
        {"event": "slot", "name": name, "value": value} for name, value in (mapped or {}).items()]
    tracker = make_tracker(dict(_VERIFIED, **slots, **(mapped or {})), text=text, intent=intent,
                           entities=list(entities), active_loop="contact_form", domain=domain,
                           events=events)
    dispatcher = make_dispatcher(tracker)
    events = await ValidateContactForm().run(dispatcher, tracker, domain)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher


async def test_a_new_email_is_read_back_before_it_is_changed(database_url, session, domain, make_dispatcher):
    """An account email was changed the moment it was typed, with no read back, and "it
    should be gmail.com not gmial" after it was not understood. The new value is read back
    now: "yes" changes it, a correction is read back in its turn, a "no" asks for the right
    one, and "leave it" changes nothing."""
    typed, _ = await _contact_form_turn(domain, make_dispatcher, {"requested_slot": "new_contact_value"},
                                        "noah.davies@gmial.com", "inform",
                                        [entity("email", "noah.davies@gmial.com")],
                                        {"new_contact_value": "noah.davies@gmial.com"})
    # Rasa's form then asks the first empty slot: the read back
    assert typed["new_contact_value"] == "noah.davies@gmial.com" and typed["contact_confirmed"] is None
    read_back = {"requested_slot": "contact_confirmed", "new_contact_value": "noah.davies@gmial.com"}
    for text, intent, entities in (("it should be gmail.com not gmial", "inform", ()),
                                   ("no its gmail not gmial", "deny", ()),
                                   ("sorry, noah.davies@gmail.com", "inform",
                                    [entity("email", "noah.davies@gmail.com")])):
        fixed, _ = await _contact_form_turn(domain, make_dispatcher, read_back, text, intent, entities)
        assert fixed["new_contact_value"] == "noah.davies@gmail.com", (text, fixed)
        assert fixed["contact_confirmed"] is None, (text, fixed)
    refused, _ = await _contact_form_turn(domain, make_dispatcher, read_back, "no", "deny",
                                          mapped={"contact_confirmed": "no"})
    assert refused["contact_confirmed"] == "no" and refused["new_contact_value"] is None
    for text, intent in (("no, leave it", "deny"), ("actually keep the old one", "nlu_fallback")):
        kept, _ = await _contact_form_turn(domain, make_dispatcher, read_back, text, intent)
        assert kept["contact_confirmed"] == "kept" and kept["requested_slot"] is None, (text, kept)
    agreed, _ = await _contact_form_turn(domain, make_dispatcher, read_back, "yes", "affirm",
                                         mapped={"contact_confirmed": "yes"})
    assert agreed["contact_confirmed"] == "yes"

    # nothing is stored until the "yes"; then the value read back is
    for answer, stored in (("kept", None), (None, None), ("yes", "noah.davies@gmail.com")):
        tracker = make_tracker(dict(_VERIFIED, new_contact_value="noah.davies@gmail.com",
                                    contact_confirmed=answer), domain=domain)
        dispatcher = make_dispatcher(tracker)
        await ActionUpdateContactDetails().run(dispatcher, tracker, domain)
        alice = session.execute(select(Customer).where(Customer.id == 1)).scalar_one()
        session.refresh(alice)
        assert (alice.email == "noah.davies@gmail.com") is (stored is not None), answer
    assert dispatcher.responses() == ["utter_contact_updated"]


async def test_a_no_before_the_read_back_ends_the_change(domain, make_dispatcher):
    """The rule that ended the contact form on any "no" is gone (a "no" to the read back asks
    again); a "no" where the account or the new value is asked still ends it, unless it
    gives the value ("no its alice.morgan@example.com")."""
    for asked in ("account_email", "new_contact_value"):
        ended, _ = await _contact_form_turn(domain, make_dispatcher, {"requested_slot": asked}, "no", "deny")
        assert ended["contact_confirmed"] == "kept" and ended["requested_slot"] is None, (asked, ended)
    answered, _ = await _contact_form_turn(domain, make_dispatcher, {"requested_slot": "new_contact_value"},
                                           "no its alice.m@example.com", "deny",
                                           [entity("email", "alice.m@example.com")],
                                           {"new_contact_value": "no its alice.m@example.com"})
    assert answered.get("contact_confirmed") != "kept", answered


async def test_a_new_email_told_with_the_request_is_kept(domain, make_dispatcher):
    """A customer run: "can u change my email to alice.m1990@gmail.com" asked for the new
    email again after the account check (3 of 3)."""
    text = "can u change my email to alice.m1990@gmail.com"
    tracker = make_tracker(text=text, intent="update_contact_details",
                           entities=[entity("email", "alice.m1990@gmail.com")], domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert await ValidateContactForm().extract_new_contact_value(dispatcher, tracker, domain) == {
        "contact_field": "email", "new_contact_value": "alice.m1990@gmail.com"}
    assert dispatcher.responses() == ["utter_new_email_kept"]
    # no new address in the request, or one given already: nothing taken
    for slots, said in (({}, "i want to change my email"),
                        ({"new_contact_value": "x@example.com"}, text)):
        tracker = make_tracker(slots, text=said, intent="update_contact_details", domain=domain,
                               entities=[entity("email", "alice.m1990@gmail.com")] if "@" in said else [])
        assert await ValidateContactForm().extract_new_contact_value(make_dispatcher(tracker), tracker, domain) == {}


async def test_the_address_of_the_reset_just_asked_for_finds_the_account(domain, make_dispatcher):
    """A customer run: "i forgot my password", "alice.morgan@example.com" (the link sent), then
    "also can i change the email on my account?" asked for the account's address again."""
    text = "also can i change the email on my account?"
    reset = {"password_reset_sent_to": "alice.morgan@example.com"}
    tracker = make_tracker(reset, text=text, intent="update_contact_details", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ValidateContactForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("account_email") == "alice.morgan@example.com" and slots.get("contact_field") == "email"
    assert dispatcher.responses() == ["utter_account_email_from_the_reset"]
    assert dispatcher.messages[0]["masked_email"] == "al***@example.com"
    # the form asking already, an address told with the request, or no reset: nothing taken
    for slots_before, said, told in (({**reset, "requested_slot": "account_email"}, "hmm", []),
                                     (reset, "change my email, it's ben.okafor@example.com",
                                      [entity("email", "ben.okafor@example.com")]),
                                     ({}, text, [])):
        tracker = make_tracker(slots_before, text=said, intent="update_contact_details", entities=told, domain=domain)
        assert await ValidateContactForm().extract_account_email(make_dispatcher(tracker), tracker, domain) == {}


@pytest.mark.parametrize("current, text, corrected", [
    ("noah.davies@gmial.com", "it should be gmail.com not gmial", "noah.davies@gmail.com"),
    ("noah.davies@gmial.com", "gmail not gmial", "noah.davies@gmail.com"),
    # a second run: ".co.uk not .com" gave alice.morgan@co.uk
    ("alice.morgan@hotmail.com", "oops it should be .co.uk not .com", "alice.morgan@hotmail.co.uk"),
    ("a@hotmail.com", "hotmail.co.uk not hotmail.com", "a@hotmail.co.uk"),
    ("noha.davies@gmail.com", "noah not noha", "noah.davies@gmail.com"),
    ("noah@gmail.com", "yes thats right", None), ("noah@gmail.com", "no not that one", None),
])
def test_a_correction_of_part_of_the_new_email(current, text, corrected):
    from actions.contact_corrections import corrected_email

    assert corrected_email(current, text) == corrected


@pytest.mark.parametrize("text", ["leave it actually", "just leave it for now thanks", "no leave it then"])
async def test_leave_it_with_more_words_keeps_the_old_value(domain, make_dispatcher, text):
    """A customer run: told 'just say "leave it"', "leave it actually" got "That doesn't look
    like an email address"."""
    kept, dispatcher = await _contact_form_turn(domain, make_dispatcher, {"requested_slot": "new_contact_value"},
                                                text, "nlu_fallback", mapped={"new_contact_value": text})
    assert kept["contact_confirmed"] == "kept" and dispatcher.responses() == [], (kept, dispatcher.responses())


async def test_a_new_phone_told_with_the_request_is_kept(domain, make_dispatcher):
    """A later run: "pls swap my phone number to 07123 456789" asked for the new number again."""
    for text, kept in (("pls swap my phone number to 07123 456789", "+447123456789"),
                       ("change my mobile to +44 (0)7700 900 456", "+447700900456"),
                       ("i need to change my phone number", None)):
        tracker = make_tracker(text=text, intent="update_contact_details", domain=domain)
        found = await ValidateContactForm().extract_new_contact_value(make_dispatcher(tracker), tracker, domain)
        assert found == ({"contact_field": "phone", "new_contact_value": kept} if kept else {}), text


async def test_the_new_value_told_with_the_proof_is_kept(domain, make_dispatcher):
    """A customer run: "ben.okafor@…, new one is ben.ok@…" to "what's the email on your account?"
    and "alice.morgan@…. postcode LS6 2QT. new number is 07700 900123" each asked for the new
    value again."""
    text = "ben.okafor@example.com, new one is ben.ok@newmail.co.uk"
    tracker = make_tracker({"requested_slot": "account_email"}, text=text, intent="inform", domain=domain,
                           entities=_emails(text, "ben.okafor@example.com", "ben.ok@newmail.co.uk")["entities"])
    form = ValidateContactForm()
    found = await form.extract_new_contact_value(make_dispatcher(tracker), tracker, domain)
    assert found == {"contact_field": "email", "new_contact_value": "ben.ok@newmail.co.uk",
                     "account_email": "ben.okafor@example.com"}
    text = "oops typo, alice.morgan@example.com. postcode LS6 2QT. new number is 07700 900123"
    tracker = make_tracker({"requested_slot": "account_email", "contact_field": "phone"}, text=text, intent="inform",
                           domain=domain, entities=[entity("email", "alice.morgan@example.com"),
                                                    entity("postcode", "LS6 2QT"), entity("phone", "07700 900123")])
    found = await form.extract_new_contact_value(make_dispatcher(tracker), tracker, domain)
    assert found == {"contact_field": "phone", "new_contact_value": "+447700900123"}
    # the account email alone, or a number that is not said to be the new one, is no new value
    for text, slots, told in (("alice.morgan@example.com", {}, [entity("email", "alice.morgan@example.com")]),
                              ("its alice.new@example.com now", {}, [entity("email", "alice.new@example.com")]),
                              ("LS6 2QT, 07700 900123", {"contact_field": "phone"},
                               [entity("postcode", "LS6 2QT"), entity("phone", "07700 900123")])):
        tracker = make_tracker({"requested_slot": "account_email", **slots}, text=text, intent="inform",
                               domain=domain, entities=told)
        assert await form.extract_new_contact_value(make_dispatcher(tracker), tracker, domain) == {}, text


async def test_a_postcode_told_with_the_account_email_is_the_proof(database_url, domain, make_dispatcher):
    """A later run: "victoria.hughes@example.com and NW1 6XE" asked for the postcode again, and
    the new email typed next was checked as the postcode (a failed check)."""
    text = "alice.morgan@example.com and LS6 2QT"
    tracker = make_tracker({"requested_slot": "account_email"}, text=text,
                           entities=[entity("email", "alice.morgan@example.com"), entity("postcode", "LS6 2QT")],
                           domain=domain)
    form = ValidateContactForm()
    assert await form.extract_account_postcode(make_dispatcher(tracker), tracker, domain) == {"account_postcode": "LS6 2QT"}
    # no account email beside it (a new one, kept as the new email): no check against nothing
    tracker = make_tracker({"requested_slot": "account_email"}, text="LS6 2QT", domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_account_postcode("LS6 2QT", dispatcher, tracker, domain) == {"account_postcode": None}
    assert dispatcher.responses() == []


async def test_a_correction_of_part_of_the_new_phone_number(domain, make_dispatcher):
    """Later runs: "no sorry last bit is 124 not 123" at the number read back got "Could you
    tell me in a few words what you need?" and the same number again (3 of 3)."""
    from actions.contact_corrections import corrected_phone

    assert corrected_phone("+447700900123", "no sorry last bit is 124 not 123") == "+447700900124"
    assert corrected_phone("+447911123465", "no the end should be 456 not 465") == "+447911123456"
    assert corrected_phone("+447700900123", "no not 555") is None
    read_back = {"requested_slot": "contact_confirmed", "contact_field": "phone", "new_contact_value": "+447700900123"}
    fixed, _ = await _contact_form_turn(domain, make_dispatcher, read_back, "no sorry last bit is 124 not 123", "deny",
                                        mapped={"contact_confirmed": "no"})
    assert fixed["new_contact_value"] == "+447700900124" and fixed["contact_confirmed"] is None, fixed


def _emails(text: str, *values: str) -> dict:
    return {"text": text, "entities": [{"entity": "email", "value": value, "start": text.index(value),
                                        "end": text.index(value) + len(value)} for value in values]}


@pytest.mark.parametrize("text, both", [
    ("my email has changed from ann@old.example to ann@new.example, can you update it",
     ("ann@old.example", "ann@new.example")),
    ("change my email ann@old.example -> ann@new.example", ("ann@old.example", "ann@new.example")),
    ("ann@old.example, the new one is ann@new.example", ("ann@old.example", "ann@new.example")),
    ("ann@old.example is now ann@new.example", ("ann@old.example", "ann@new.example")),
    # a later run: both asked for again
    ("it used to be ann@old.example but now its ann@new.example", ("ann@old.example", "ann@new.example")),
    # two addresses that are not an old and a new one
    ("ann@old.example and bob@old.example both get the newsletter", None),
    ("ann@old.example to ann@old.example", None),
])
def test_the_current_and_the_new_email_told_together(text, both):
    from actions.accounts import old_and_new_email

    values = [v for v in (both or ()) if v in text] or [w for w in text.split() if "@" in w][:2]
    assert old_and_new_email(_emails(text, *dict.fromkeys(values))) == both


def test_an_email_changed_from_one_to_another_asks_only_the_postcode(product) -> None:
    """A customer run: "my email has changed from X to Y" asked for the current address again."""
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    said = customer.say("hi my email has changed from alice.morgan@example.com to alice.m@newmail.example, "
                        "can you update it")
    assert "alice.m@newmail.example your new email address" in said and "postcode" in said, said
    assert "email address on your account right now" not in said, said
    read_back = customer.say("LS6 2QT")
    assert "alice.m@newmail.example" in read_back and "?" in read_back, read_back
    # (the shared demo account keeps its address)
    assert "as it was" in customer.say("no leave it")


async def test_a_link_asked_for_after_links_did_not_arrive_says_why_and_offers_a_person(
        database_url, domain, make_dispatcher):
    """A customer run: "forgot my password and the reset email never comes", then "… I've tried
    3 times already and nothing arrives, not in spam either" got "Can't see it? Check your spam
    folder"."""
    from actions.accounts import ActionRequestPasswordReset

    def user(text):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "reset_password"}}}

    for first, second, trouble in (
            ("forgot my password and the reset email never comes", "victoria.hughes@example.com", True),
            ("reset my password", "victoria.hughes@example.com but I've tried 3 times, not in spam either", True),
            ("my reset link doesn't arrive", "victoria.hughes@example.com", True),
            ("forgot my password", "victoria.hughes@example.com", False)):
        tracker = make_tracker({"account_email": "victoria.hughes@example.com"}, text=second, domain=domain,
                               events=[user(first), user(second)])
        dispatcher = make_dispatcher(tracker)
        await ActionRequestPasswordReset().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == (["utter_password_reset_sent_after_trouble"] if trouble
                                          else ["utter_password_reset_sent"]), (first, second)


@pytest.mark.parametrize("text, none", [
    ("i dont have an account, just want the emails", True), ("I DONT HAVE AN ACCOUNT", True),
    ("never made one", True), ("i haven't got an account", True), ("no account, sorry", True),
    ("I've never signed up", True), ("without an account", True),
    ("I have an account but forgot the password", False), ("i dont have the email for the account anymore", False),
    ("LS6 2QT", False), ("i have two accounts", False),
    # a review: not yet signed up, asking; an account's address not to hand
    ("i'm not signed up yet, that's why i'm asking", False), ("I don't have an account email to hand", False),
])
def test_no_account_in_words(text, none):
    from actions.accounts import tells_no_account

    assert tells_no_account(text) is none
