"""Feedback actions on a real database: captured, thanked for what it says, and a negative
comment brings a person back (the closed loop)."""

from __future__ import annotations

from sqlalchemy import select

from actions.company_db import company_sessions
from actions.feedback import ActionCaptureFeedback, ActionOfferRating, ActionRecordRatingComment
from conversations.models import State
from conversations.store import ConversationStore
from feedback.models import Feedback, FeedbackKind
from handoff.models import Rating
from tests.actions.test_ratings import rate, resolved_conversation
from tests.conftest import make_tracker


async def capture(domain, make_dispatcher, sender, text):
    tracker = make_tracker({"feedback_text": text}, text=text, intent="give_feedback",
                           domain=domain, sender_id=sender)
    dispatcher = make_dispatcher(tracker)
    events = await ActionCaptureFeedback().run(dispatcher, tracker, domain)
    return dispatcher.responses(), events


def stored_feedback():
    with company_sessions()() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.id)))


async def test_a_compliment_is_stored_and_thanked_for_its_topic(database_url, domain, make_dispatcher):
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    responses, events = await capture(domain, make_dispatcher, conversation.id,
                                      "the courier was really friendly, please pass that on")
    assert responses == ["utter_feedback_thanks_compliment"]
    assert {"event": "slot", "name": "feedback_category", "value": "delivery", "timestamp": None} in events
    [row] = stored_feedback()
    assert (row.kind, row.category, row.conversation_id) == (FeedbackKind.COMPLIMENT, "delivery", conversation.id)


async def test_negative_feedback_opens_a_follow_up_ticket_for_a_person(database_url, domain, make_dispatcher):
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    responses, _ = await capture(domain, make_dispatcher, conversation.id,
                                 "the parcel was left in the rain and the driver was rude")
    assert responses == ["utter_feedback_thanks_negative"]
    [row] = stored_feedback()
    assert row.follow_up_ticket_id is not None and row.sentiment <= -0.3
    assert ConversationStore(company_sessions()).conversation(conversation.id).state == State.QUEUED


async def comment(domain, make_dispatcher, sender, text, rating_id):
    tracker = make_tracker({"rating_comment": text, "rating_id": rating_id}, text=text,
                           domain=domain, sender_id=sender)
    dispatcher = make_dispatcher(tracker)
    await ActionRecordRatingComment().run(dispatcher, tracker, domain)
    return dispatcher.responses()


async def test_a_comment_is_stored_with_its_rating(database_url, domain, make_dispatcher):
    conversation = resolved_conversation()
    events = []
    await rate(domain, make_dispatcher, conversation, "4", events)
    rating_id = next(e["value"] for e in events if e.get("name") == "rating_id")
    assert await comment(domain, make_dispatcher, conversation, "quick and kind, thanks",
                         rating_id) == ["utter_rating_comment_thanks"]
    [row] = stored_feedback()
    assert (row.kind, row.rating_id, row.follow_up_ticket_id) == (FeedbackKind.RATING_COMMENT, int(rating_id), None)


async def test_a_negative_comment_closes_the_loop_back_to_the_owner(database_url, domain, make_dispatcher):
    conversation = resolved_conversation()
    events = []
    await rate(domain, make_dispatcher, conversation, "3", events)
    rating_id = next(e["value"] for e in events if e.get("name") == "rating_id")
    assert await comment(domain, make_dispatcher, conversation,
                         "it took far too long and nobody explained anything, very disappointing",
                         rating_id) == ["utter_rating_comment_follow_up"]
    [row] = stored_feedback()
    assert row.follow_up_ticket_id is not None
    with company_sessions()() as session:
        assert session.get(Rating, int(rating_id)).score == 3
    assert ConversationStore(company_sessions()).conversation(conversation).state == State.QUEUED


async def test_no_comment_is_fine(database_url, domain, make_dispatcher):
    conversation = resolved_conversation()
    assert await comment(domain, make_dispatcher, conversation, "not known yet", "1") == ["utter_rating_no_comment"]
    assert stored_feedback() == []


async def test_a_comment_needs_a_rating_just_stored_and_is_kept_once(database_url, domain,
                                                                    make_dispatcher):
    conversation = resolved_conversation()
    angry = "it took far too long and nobody explained anything, very disappointing"
    assert await comment(domain, make_dispatcher, conversation, angry, None) == ["utter_ok_anything_else"]
    other = resolved_conversation()
    events = []
    await rate(domain, make_dispatcher, other, "4", events)
    rating_id = next(e["value"] for e in events if e.get("name") == "rating_id")
    # another conversation's rating is no rating to comment here
    assert await comment(domain, make_dispatcher, conversation, angry, rating_id) == ["utter_ok_anything_else"]
    assert await comment(domain, make_dispatcher, other, "quick and kind", rating_id) == [
        "utter_rating_comment_thanks"]
    assert await comment(domain, make_dispatcher, other, angry, rating_id) == ["utter_ok_anything_else"]
    assert [(row.conversation_id, row.text) for row in stored_feedback()] == [(other, "quick and kind")]
    for case in (conversation, other):
        assert ConversationStore(company_sessions()).conversation(case).state == State.BOT


async def offer(domain, make_dispatcher, intents, slots=None):
    events = [{"event": "user", "parse_data": {"intent": {"name": name}}} for name in intents]
    tracker = make_tracker(slots or {}, events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionOfferRating().run(dispatcher, tracker, domain)
    return dispatcher.responses()


async def test_a_rating_is_offered_once_after_the_bot_helped(database_url, domain, make_dispatcher):
    assert await offer(domain, make_dispatcher, ["greet", "order_status", "goodbye"]) == ["utter_ask_rating"]
    assert await offer(domain, make_dispatcher, ["greet", "goodbye"]) == []
    assert await offer(domain, make_dispatcher, ["order_status", "goodbye"], {"rating_asked": True}) == []


async def test_a_question_about_a_product_is_answered_not_thanked(database_url, domain, make_dispatcher):
    """"is the Aurora kettle any good?" reads like praise to the model: it was thanked as a
    compliment and stored as feedback. It gets the product's facts and the free return."""
    from company.models import Product

    with company_sessions()() as session:
        name = session.scalars(select(Product.name).order_by(Product.name)).first()
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    responses, events = await capture(domain, make_dispatcher, conversation.id, f"is the {name} any good?")
    assert responses == ["utter_product_opinion"]
    assert {"event": "slot", "name": "product", "value": name, "timestamp": None} in events
    assert stored_feedback() == []
    # praise of a product, or a question that names none, is feedback as before
    responses, _ = await capture(domain, make_dispatcher, conversation.id, f"the {name} is brilliant")
    assert responses == ["utter_feedback_thanks_compliment"]
    responses, _ = await capture(domain, make_dispatcher, conversation.id, "is your service always this good?")
    assert responses != ["utter_product_opinion"]
    assert len(stored_feedback()) == 2


async def test_a_comparison_of_products_is_answered_not_thanked(database_url, domain, make_dispatcher):
    """A customer run: "is the aurora kettle better than the other kettle you sell" (no question
    mark) was thanked as a compliment. A question put the other way round is one without its
    mark; two products named get each one's price, cheapest first."""
    conversation = ConversationStore(company_sessions()).create_web_conversation()
    responses, events = await capture(domain, make_dispatcher, conversation.id,
                                      "is the aurora kettle better than the other kettle you sell")
    assert responses == ["utter_product_opinion"]
    assert {"event": "slot", "name": "product", "value": "Aurora Kettle", "timestamp": None} in events
    text = "are the nimbus headphones better than the cove speaker"
    tracker = make_tracker({"feedback_text": text}, text=text, intent="give_feedback", domain=domain,
                           sender_id=conversation.id, entities=[
                               {"entity": "product", "value": "nimbus headphones"},
                               {"entity": "product", "value": "cove speaker"}])
    dispatcher = make_dispatcher(tracker)
    await ActionCaptureFeedback().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_product_prices"
    assert message["prices"].index("Cove") < message["prices"].index("Nimbus")
    assert stored_feedback() == []
    # an exclamation that starts like a question is still feedback
    responses, _ = await capture(domain, make_dispatcher, conversation.id, "what a great kettle the aurora is")
    assert responses == ["utter_feedback_thanks_compliment"]


async def test_a_goodbye_in_a_form_that_asks_for_details_leaves_it(database_url, domain, make_dispatcher):
    """A customer run: "thanks bye" where the email was asked got the rating question and the
    email question again; "4" was then told it was no email address."""
    events = [{"event": "user", "parse_data": {"intent": {"name": name}}} for name in ("reset_password", "goodbye")]
    tracker = make_tracker({}, events=events, domain=domain, active_loop="password_reset_form")
    dispatcher = make_dispatcher(tracker)
    result = await ActionOfferRating().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == []
    assert {"event": "active_loop", "name": None, "timestamp": None} in result


def test_a_goodbye_in_a_form_in_the_running_product(product) -> None:
    from tests.product import CustomerClient

    customer = CustomerClient(product.gateway_url)
    assert "email address" in customer.say("I forgot my password")
    said = customer.say("thanks bye")
    assert "Take care" in said and "How would you rate" not in said and "email address" not in said, said
    assert "postcode of order HG-100002" in customer.say("where is HG-100002")  # a new request, read anew
