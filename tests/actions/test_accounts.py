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
        "new_contact_value": "+447700900999"}
    tracker = make_tracker({"contact_field": "email"}, text="nope", domain=domain)
    dispatcher = make_dispatcher(tracker)
    assert form.validate_new_contact_value("nope", dispatcher, tracker, domain) == {"new_contact_value": None}
    assert dispatcher.responses() == ["utter_email_invalid"]


async def test_update_is_written_for_the_verified_account(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"account_verified": "alice.morgan@example.com", "contact_field": "phone",
                            "new_contact_value": "+447700900999"}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionUpdateContactDetails().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_contact_updated"]
    alice = session.execute(select(Customer).where(Customer.email == "alice.morgan@example.com")).scalar_one()
    assert alice.phone == "+447700900999"
    assert session.execute(select(OutboundEmail.template)).scalar_one() == "contact_changed"


async def test_email_taken_by_another_account_is_refused(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"account_verified": "alice.morgan@example.com", "contact_field": "email",
                            "new_contact_value": "ben.okafor@example.com"}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionUpdateContactDetails().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_email_in_use"]
