"""The escalation decision, against the trained model: the table of cases, the policy that
acts on it inside Rasa, and the decision's own rules."""

import asyncio

import pytest

from handoff.escalation import (
    PRIORITY_HIGH,
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    Decision,
    Reason,
    TurnSignals,
    acknowledges_feeling,
    asks_instead_of_answering,
    waits_after_all,
    decide,
    feeling_acknowledgement,
    handoff_opening,
    signals_from_events,
    takes_back_the_no,
)
from tests.handoff.escalation_cases import CASES, NOISY


def conversation(parse, messages, vip=False):
    """Tracker events (as dicts) for these customer messages, the bot answering each."""
    events = []
    for text in messages:
        events.append({"event": "user", "text": text, "parse_data": parse(text)})
        events.append({"event": "bot", "text": "(an answer)"})
    return events[:-1], {"customer_vip": vip}


NEW_RISKS = (Reason.CHURN, Reason.EVIDENCE, Reason.BUSINESS, Reason.REPEAT_CONTACT)


def test_the_table_covers_every_kind_of_case():
    assert len(CASES) >= 100
    assert sum(1 for case in CASES if case[1]) >= 50 and sum(1 for case in CASES if not case[1]) >= 30
    # a third of them typed the way many customers type, each one also in the table
    assert len(NOISY) * 3 >= len(CASES)
    assert all((*case, False) in CASES for case in NOISY)
    for reason in NEW_RISKS + (Reason.REQUESTED,):
        assert any(reason in case[2] for case in CASES), reason
        assert any(reason in case[2] for case in NOISY), reason  # and in the noisy register too
    # calm mentions of the new risks' words stay with the bot
    calm = " ".join(case[0][-1].lower() for case in CASES if not case[1])
    for word in ("contract", "sign", "review", "leave", "feedback", "proof"):
        assert word in calm, word


@pytest.mark.parametrize("messages, escalate, reasons, vip", CASES,
                         ids=[case[0][-1][:40] for case in CASES])
def test_escalation_table(parse, messages, escalate, reasons, vip):
    events, slots = conversation(parse, messages, vip)
    decision = decide(signals_from_events(events, slots))
    assert decision.escalate is escalate, (messages, decision)
    assert set(reasons) <= set(decision.reasons), decision


def test_the_policy_hands_over_inside_rasa(agent):
    """The trained model's own prediction: an angry message goes to action_handoff, even
    in the middle of a form; a plain question does not."""
    from rasa.core.channels.channel import UserMessage

    async def next_action(sender, texts):
        processor = agent.processor
        for text in texts[:-1]:
            await processor.log_message(UserMessage(text, sender_id=sender), should_save_tracker=True)
        tracker = await processor.log_message(UserMessage(texts[-1], sender_id=sender),
                                              should_save_tracker=False)
        prediction = processor.predict_next_with_tracker(tracker)
        return max(prediction["scores"], key=lambda score: score["score"])["action"]

    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(next_action("calm", ["what are your opening hours?"])) != "action_handoff"
        assert loop.run_until_complete(
            next_action("angry", ["I hate this company, worst service ever"])) == "action_handoff"
        assert loop.run_until_complete(
            next_action("risk", ["someone hacked my account and ordered things"])) == "action_handoff"
        # the new risks hand over whatever the intent, even in the middle of the order form
        assert loop.run_until_complete(next_action("evidence", [
            "where is my order?", "the tracking says it was signed for but thats not my signature"])
        ) == "action_handoff"
        assert loop.run_until_complete(
            next_action("churn", ["sort this out or I'm taking my custom elsewhere"])) == "action_handoff"
    finally:
        loop.close()


def test_reasons_come_most_urgent_first_with_the_right_priority():
    decision = decide(TurnSignals(intent="complaint", sentiment=-0.9, risks=frozenset({"fraud"})))
    assert decision.reasons == (Reason.FRAUD, Reason.NEGATIVE_EMOTION, Reason.COMPLAINT)
    assert decision.priority == PRIORITY_URGENT and decision.emotional
    assert decide(TurnSignals(intent="request_human")).priority == PRIORITY_NORMAL
    assert not decide(TurnSignals(intent="request_human")).emotional


def test_a_vip_who_needs_a_person_is_always_marked_vip_and_served_sooner():
    decision = decide(TurnSignals(intent="request_human", vip=True))
    assert decision.reasons == (Reason.REQUESTED, Reason.VIP)
    assert decision.priority == PRIORITY_HIGH


def test_an_erasure_request_goes_to_a_person_at_normal_priority():
    decision = decide(TurnSignals(intent="inform", erasure_requested=True))
    assert decision.escalate and decision.reasons == (Reason.ERASURE_REQUEST,)
    assert decision.priority == PRIORITY_NORMAL and not decision.emotional
    vip = decide(TurnSignals(intent="inform", erasure_requested=True, vip=True))
    assert vip.reasons == (Reason.ERASURE_REQUEST, Reason.VIP) and vip.priority == PRIORITY_HIGH
    upset = decide(TurnSignals(intent="inform", erasure_requested=True, sentiment=-0.9))
    assert upset.reasons == (Reason.NEGATIVE_EMOTION, Reason.ERASURE_REQUEST)


def test_every_reason_has_a_label_a_route_and_a_place_in_the_api():
    from bot.gateway.routes.openapi import specification
    from handoff.routing import Route, route
    from handoff.tickets import REASON_LABELS

    assert set(REASON_LABELS) == set(Reason.ORDER)
    schema = specification()["components"]["schemas"]["TicketSummary"]["properties"]["reasons"]
    assert set(schema["items"]["enum"]) == set(Reason.ORDER)
    assert route([Reason.ERASURE_REQUEST]).tier == 2
    assert route([Reason.ERASURE_REQUEST]).skill == "operations"
    assert route([Reason.ERASURE_REQUEST, Reason.VIP], account_manager_id=7).assignee_id == 7
    assert route([Reason.WARRANTY_CLAIM]) == Route(2, "product")
    # a requirement answered in the chat goes to the product experts, at normal priority
    assert route([Reason.REQUIREMENT]) == Route(2, "product")
    requirement = decide(TurnSignals(requirement_confirmed=True))
    assert requirement.escalate and requirement.reasons == (Reason.REQUIREMENT,)
    assert requirement.priority == PRIORITY_NORMAL


def test_a_warranty_claim_goes_to_a_person_at_normal_priority():
    decision = decide(TurnSignals(warranty_claim=True))
    assert decision.reasons == (Reason.WARRANTY_CLAIM,) and decision.priority == PRIORITY_NORMAL
    assert not decision.emotional


def test_an_overdue_refund_goes_to_billing():
    decision = decide(TurnSignals(intent="refund_status", refund_overdue=True))
    assert decision.escalate and decision.reasons == (Reason.BILLING,)
    assert decision.priority == PRIORITY_HIGH and not decision.emotional
    assert not decide(TurnSignals(intent="refund_status")).escalate
    # a VIP's overdue refund goes to their account manager as well, sooner
    vip = decide(TurnSignals(intent="refund_status", refund_overdue=True, vip=True))
    assert vip.reasons == (Reason.BILLING, Reason.VIP) and vip.priority == PRIORITY_URGENT


def test_asking_how_to_reach_us_while_upset_is_asking_for_a_person():
    for intent in ("ask_contact_channels", "bot_challenge"):
        assert decide(TurnSignals(intent=intent, sentiment=-0.4)).reasons == (Reason.REQUESTED,)
        assert not decide(TurnSignals(intent=intent, sentiment=0.1)).escalate
    assert not decide(TurnSignals(intent="ask_opening_hours", sentiment=-0.4)).escalate


def test_the_assistant_being_down_escalates():
    decision = decide(TurnSignals(assistant_unavailable=True))
    assert decision.escalate and decision.reasons == (Reason.ASSISTANT_UNAVAILABLE,)


def test_mood_trajectory_counts_a_sharp_drop_and_anger_that_goes_on():
    assert decide(TurnSignals(intent="inform", sentiment=-0.35, earlier_sentiments=(0.5, 0.4))).reasons == (
        Reason.EMOTION_DROP,)
    assert decide(TurnSignals(intent="inform", sentiment=-0.35, earlier_sentiments=(0.0, -0.4))).reasons == (
        Reason.EMOTION_DROP,)
    assert not decide(TurnSignals(intent="inform", sentiment=-0.35, earlier_sentiments=(0.0, 0.0))).escalate
    assert not decide(TurnSignals(intent="inform", sentiment=-0.35)).escalate


def test_a_new_session_starts_the_count_again():
    events = [{"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}},
              {"event": "session_started"},
              {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    assert signals_from_events(events).failed_turns == 1


def test_answers_in_a_free_text_form_neither_fail_nor_repeat():
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    asking = [{"event": "active_loop", "name": "needs_form"}, {"event": "bot", "text": "Why?"}]
    events = [said("describe_need"), *asking, said("nlu_fallback"), {"event": "bot", "text": "When?"},
              said("nlu_fallback"), {"event": "bot", "text": "Where?"}, said("describe_need")]
    signals = signals_from_events(events)
    assert signals.failed_turns == 0 and not signals.repeated_question
    assert not decide(signals).escalate
    # the same answers outside the form are two failed turns
    outside = [said("nlu_fallback"), {"event": "bot", "text": "Sorry?"}, said("nlu_fallback")]
    assert signals_from_events(outside).failed_turns == 2
    # once the form is over, turns count again
    after = events + [{"event": "active_loop", "name": None}, said("nlu_fallback"),
                      {"event": "bot", "text": "Sorry?"}, said("nlu_fallback")]
    assert signals_from_events(after).failed_turns == 2


def test_a_detail_told_where_a_form_asks_is_no_failed_turn():
    """A customer run: where the order's proof was asked, "do i have to pay for the postage
    though?" fell back, then "ugh fine LS6 2QT. but answer my question about postage" fell back
    too, and the customer went to a person as a second miss, with the postcode told."""
    def said(intent, **entities):
        return {"event": "user", "parse_data": {"intent": {"name": intent},
                                                "entities": [{"entity": k, "value": v} for k, v in entities.items()]}}

    asking = [{"event": "active_loop", "name": "order_form"}, {"event": "bot", "text": "Your postcode?"}]
    events = [said("start_return"), *asking, said("nlu_fallback"), {"event": "bot", "text": "Your postcode?"},
              said("nlu_fallback", postcode="LS6 2QT")]
    signals = signals_from_events(events)
    assert signals.failed_turns == 0  # (the failures in a row up to the latest)
    assert not decide(signals).escalate
    # the same words outside a form, and a form's question answered with nothing it asks, fail
    assert signals_from_events([said("nlu_fallback"), {"event": "bot", "text": "Sorry?"},
                                said("nlu_fallback", postcode="LS6 2QT")]).failed_turns == 2
    assert signals_from_events(events[:-1] + [said("nlu_fallback")]).failed_turns == 2


def test_the_task_asked_again_while_its_form_still_asks_is_not_asked_again():
    """'ok cancel it then' while the order form asks for the postcode: the form's questions
    are not an answer; the same request after the cancellation's answer is."""
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    def form_asks(question):
        return [{"event": "action", "name": "order_form"}, {"event": "bot", "text": question}]

    events = [said("cancel_order"), {"event": "action", "name": "order_form"},
              {"event": "active_loop", "name": "order_form"}, {"event": "bot", "text": "Order number?"},
              said("inform"), *form_asks("That doesn't look like an order number. Order number?"),
              said("inform"), *form_asks("Email or postcode?"), said("cancel_order")]
    signals = signals_from_events(events)
    assert not signals.repeated_question and not decide(signals).escalate

    answered = events[:-1] + [
        said("inform"), {"event": "action", "name": "order_form"}, {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_check_cancellation"},
        {"event": "bot", "text": "Order HG-100002 is with the carrier and can't be cancelled."},
        said("cancel_order")]
    assert not signals_from_events(answered).repeated_question  # answered once more
    again = answered + [{"event": "bot", "text": "Order HG-100002 is with the carrier."},
                        said("cancel_order")]
    assert signals_from_events(again).repeated_question


def test_the_topic_chosen_among_the_clarification_buttons_is_not_asked_again():
    """'do you deliver to ireland', 'how much is it' (out of scope; the delivery topic is
    offered first), then the delivery button: a choice, not the same question again."""
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    events = [said("ask_shipping"), {"event": "action", "name": "action_shipping_info"},
              {"event": "bot", "text": "To Ireland: ..."}, said("out_of_scope"),
              {"event": "action", "name": "action_clarify"}, {"event": "bot", "text": "Is it about ...?"},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": '/ask_shipping{"country": "Ireland"}',
               "parse_data": {"intent": {"name": "ask_shipping"}}}]
    signals = signals_from_events(events)
    assert not signals.repeated_question and not decide(signals).escalate
    # typed again rather than chosen, it is asked again (a third time: a second is answered
    # once more)
    first = events[:3]
    typed_after = first + events[:-1] + [said("ask_shipping")]
    assert signals_from_events(typed_after).repeated_question
    # the same question typed again after its answer still is
    typed = first + events[:3] + [said("ask_shipping")]
    assert signals_from_events(typed).repeated_question


def test_the_same_topic_naming_something_new_is_not_asked_again():
    """'what plans do you have', then 'what's the difference between plus and premium': the
    same intent, a narrower question. Naming nothing new, or only what was named before, is
    asked again."""
    def said(intent, **entities):
        return {"event": "user", "parse_data": {
            "intent": {"name": intent},
            "entities": [{"entity": name, "value": value} for name, values in entities.items()
                         for value in values]}}

    answer = {"event": "bot", "text": "Harbor Club has 3 plans: ..."}
    narrower = [said("ask_plans"), answer, said("ask_plans", plan=["Plus", "premium"])]
    signals = signals_from_events(narrower)
    assert not signals.repeated_question and not decide(signals).escalate
    # the same plans again, in other letters, after their own answer: asked again
    again = narrower + [answer, said("ask_plans", plan=["plus", "Premium"])]
    assert signals_from_events(again).repeated_question
    # fewer details than before: asked again too
    fewer = narrower + [answer, said("ask_plans", plan=["plus"])]
    assert signals_from_events(fewer).repeated_question
    # the same question a second time is answered once more ("how much is Premium?" after the
    # plans is the plans intent, and went to a person); a third time it is asked again
    assert not signals_from_events([said("ask_plans"), answer, said("ask_plans")]).repeated_question
    assert signals_from_events([said("ask_plans"), answer, said("ask_plans"), answer,
                                said("ask_plans")]).repeated_question


def test_a_frequent_questions_next_part_is_not_the_question_asked_again():
    """A customer run: "what payment methods do you take", "paypal?", "can i pay in
    instalments" (each ask_payment_methods) went to a person as the question asked a third
    time. Words of substance no earlier question had make it a new part; the same words, or
    insisting, are the question again."""
    def said(text, intent="ask_payment_methods"):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}

    answer = {"event": "bot", "text": "We accept Visa, Mastercard, ..."}
    parts = [said("what payment methods do you take"), answer, said("paypal?"), answer,
             said("can i pay in instalments")]
    signals = signals_from_events(parts)
    assert not signals.repeated_question and not decide(signals).escalate
    for again in ("what payment methods do you take", "PAYPAL? can i pay in instalments",
                  "what payment methods do you take?? i already asked"):
        assert signals_from_events(parts + [answer, said(again)]).repeated_question, again
    # a task is no frequent question: the third time is asked again whatever the words
    task = [said("where is my order", "order_status"), answer, said("hows my parcel doing", "order_status"), answer,
            said("any news on the delivery", "order_status")]
    assert signals_from_events(task).repeated_question


def test_a_reply_an_action_reads_is_not_the_question_asked_again():
    """'the site is working now' after the website answer is classed as the website topic;
    it answers "shall I pass you to a person?" (actions/website.py reads it) and went to a
    person as the same question asked again."""
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    def answer(response):
        return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}

    for response in ("utter_website_problem", "utter_website_trying", "utter_website_waiting"):
        events = [said("website_problem"), answer(response), said("website_problem")]
        signals = signals_from_events(events)
        assert not signals.repeated_question and not decide(signals).escalate, response
    # after another answer it is the question asked again (a third time)
    other = [said("website_problem"), answer("utter_website_working"), said("website_problem"),
             answer("utter_website_working"), said("website_problem")]
    assert signals_from_events(other).repeated_question


def test_a_parcel_still_missing_after_the_delivered_answer_goes_to_operations():
    """The delivered answer ends "tell me if it's still missing"; "i checked with neighbours,
    it's still missing" then got a help article and topics to pick, and no person."""
    from handoff.routing import route

    def said(text, intent="inform"):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}

    delivered = {"event": "bot", "text": "Order HG-100003 was delivered on ...",
                 "metadata": {"utter_action": "utter_order_status_delivered"}}
    start = [said("HG-100003 says delivered but i never got it", "order_status"), delivered]
    for text, intent in (("i checked with neighbours, it's still missing", "inform"), ("not found it", "inform"),
                         ("no sign of it", "inform"), ("cant find it anywhere", "inform"),
                         ("nope not received", "deny"),
                         # found by a review: a "no" took the general "anything else?", the rest
                         # fell to a clarification
                         ("nope, nothing", "deny"), ("not yet", "deny"), ("still nothing", "inform"),
                         ("nothing turned up at all", "inform"), ("the neighbours don't have it either", "inform"),
                         ("someone stole it", "inform"), ("it hasn't shown up", "inform"),
                         ("havent found it anywhere", "inform"),
                         # a later run: a menu of guesses
                         ("asked the neighbours already, nothing. it's gone. what now", "nlu_fallback"),
                         ("no luck with the neighbours", "inform")):
        decision = decide(signals_from_events(start + [said(text, intent)]))
        assert decision.reasons == (Reason.MISSING_PARCEL,), text
        assert decision.priority == PRIORITY_HIGH and route(decision.reasons).skill == "operations"
        assert handoff_opening(decision) == "utter_handoff_parcel_missing"
    for text, intent in (("thanks, found it", "thanks"), ("neighbour had it", "inform"), ("ok thanks", "thanks"),
                         ("got it thanks", "thanks"), ("no thanks, that's all", "deny"),
                         ("I wasn't home but my neighbour got it for me", "inform"),
                         ("found it, not missing any more", "inform"),
                         ("I didn't know it had come, thanks", "inform"),
                         ("I'll check and let you know if it isn't there", "inform")):
        assert not decide(signals_from_events(start + [said(text, intent)])).escalate, text
    # a customer run: "no the vacuum isn't missing, it's BROKEN" was told a person would open a
    # claim with the courier
    for text in ("no the vacuum isn't missing, it's BROKEN. it won't turn on", "it hasn't gone missing, it came damaged"):
        assert Reason.MISSING_PARCEL not in signals_from_events(start + [said(text, "start_return")]).reply_risks, text
    # not after the delivered answer: no claim from these words alone
    other = {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_order_status_shipped"}}
    assert not signals_from_events([said("where is it"), other, said("it's still missing")]).reply_risks


def test_a_cancellation_regretted_right_after_it_was_done_goes_to_operations():
    """'oh no wait, I didn't mean that, can you undo it?' after 'Order … is cancelled' got
    "sorry, I didn't quite get that"; only a person can put the order back through."""
    from handoff.routing import route

    def said(text, intent="deny"):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}

    cancelled = {"event": "bot", "text": "Order HG-100185 is cancelled. ...",
                 "metadata": {"utter_action": "utter_order_cancelled"}}
    start = [said("please cancel HG-100185", "cancel_order"), cancelled]
    for text in ("oh no wait, I didn't mean that, can you undo it?", "undo that", "that was a mistake",
                 "i changed my mind, i want it after all", "can i uncancel it", "pressed yes by accident",
                 # found by a review
                 "no wait", "wait no! I wanted to keep it", "wrong order!", "not that one!", "please put it back",
                 "I still want the chair actually"):
        decision = decide(signals_from_events(start + [said(text)]))
        assert Reason.CANCELLATION_REGRETTED in decision.reasons, text
        assert decision.priority == PRIORITY_HIGH and route(decision.reasons).skill == "operations"
        assert handoff_opening(decision) == "utter_handoff_cancellation_regretted"
    # explanations of the cancellation are no regret (a review found these handed over, and
    # the agent's canned reply would have put the order back through)
    for text, intent in (("thanks", "thanks"), ("great, when will I get the money?", "inform"), ("ok bye", "goodbye"),
                         ("no thanks", "deny"), ("thanks, I ordered it by mistake anyway", "thanks"),
                         ("I bought it by accident, thanks for sorting", "thanks"),
                         ("I changed my mind so that's perfect", "inform"), ("mistake in the address", "inform"),
                         ("will the refund reverse on my card statement?", "inform")):
        decision = decide(signals_from_events(start + [said(text, intent)]))
        assert Reason.CANCELLATION_REGRETTED not in decision.reasons, text


def test_a_bare_prompt_to_go_on_is_no_complaint():
    # "and?" is a complaint to the model
    assert not decide(TurnSignals(intent="complaint", confidence=0.69, bare_prompt=True)).escalate
    assert decide(TurnSignals(intent="complaint", confidence=0.69, bare_prompt=True,
                              sentiment=-0.5)).reasons[0] == Reason.COMPLAINT
    assert decide(TurnSignals(intent="complaint", confidence=0.69)).escalate


def test_an_answer_in_a_free_text_form_asks_for_a_person_only_when_it_clearly_does():
    """'me, I'm the ops manager, Sam' (who the need is for) was request_human at 0.56 and
    handed the customer over in the middle of the 5W1H questions."""
    def answer(intent, confidence):
        return decide(TurnSignals(intent=intent, confidence=confidence, form_answer=True))

    assert not answer("request_human", 0.56).escalate
    assert not answer("complaint", 0.6).escalate
    assert answer("request_human", 0.95).reasons == (Reason.REQUESTED,)
    assert answer("complaint", 0.9).reasons == (Reason.COMPLAINT,)
    # outside a form the intent is the request, as before
    assert decide(TurnSignals(intent="request_human", confidence=0.56)).escalate
    # words asking for a person in an answer count only as the intent does (a review: "our
    # support agents, and I want the manager to approve it" handed over mid-form)
    asked = frozenset({"requested_human"})
    assert not decide(TurnSignals(intent="inform", confidence=0.9, risks=asked, form_answer=True)).escalate
    assert decide(TurnSignals(intent="inform", confidence=0.9, risks=asked)).reasons == (Reason.REQUESTED,)


def test_the_order_task_noted_is_no_answer_and_a_third_request_is_not_asked_again():
    """'ok cancel it then' is noted ("I'll see to that as soon as I've found the order") and
    the form asks again; 'just cancel it' then is still no repeat: the note answers nothing."""
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    def bot(response):
        return {"event": "bot", "metadata": {"utter_action": response}}

    events = [said("cancel_order"), {"event": "action", "name": "order_form"},
              {"event": "active_loop", "name": "order_form"}, bot("utter_ask_order_number"),
              said("inform"), {"event": "action", "name": "order_form"}, bot("utter_ask_order_verifier"),
              said("cancel_order"), {"event": "action", "name": "utter_order_task_noted"},
              bot("utter_order_task_noted"), {"event": "action", "name": "order_form"},
              bot("utter_ask_order_verifier"), said("cancel_order")]
    signals = signals_from_events(events)
    assert not signals.repeated_question and not decide(signals).escalate


def test_the_previous_topic_offered_is_no_failure_and_a_no_to_it_is_one():
    """'how much is it' (out of scope) offered the delivery topic; 'and how long does it take'
    is then the first failed turn, not the second; a "no" to the offer is a failed turn, as
    after a help-centre article."""
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    offer = [{"event": "action", "name": "action_clarify"},
             {"event": "bot", "metadata": {"utter_action": "utter_clarify_previous_topic"}},
             {"event": "action", "name": "action_listen"}]
    events = [said("ask_shipping"), {"event": "bot", "text": "To Ireland: ..."}, said("out_of_scope"), *offer]
    assert signals_from_events(events + [said("nlu_fallback")]).failed_turns == 1
    assert signals_from_events(events + [said("deny")]).failed_turns == 1
    assert signals_from_events(events).failed_turns == 0


def test_the_feeling_acknowledged_is_no_answer_to_the_request():
    """An upset 'where is my order!!' hears 'I'm sorry about this' and the order form's
    question; 'where is my order' again then is no question asked again: the
    acknowledgement answered nothing (it was handed over as repeated_question)."""
    def said(intent, score=0.0):
        return {"event": "user", "parse_data": {"intent": {"name": intent, "confidence": 0.99},
                                                "emotion": {"score": score, "risks": []}}}

    def bot(response):
        return {"event": "bot", "metadata": {"utter_action": response}}

    events = [said("order_status", -0.45), bot("utter_acknowledge_feeling"),
              {"event": "action", "name": "order_form"}, {"event": "active_loop", "name": "order_form"},
              bot("utter_ask_order_number"), said("order_status")]
    signals = signals_from_events(events)
    assert not signals.repeated_question and not decide(signals).escalate
    # once the order's status has been given, it is answered once more ("and when was it
    # delivered?"), and asked a third time it is asked again
    answered = events[:-1] + [said("inform"), {"event": "action", "name": "order_form"},
                              {"event": "active_loop", "name": None},
                              {"event": "action", "name": "action_order_status"},
                              {"event": "bot", "text": "Order HG-100001 is on its way."},
                              said("order_status")]
    assert not signals_from_events(answered).repeated_question
    again = answered + [{"event": "action", "name": "action_order_status"},
                        {"event": "bot", "text": "Order HG-100001 is on its way."}, said("order_status")]
    assert signals_from_events(again).repeated_question
    # a second asking that says the answer did not do is asked again at once (a review found
    # "it still hasn't arrived, where is it" answered three times with the same status)
    insisting = answered[:-1] + [{"event": "user", "text": "it still hasn't arrived, where is it",
                                  "parse_data": {"intent": {"name": "order_status", "confidence": 0.99}}}]
    assert signals_from_events(insisting).repeated_question
    # the count is over the whole conversation, not the last few turns
    padded = answered[:-1] + [said("inform"), said("nlu_fallback"), said("inform"), said("inform"),
                              said("order_status"), {"event": "bot", "text": "Order HG-100001 is on its way."},
                              said("inform"), said("order_status")]
    assert signals_from_events(padded).repeated_question
    # other questions likewise: answered the second time, asked again the third
    plans = [said("ask_plans"), {"event": "bot", "text": "Harbor Club has 3 plans"}, said("ask_plans")]
    assert not signals_from_events(plans).repeated_question
    plans += [{"event": "bot", "text": "Harbor Club has 3 plans"}, said("ask_plans")]
    assert signals_from_events(plans).repeated_question


def test_only_the_vip_slot_makes_a_vip_not_the_messages_metadata():
    """The client sends a message's metadata (the REST channel passes it on): a "vip" in it
    must not put a customer in the account managers' queue."""
    def said(intent, metadata=None):
        return {"event": "user", "metadata": metadata or {}, "parse_data": {"intent": {"name": intent}}}

    claimed = signals_from_events([said("cancel_order", {"vip": True})], {"customer_vip": False})
    assert not claimed.vip and not decide(claimed).escalate
    assert not signals_from_events([said("cancel_order", {"vip": True})]).vip
    proved = signals_from_events([said("cancel_order")], {"customer_vip": True})
    assert proved.vip and decide(proved).reasons == (Reason.VIP,)


def test_a_follow_up_of_the_same_topic_is_answered_not_handed_over():
    """After the status, "has it been dispatched yet?" (the status intent again) went to a
    person with an hour's wait: "yet" read as insisting. So did a return asked for again
    after stopping it. "it still hasn't arrived" does insist."""
    def said(intent, text):
        return {"event": "user", "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": 0.99}}}

    status = {"event": "bot", "text": "Order HG-100001 is being packed."}
    for intent, first, follow_up in (
            ("order_status", "where's HG-100001", "has it been dispatched yet?"),
            ("order_status", "where is my order", "is it on its way yet?"),
            ("start_return", "I want to return HG-100003", "sorry, I do want to return it after all")):
        signals = signals_from_events([said(intent, first), status, said(intent, follow_up)])
        assert not signals.repeated_question and not decide(signals).escalate, follow_up
    for again in ("it still hasn't arrived", "you didn't answer my question, where is my order",
                  "that's not what I asked. where is it", "for the second time, when will it arrive",
                  "hello?? where is my order"):
        insisting = [said("order_status", "where's HG-100001"), status, said("order_status", again)]
        assert signals_from_events(insisting).repeated_question, again


def test_saying_the_answer_missed_hands_over_whatever_the_intent():
    """"that's not what I asked" is read as a "no" and got "No problem, anything else?";
    "you didn't answer me" got the complaint buttons. After an answer, either says the
    answer missed, as a question asked again does."""
    def said(intent, text):
        return {"event": "user", "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": 0.99}}}

    answer = {"event": "bot", "text": "Refunds reach your account within 5-10 working days."}
    for intent, text in (("deny", "that's not what I asked"), ("complaint", "you didn't answer me"),
                         ("greet", "hello, are you even reading my question? answer my question"),
                         ("change_address", "you're not listening. can I change the delivery DATE"),
                         ("nlu_fallback", "that's not what I asked, read my question"),
                         # as typed: the exact words were the only ones read before
                         ("deny", "thats not wat i asked"), ("complaint", "u didnt anwser me"),
                         ("nlu_fallback", "ur not listening"), ("deny", "you did not answer my q")):
        signals = signals_from_events([said("refund_status", "how long does a refund take?"), answer,
                                       said(intent, text)])
        assert signals.repeated_question and decide(signals).escalate, text
    # a plain "no thanks" after the answer is no miss; nor the same words before any answer
    assert not signals_from_events([said("refund_status", "how long does a refund take?"), answer,
                                    said("deny", "no thanks")]).repeated_question
    assert not signals_from_events([said("deny", "that's not what I asked")]).repeated_question
    # a sentence about answering that is no complaint about the answer
    assert not signals_from_events([said("refund_status", "how long does a refund take?"), answer,
                                    said("deny", "no, I do not answer unknown calls")]).repeated_question


def test_a_crisis_opens_with_where_to_get_help_and_goes_first():
    """Words of harming oneself: the opening names Samaritans and 999 before a person takes
    over, the ticket goes to the front line at once, and no 'are you sorted?' closes it."""
    from handoff.tickets import KEPT_FOR_THE_TEAM

    decision = decide(TurnSignals(intent="nlu_fallback", risks=frozenset({Reason.CRISIS})))
    assert decision.escalate and decision.priority == PRIORITY_URGENT and decision.emotional
    assert handoff_opening(decision) == "utter_handoff_crisis"
    both = decide(TurnSignals(risks=frozenset({Reason.CRISIS, Reason.SAFETY})))
    assert handoff_opening(both) == "utter_handoff_crisis"
    assert Reason.CRISIS in KEPT_FOR_THE_TEAM


def test_a_continuation_answered_by_its_lookup_is_no_failure():
    """'what about france?' (out of scope) answered with the delivery costs to France
    (handoff/follow_ups.py) was understood: the next miss is the first failed turn."""
    def said(intent):
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    answered = [{"event": "action", "name": "action_shipping_info"},
                {"event": "bot", "text": "To France: ..."}, {"event": "action", "name": "action_listen"}]
    events = [said("ask_shipping"), {"event": "bot", "text": "To Germany: ..."}, said("out_of_scope"), *answered]
    assert signals_from_events(events + [said("nlu_fallback")]).failed_turns == 1
    # without the lookup, the clarification's plain answer leaves it failed
    missed = [{"event": "action", "name": "action_clarify"}, {"event": "bot", "text": "Sorry?"}]
    assert signals_from_events(events[:3] + missed + [said("nlu_fallback")]).failed_turns == 2


def test_a_continuation_right_after_a_miss_is_no_second_failure():
    """'hmm thats pricey' (out of scope) after the delivery costs to Germany, then 'what about
    france?': answered as the lookup, it was handed to a person as a second miss in a row."""
    def said(text, intent, **entities):
        found = [{"entity": k, "value": v, "start": text.lower().find(v.lower()),
                  "end": text.lower().find(v.lower()) + len(v)} for k, v in entities.items()]
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": found}}

    events = [said("how much is delivery to germany", "ask_shipping", country="Germany"),
              {"event": "bot", "text": "To Germany: ..."}, said("hmm thats pricey", "out_of_scope"),
              {"event": "action", "name": "action_clarify"}, {"event": "bot", "text": "Sorry?"}]
    signals = signals_from_events(events + [said("what about france?", "out_of_scope", country="France")])
    assert signals.failed_turns == 0 and not decide(signals).escalate
    assert signals_from_events(events + [said("what about it?", "out_of_scope")]).failed_turns == 2


def test_a_question_the_help_centre_answers_is_no_second_failure():
    """A customer run: "do you do gift wrapping?" right after a miss went to a person (a
    38-minute wait), where the gift-orders article answers it; without an article it is the
    second miss."""
    def said(text, intent, article=None):
        parse = {"intent": {"name": intent}}
        if article is not None:
            parse["help_article"] = {"slug": "gift-orders", "score": 0.52, "confident": article}
        return {"event": "user", "text": text, "parse_data": parse}

    missed = [said("zxqv blorp frimble", "out_of_scope"), {"event": "action", "name": "action_clarify"},
              {"event": "bot", "text": "Sorry, that's not something I can help with."}]
    answered = signals_from_events(missed + [said("do you do gift wrapping?", "nlu_fallback", article=True)])
    assert answered.failed_turns == 0 and not decide(answered).escalate
    for article in (False, None):
        again = signals_from_events(missed + [said("do you do gift wrapping?", "nlu_fallback", article=article)])
        assert again.failed_turns == 2 and decide(again).escalate


def test_asking_whether_something_is_sold_is_no_second_failure():
    """A customer run: "do yuo sell sofas" (the clarification's buttons), then "do you sell
    sofas?" went to a person as a second miss; action_clarify says what is sold."""
    def said(text, intent="nlu_fallback"):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}

    missed = [said("do yuo sell sofas"), {"event": "action", "name": "action_clarify"},
              {"event": "bot", "text": "Sorry, I'm not sure I understood. Did you mean one of these?"}]
    asked = signals_from_events(missed + [said("do you sell sofas?")])
    assert asked.failed_turns == 0 and not decide(asked).escalate
    # another miss is the second, and so is a question with the same shape that is no
    # question about the range (from a review)
    for text in ("zxqv blorp frimble", "do you have a clue what youre doing?", "do you have a manager?"):
        again = signals_from_events(missed + [said(text)])
        assert again.failed_turns == 2 and decide(again).escalate, text


def test_asked_to_end_the_plan_for_them_after_how_it_ends_goes_to_the_person_offered():
    """A customer run: "how do i cancel my harbor club membership" got how (and that a person
    can do it), then "ok do it for me please" got "didn't quite get that", and "please cancel
    my membership for me" the same answer again."""
    def said(text, intent):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}

    answered = [said("how do i cancel my harbor club membership", "cancel_order"),
                {"event": "bot", "text": "You can cancel Harbor Club whenever you like...",
                 "metadata": {"utter_action": "utter_plan_cancel"}}]
    for text, intent in (("ok do it for me please", "nlu_fallback"),
                         ("please cancel my membership for me", "cancel_order"), ("can you just do it", "affirm")):
        decision = decide(signals_from_events(answered + [said(text, intent)]))
        assert decision.escalate and Reason.REQUESTED in decision.reasons, text
    for text, intent in (("no thanks", "deny"), ("can i rejoin later?", "ask_plans"), ("ok thanks", "thank"),
                         # from a review: questions about what happens, not requests
                         ("what happens if you cancel it mid month", "ask_plans"),
                         ("how do you cancel it", "cancel_order"), ("can you do it in the app?", "ask_plans")):
        assert not decide(signals_from_events(answered + [said(text, intent)])).escalate, text


def test_taking_back_what_was_asked_is_no_question_asked_again():
    """A customer run: "close my account", "yes close my account now", then "wait no!! i
    DON'T want my account closed" (closing the account a third time to the model, and
    insisting by its "!!") was handed over as the same question asked again."""
    def said(text):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "close_account"}}}

    answer = {"event": "bot", "text": "You want us to close your account - is that right?"}
    asked = [said("close my account"), answer, said("yes close my account now"), answer]
    taken_back = signals_from_events(asked + [said("wait no!! i DON'T want my account closed")])
    assert not taken_back.repeated_question and not decide(taken_back).escalate
    insisting = signals_from_events(asked + [said("close my account!!")])
    assert insisting.repeated_question
    # from a review: "don't want" inside an insistence is no taking back
    def refund(text):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "refund_status"}}}

    answered = {"event": "bot", "text": "Your refund is on its way."}
    twice = [refund("where is my refund"), answered, refund("where's my refund"), answered]
    for text in ("I already asked, I don't want to wait any longer, where is my refund",
                 "no i dont want to wait, where's my money"):
        assert signals_from_events(twice + [refund(text)]).repeated_question, text


def test_a_fallback_split_between_a_person_and_a_complaint_asks_for_a_person():
    """A customer run: "this is pointless. just get me someone from sales" (complaint 0.48,
    request_human 0.41) was filed as a 5W1H answer, and outside a form it was clarified."""
    from handoff.escalation import read_intent

    split = {"intent": {"name": "nlu_fallback", "confidence": 0.5},
             "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                                {"name": "complaint", "confidence": 0.48},
                                {"name": "request_human", "confidence": 0.41},
                                {"name": "deny", "confidence": 0.05}]}
    name, confidence = read_intent(split)
    assert name == "complaint" and confidence == pytest.approx(0.89)
    other = dict(split, intent_ranking=[{"name": "complaint", "confidence": 0.48},
                                        {"name": "order_status", "confidence": 0.41}])
    assert read_intent(other) == ("nlu_fallback", 0.5)
    weak = dict(split, intent_ranking=[{"name": "complaint", "confidence": 0.4},
                                       {"name": "request_human", "confidence": 0.3}])
    assert read_intent(weak) == ("nlu_fallback", 0.5)


@pytest.mark.parametrize("reasons, opening", [
    ((Reason.LEGAL,), "utter_handoff_legal"),
    ((Reason.BILLING,), "utter_handoff_billing"),
    ((Reason.EVIDENCE,), "utter_handoff_evidence"),
    ((Reason.SAFETY, Reason.LEGAL), "utter_handoff_safety"),
    ((Reason.LEGAL, Reason.BILLING), "utter_handoff_legal"),
])
def test_a_legal_threat_a_billing_dispute_and_evidence_are_answered_before_the_handoff(reasons, opening):
    """A customer run: "I will be contacting trading standards and my solicitor…" and "charged
    twice, I have the bank statement" got the bare handoff, with no word for what they said."""
    assert handoff_opening(Decision(True, reasons)) == opening


def test_hesitating_twice_is_no_failed_turn():
    """A customer run: "hmm", then "ok?", at "Are you sure you want to cancel…?" fell back
    twice and went to a person as not understood; they were asked again instead."""
    def said(text, hesitant):
        parse = {"intent": {"name": "nlu_fallback", "confidence": 0.5}, "hesitant": hesitant}
        return {"event": "user", "text": text, "parse_data": parse}

    events = [said("hmm", True), {"event": "bot", "text": "Are you sure?"}, said("ok?", True)]
    assert signals_from_events(events).failed_turns == 0 and not decide(signals_from_events(events)).escalate
    events = [said("blorp", False), {"event": "bot", "text": "Sorry?"}, said("flarp", False)]
    assert signals_from_events(events).failed_turns == 2


def _after_the_status(answer, text, intent="complaint", score=-0.4, risks=()):
    return [{"event": "user", "text": "where is HG-100002", "parse_data": {"intent": {"name": "order_status", "confidence": 0.99}}},
            {"event": "bot", "text": "It should arrive by Tuesday.", "metadata": {"utter_action": answer}},
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                                                           "emotion": {"score": score, "risks": list(risks)}}}]


@pytest.mark.parametrize("text", [
    "why is it taking so long?", "ugh this is taking ages", "annoying, I needed it for the weekend",
    "can't it come any sooner?", "still waiting...",
    # a later run: "ugh still waiting" fell back to a menu of guesses
    ("ugh still waiting", "nlu_fallback"), ("I'm still waiting", "nlu_fallback"),
    ("I needed it yesterday", "nlu_fallback"), ("that's too late", "deny"),
    ("omg how long does it take?!", "nlu_fallback"), ("3 days?! ridiculous", "nlu_fallback"),
    ("any way to speed it up?", "out_of_scope"), ("cant it come tmrw?", "nlu_fallback"),
    ("seriously?? tuesday?? i need it by sunday", "ask_opening_hours"),
    ("im so annoyed its not here yet", "order_status"), ("its late", "goodbye"),
    # a second run: the feeling acknowledged, then "that's not something I can help with"
    ("thats no good, her birthday is TOMORROW. can u do anything??", "out_of_scope"),
    ("is there anything you can do", "nlu_fallback"),
])
def test_impatience_with_an_order_on_schedule_stays_with_the_assistant(text):
    """A customer run: 5 of 12 such replies to the status of an order on time went to a
    person, a queue the customer could not leave, with the team away until Monday."""
    text, intent = (text, "complaint") if isinstance(text, str) else text
    signals = signals_from_events(_after_the_status("utter_order_status_shipped", text, intent))
    assert signals.impatient_wait and not decide(signals).escalate


def test_impatience_that_says_more_or_follows_another_answer_is_decided_as_before():
    # distress, a risk, or a parcel the customer says was never delivered
    for events in (_after_the_status("utter_order_status_shipped", "why is it taking so long, I'm at the end of my rope", score=-0.9),
                   _after_the_status("utter_order_status_shipped", "why is it taking so long? I'll sue", risks=[Reason.LEGAL]),
                   _after_the_status("utter_order_status_delivered", "why is it taking so long?"),
                   _after_the_status("utter_order_status_late", "why is it taking so long?")):
        assert decide(signals_from_events(events)).escalate, events[-1]["text"]


def test_an_upset_customer_asking_where_their_order_is_is_told():
    """A customer run: "wtf is my order HG-100183" (order_status 0.60) went to a person
    before the order was looked up; the status comes, the feeling acknowledged first."""
    def asked(confidence, score):
        return [{"event": "user", "text": "wtf is my order HG-100183",
                 "parse_data": {"intent": {"name": "order_status", "confidence": confidence},
                                "emotion": {"score": score, "risks": []}}}]
    assert not decide(signals_from_events(asked(0.6, -0.59))).escalate
    assert decide(signals_from_events(asked(0.6, -0.9))).escalate  # distress: a person
    assert decide(signals_from_events(asked(0.45, -0.59))).escalate  # not understood


@pytest.mark.parametrize("text, intent, confidence, score, risk, answered, line", [
    # a customer run: each went to a person until Monday, and the answer waited (3 of 4)
    ("my dad died last month and the house is full of stuff, anyway where's my order HG-100143",
     "order_status", 0.93, -0.56, Reason.BEREAVEMENT, True, "utter_acknowledge_loss"),
    ("ive just lost my job so money is tight, whens my refund for the toaster going to come through?",
     "refund_status", 0.9, -0.1, Reason.VULNERABLE, True, "utter_acknowledge_hardship"),
    # a task on the order, perhaps someone else's, an unclear reading, or distress: a person
    ("my mum passed away last week, she ordered a coffee grinder, can i still return it?",
     "start_return", 0.9, -0.3, Reason.BEREAVEMENT, False, None),
    ("my husband passed away, where is his order", "order_status", 0.6, -0.3, Reason.BEREAVEMENT, False, None),
    ("my dad died and i cant cope with any of this, where is my order", "order_status", 0.9, -0.9,
     Reason.BEREAVEMENT, False, None),
])
def test_a_hardship_told_in_passing_beside_a_routine_question(text, intent, confidence, score, risk, answered, line):
    from handoff.escalation import feeling_acknowledgement

    events = [{"event": "user", "text": text,
               "parse_data": {"intent": {"name": intent, "confidence": confidence},
                              "emotion": {"score": score, "risks": [risk]}}}]
    signals = signals_from_events(events)
    assert decide(signals).escalate is not answered
    assert feeling_acknowledgement(signals) == line
    # a VIP goes to their account manager
    assert decide(signals_from_events(events, {"customer_vip": True})).escalate


def test_a_request_said_with_impatience_is_that_request():
    """A review: "why hasn't it shipped yet, I want to cancel" and "I won't be home at the
    weekend, can I change the address?" got "on schedule", and nothing was cancelled."""
    for text, intent in (("why hasn't it shipped yet, I want to cancel", "cancel_order"),
                         ("I won't be home at the weekend, can I change the address?", "change_address"),
                         ("is there a faster shipping option?", "ask_shipping")):
        assert not signals_from_events(_after_the_status("utter_order_status_shipped", text, intent)).impatient_wait


def test_an_upset_vip_asking_where_their_order_is_goes_to_their_manager():
    events = [{"event": "user", "text": "wtf is my order HG-100005",
               "parse_data": {"intent": {"name": "order_status", "confidence": 0.6},
                              "emotion": {"score": -0.7, "risks": []}}}]
    assert Reason.VIP in decide(signals_from_events(events, {"customer_vip": True})).reasons


def test_corrections_of_the_sheet_are_no_growing_frustration():
    """A customer run: "the budget is wrong" right after "the where is wrong, it's York" (each
    -0.48) was handed to a person as growing frustration."""
    def corrected(*texts, score=-0.48):
        return [{"event": "user", "text": text,
                 "parse_data": {"intent": {"name": "correct_need", "confidence": 0.97},
                                "emotion": {"score": score, "risks": []}}} for text in texts]
    signals = signals_from_events(corrected("the where is wrong, it's York", "the budget is wrong"))
    assert not decide(signals).escalate and not acknowledges_feeling(signals)
    assert decide(signals_from_events(corrected("this is all WRONG, useless", score=-0.8))).escalate


def test_a_correction_that_says_no_and_wrong_is_no_feeling_nor_asked_again():
    """A customer run: the sheet kept the How wrong twice; "no the How line is wrong, it should
    say: budget £8,000, includes installation, bulk discount wanted" (-0.65, its "no" and
    "wrong"), after "Change something" pressed a third time, went to a person as very upset
    and "asked the same again", with no request filed."""
    sheet = {"event": "bot", "text": "Here is what I've noted. Please check it: …",
             "metadata": {"utter_action": "utter_needs_summary"}}
    pressed = {"event": "user", "text": "/correct_need",
               "parse_data": {"intent": {"name": "correct_need", "confidence": 1.0}, "emotion": {"score": 0.0}}}
    which = {"event": "bot", "text": "Which part should I change?", "metadata": {"utter_action": "utter_needs_which_field"}}
    typed = {"event": "user", "text": "no the How line is wrong, it should say: budget £8,000, includes installation",
             "parse_data": {"intent": {"name": "correct_need", "confidence": 0.93},
                            "emotion": {"score": -0.65, "risks": []}}}
    events = [sheet, pressed, which, sheet, pressed, which, sheet, typed]
    signals = signals_from_events(events)
    assert not signals.repeated_question
    assert not decide(signals).escalate
    # at the end of their strength, a person still comes
    distressed = {**typed, "parse_data": {**typed["parse_data"], "emotion": {"score": -0.8, "risks": []}}}
    assert decide(signals_from_events(events[:-1] + [distressed])).escalate


@pytest.mark.parametrize("text, waits", [
    ("its fine ill wait", True), ("ok I'll wait", True), ("nah I'll wait till wednesday", True),
    ("fine, wait then", True), ("i'll just wait", True), ("no thanks, I'll wait", True),
    ("its ok", True), ("it's fine", True), ("fine", True), ("no worries", True), ("ok", False),
    ("yes please, I'll wait for someone", False), ("can someone call me, I can't wait", False),
])
def test_saying_they_will_wait_declines_the_person_offered(text, waits):
    """A customer run: each such reply to the person offered for the wait fell back and was
    handed over (7 of 7)."""
    assert waits_after_all("utter_order_wait", text) is waits
    assert not waits_after_all("utter_order_status_shipped", text)
    events = _after_the_status("utter_order_status_shipped", "ugh this is taking ages") + [
        {"event": "bot", "text": "Should I ask a person?", "metadata": {"utter_action": "utter_order_wait"}},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                                                      "emotion": {"score": -0.34, "risks": []}}}]
    assert decide(signals_from_events(events)).escalate is not waits


def _answered_in_the_interview(text, intent, confidence, score, risks=()):
    return [{"event": "active_loop", "name": "needs_form"},
            {"event": "bot", "text": "What problem should this solve?", "metadata": {"utter_action": "utter_ask_need_why"}},
            {"event": "user", "text": text,
             "parse_data": {"intent": {"name": intent, "confidence": confidence},
                            "emotion": {"score": score, "risks": list(risks)}}}]


@pytest.mark.parametrize("text, intent, confidence, score, risks, escalates", [
    # a customer run: each handed over, and the request was lost (3 of 6, 2 of 2)
    ("our current lighting is poor for design work", "describe_need", 0.79, -0.47, (), False),
    ("the air in the waiting room is bad and patients complain", "complaint", 0.84, -0.54, (), False),
    ("we pay by invoice with 30 day terms", "nlu_fallback", 0.5, -0.1, (Reason.BUSINESS,), False),
    # still a person: asked for, distress, or a danger told
    ("just get me a human please", "request_human", 0.95, 0.0, (), True),
    ("I can't cope anymore, everything is falling apart", "inform", 0.6, -0.9, (), True),
    ("the heater you sent is unsafe, it sparks", "inform", 0.6, -0.3, (Reason.SAFETY,), True),
    # a second run: each handed over, the interview lost (5 of 7, 2 of 2, 2 of 2, 1 of 1)
    ("the old ones spark when you switch them on so they're going in the skip", "nlu_fallback", 0.5, 0.23,
     (Reason.SAFETY,), False),
    ("we're opening a second call centre and need kit for the new agents", "describe_need", 0.88, 0.0,
     (Reason.REPEAT_CONTACT,), False),
    ("guests keep asking for them in rooms", "describe_need", 0.91, 0.0, (Reason.REPEAT_CONTACT,), False),
    ("our current chairs are killing everyones backs, lots of complaints", "nlu_fallback", 0.5, -0.81, (), False),
    # ... but distress of the customer's own, or at the assistant, still counts
    ("i'm at my wits end with you, this is hopeless", "nlu_fallback", 0.5, -0.85, (), True),
])
def test_an_interview_answer_tells_the_problem_not_a_feeling(text, intent, confidence, score, risks, escalates):
    signals = signals_from_events(_answered_in_the_interview(text, intent, confidence, score, risks))
    assert decide(signals).escalate is escalates
    assert asks_instead_of_answering(intent, confidence, "needs_form") is (intent == "request_human")
    assert asks_instead_of_answering("complaint", 0.84) is True  # in another free-text form


@pytest.mark.parametrize("asked", ["utter_ask_contact_confirmed", "utter_ask_address_confirmed"])
def test_a_no_to_a_change_read_back_is_no_feeling(asked):
    """A customer run: "thats wrong" (a "no", -0.48) to the new phone number read back got
    "that sounds frustrating" and a person; the right number is asked for instead."""
    # (before it, a cheerful answer: the drop from it was read as the mood turning)
    cheerful = [{"event": "user", "text": "great thanks", "parse_data": {
        "intent": {"name": "thanks", "confidence": 0.9}, "emotion": {"score": 0.48, "risks": []}}}]

    def said(text, intent, score, question=asked):
        return cheerful + [
            {"event": "bot", "text": "Just to check: …?", "metadata": {"utter_action": question}},
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.77},
                                                           "emotion": {"score": score, "risks": []}}}]
    assert not decide(signals_from_events(said("thats wrong", "deny", -0.48))).escalate
    # distress is still a feeling; and the same words after another question are read as before
    assert decide(signals_from_events(said("no!! this is a nightmare, i give up", "deny", -0.9))).escalate
    assert decide(signals_from_events(said("thats wrong", "deny", -0.48, "utter_order_status_shipped"))).escalate


@pytest.mark.parametrize("text, confidence, score, risks, escalates", [
    # a later run: the request that starts the interview, with its reason, was handed over (4 of 4)
    ("hi we need about 30 kettles for our cafes, the old ones spark when u switch them on", 0.91, 0.23,
     (Reason.SAFETY,), False),
    ("looking for 60 headsets for a call centre, staff keep complaining about the current ones", 0.96, -0.2,
     (Reason.REPEAT_CONTACT,), False),
    ("after 30 kettles for our cafes, our current ones are sparking", 0.76, 0.0, (Reason.SAFETY,), False),
    # a third run: less clear, but asking for a number of things (2 of 2)
    ("staff keep complaining about back pain from the chairs, we're after about 40 office chairs", 0.52,
     -0.62, (Reason.REPEAT_CONTACT,), False),
    # read unclearly, or a danger from what was bought here: as before
    ("we need kettles, the old ones spark", 0.5, 0.0, (Reason.SAFETY,), True),
    ("i ordered 40 chairs from you and they all broke, we need 40 replacements", 0.55, -0.62, (), True),
    ("staff keep complaining about back pain, we're after about 40 office chairs", 0.45, -0.62,
     (Reason.REPEAT_CONTACT,), True),
    ("we need 30 more of the kettles you sent, two of them caught fire", 0.9, -0.3, (Reason.SAFETY,), True),
])
def test_a_request_for_something_new_tells_its_problem(text, confidence, score, risks, escalates):
    events = [{"event": "user", "text": text, "parse_data": {
        "intent": {"name": "describe_need", "confidence": confidence},
        "emotion": {"score": score, "risks": list(risks)}}}]
    assert decide(signals_from_events(events)).escalate is escalates


def _said(text: str, intent: str, score: float, confidence: float = 0.9) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence},
                                                          "emotion": {"score": score, "risks": []}}}


def test_a_returns_reason_telling_the_fault_is_no_feeling():
    """A customer run: "its faulty, the zip broke after 2 days" (-0.62) to "What's the reason
    for the return?" got "I'm really sorry" and a person, and the customer was then kept in
    the queue (6 of 6)."""
    asked = [{"event": "active_loop", "name": "return_form"},
             {"event": "slot", "name": "requested_slot", "value": "return_reason"},
             {"event": "bot", "text": "What's the reason for the return?", "metadata": {"utter_action": "utter_ask_return_reason"}}]
    assert not decide(signals_from_events(asked + [_said("its faulty, the zip broke after 2 days", "inform", -0.62)])).escalate
    # distress of the customer's own, or a danger, still counts; and elsewhere, as before
    assert decide(signals_from_events(asked + [_said("i cant cope anymore, everything i buy breaks", "inform", -0.9)])).escalate
    assert decide(signals_from_events([_said("its faulty, the zip broke after 2 days", "inform", -0.62)])).escalate


def test_carrying_on_here_after_the_queue_starts_the_feelings_afresh():
    """A customer run: out of the queue after an upset handoff, the return's own "It's faulty"
    button (-0.32) handed the customer over again (2 of 2)."""
    upset = [_said("this is ridiculous, third time asking, useless", "complaint", -0.8),
             {"event": "action", "name": "action_handoff"},
             {"event": "slot", "name": "handoff_ticket", "value": "5"}]
    went_on = [{"event": "user", "text": "/EXTERNAL_carry_on_here",
                "parse_data": {"intent": {"name": "EXTERNAL_carry_on_here", "confidence": 1.0}}},
               {"event": "bot", "text": "What's the reason for the return?", "metadata": {"utter_action": "utter_ask_return_reason"}},
               _said("hmm its a bit disappointing, it doesnt work", "inform", -0.45)]
    assert not decide(signals_from_events(upset + went_on)).escalate
    # without leaving the queue the same turn reads the mood that is still there
    stayed = [went_on[1], went_on[2]]
    assert decide(signals_from_events(upset + stayed)).escalate


def test_what_was_told_before_goes_with_a_later_handoff(parse):
    """A customer run: "I'm partially sighted and finding this really hard. Where is my order
    HG-100003?" was answered with a person offered; "yes please, I'd like a person to help me"
    then opened a normal ticket (P3, no word of the need for extra support). The same for the
    "Talk to a person" button after an order's checks were locked."""
    told = "I'm partially sighted and finding this really hard. Where is my order HG-100003?"
    events, slots = conversation(parse, [told, "yes please, I'd like a person to help me"])
    first = decide(signals_from_events(events[:1], slots))
    assert not first.escalate  # answered, with a person offered
    decision = decide(signals_from_events(events, slots))
    assert decision.escalate and Reason.VULNERABLE in decision.reasons, decision
    assert decision.priority == PRIORITY_HIGH
    # told before, it hands nobody over on its own
    events, slots = conversation(parse, [told, "thanks, what time do you open tomorrow?"])
    assert not decide(signals_from_events(events, slots)).escalate
    events, slots = conversation(parse, ["where is HG-100002", "can I talk to a person please"])
    locked = decide(signals_from_events(events, {**slots, "order_verifier": "failed"}))
    assert Reason.IDENTITY_LOCK in locked.reasons and locked.priority == PRIORITY_HIGH
    assert Reason.IDENTITY_LOCK not in decide(signals_from_events(events, slots)).reasons


def test_a_vips_change_says_nothing_has_been_changed_yet():
    """A customer run: "ok cancel it please" from a VIP went to a person with no word on whether
    the order had been cancelled."""
    decision = decide(TurnSignals(intent="cancel_order", vip=True))
    assert decision.escalate and handoff_opening(decision) == "utter_handoff_vip"
    # a feeling, a danger or a failure says its own line first
    assert handoff_opening(decide(TurnSignals(intent="complaint", vip=True, sentiment=-0.8))) != "utter_handoff_vip"


def test_a_vips_invoice_is_a_lookup_the_assistant_gives():
    """A customer run: a VIP's request for an order's invoice went to a person; like the
    order's status, it changes nothing."""
    assert not decide(TurnSignals(intent="request_invoice", vip=True)).escalate
    assert not decide(TurnSignals(intent="order_status", vip=True)).escalate
    assert decide(TurnSignals(intent="change_address", vip=True)).escalate


def test_a_reply_to_the_sheet_is_read_as_an_interview_answer():
    """A customer run: "How: we'll pay by purchase order" to the sheet read back was a business
    contract for a person, and the request was never filed."""
    for asked in ("utter_needs_sheet", "utter_needs_which_field"):
        events = [{"event": "bot", "text": "…", "metadata": {"utter_action": asked}},
                  {"event": "user", "text": "How: we'll pay by purchase order",
                   "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                                  "emotion": {"score": 0.0, "risks": ["business_contract"]}}}]
        assert not decide(signals_from_events(events)).escalate, asked
    # the same words elsewhere are still a business case for a person
    elsewhere = [{**events[0], "metadata": {"utter_action": "utter_order_status_shipped"}}, events[1]]
    assert decide(signals_from_events(elsewhere)).escalate


def test_a_question_about_access_asked_because_of_a_condition_is_answered_from_the_help_centre(parse):
    """A customer run: "is your website ok with screen readers? my dad is partially sighted"
    was handed over to a team away until the morning, where the help centre's accessibility
    article answers it; a person is offered beside the answer."""
    asked = "is your website ok with screen readers? my dad is partially sighted"
    events, slots = conversation(parse, [asked])
    signals = signals_from_events(events, slots)
    assert Reason.VULNERABLE in signals.risks and signals.access_answered, signals
    assert not decide(signals).escalate
    # a customer run: "I'm sorry things are hard at the moment" to a blind customer's question
    assert feeling_acknowledgement(signals) == "utter_acknowledge_access_need"
    # a condition told beside another question, with no article on access, still goes to a person
    other = signals_from_events([{"event": "user", "text": "I'm partially sighted and cant do this form",
                                  "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                                                 "help_article": {"slug": "returns", "confident": True},
                                                 "emotion": {"score": -0.2, "risks": ["vulnerable"]}}}])
    assert decide(other).escalate


def _after_an_article_turned_down(text: str, answer: str = "utter_help_article_not_helped"):
    article = {"slug": "gift-orders", "confident": True, "passage": "Tick 'This is a gift' at checkout."}
    return [
        {"event": "user", "text": "how do I wrap a gift?",
         "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5}, "help_article": article,
                        "emotion": {"score": 0.0, "risks": []}}},
        {"event": "action", "name": "action_clarify"},
        {"event": "bot", "text": "This might help…", "metadata": {"utter_action": "utter_help_article"}},
        {"event": "bot", "text": "Did that answer your question?",
         "metadata": {"utter_action": "utter_ask_help_article_helped"}},
        {"event": "user", "text": "/deny", "parse_data": {"intent": {"name": "deny", "confidence": 1.0}}},
        {"event": "action", "name": "action_clarify"},
        {"event": "bot", "text": "Sorry that didn't answer it.", "metadata": {"utter_action": answer}},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                                                      "emotion": {"score": -0.2, "risks": []}}}]


@pytest.mark.parametrize("text, taken_back", [
    # a customer run: fell back after the "no", a second miss, and a person
    ("its fine it did answer, i clicked wrong. bye", True), ("sorry I pressed the wrong button", True),
    ("oops, clicked no by mistake", True), ("actually it did help thanks", True), ("I meant yes", True),
    ("it answered it, I accidentally pressed no", True),
    ("no it really didn't answer my question", False), ("it did not help at all", False),
    ("something else entirely", False),
])
def test_a_no_to_an_article_taken_back_is_a_yes(text, taken_back):
    assert takes_back_the_no("utter_help_article_not_helped", text) is taken_back
    assert takes_back_the_no("utter_help_article_not_helped_rephrase", text) is taken_back
    assert not takes_back_the_no("utter_order_status_shipped", text)
    assert decide(signals_from_events(_after_an_article_turned_down(text))).escalate is not taken_back


def test_questions_the_warranty_offer_answered_are_no_misses():
    """A customer run: two questions to "Shall I pass a warranty claim to our product team?",
    each read as a fallback and the first answered with the next steps, went to a person as a
    second miss."""
    def fell_back(text):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                                                             "emotion": {"score": 0.0, "risks": []}}}

    offer = {"event": "bot", "text": "Shall I pass a warranty claim…", "metadata": {"utter_action": "utter_ask_warranty_claim"}}
    events = [{"event": "action", "name": "action_check_return"}, offer,
              fell_back("what would happen, do i have to post it somewhere? and would i get a new one or money back"),
              {"event": "action", "name": "action_warranty_claim_reply"},
              {"event": "bot", "text": "Past the 30-day return window…",
               "metadata": {"utter_action": "utter_warranty_claim_no_refund"}},
              fell_back("do i have to post it somewhere though?")]
    assert not decide(signals_from_events(events)).escalate
    # two misses anywhere else still bring a person
    other = [dict(e, name="action_clarify") if e.get("name") == "action_warranty_claim_reply" else e for e in events]
    assert decide(signals_from_events(other)).escalate


def test_replies_about_a_reset_link_read_by_its_action_are_no_misses():
    """A customer run: "got it but it says link expired?? i clicked it straight away", read as a
    fallback and answered by the reset reply's reading of the link that will not open, then that
    answer's own "please send another link" button, read as a fallback too, went to a person as
    two misses ("I'm still not getting it")."""
    def fell_back(text):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                                                             "emotion": {"score": 0.0, "risks": []}}}

    events = [{"event": "action", "name": "action_request_password_reset"},
              {"event": "bot", "text": "If there's an account…", "metadata": {"utter_action": "utter_password_reset_sent"}},
              fell_back("got it but it says link expired?? i clicked it straight away"),
              {"event": "action", "name": "action_password_reset_reply"},
              {"event": "bot", "text": "A reset link works for one hour…",
               "metadata": {"utter_action": "utter_password_reset_link_failed"}},
              fell_back("please send another link")]
    assert not decide(signals_from_events(events)).escalate
    # the reply's other answer ("it hasn't come through") may not have understood: two misses
    other = [dict(e, metadata={"utter_action": "utter_password_reset_not_arrived"})
             if (e.get("metadata") or {}).get("utter_action") == "utter_password_reset_link_failed" else e for e in events]
    assert decide(signals_from_events(other)).escalate
