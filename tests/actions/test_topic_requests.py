"""A topic asked for by a button's payload, run from an action (actions/topic_requests.py)."""

from actions.topic_requests import order_task_of, read_payload, topic_events


def test_a_payload_reads_as_its_intent_and_details():
    assert read_payload('/ask_shipping{"country": "Ireland"}') == ("ask_shipping", {"country": "Ireland"})
    assert read_payload("/order_status") == ("order_status", {})
    assert read_payload("/ask_shipping{not json") == ("ask_shipping", {})
    assert read_payload("It's faulty") == (None, {})  # words, not a topic


def test_the_order_tasks_are_the_domains(domain):
    assert [order_task_of(intent, domain) for intent in ("order_status", "cancel_order", "ask_shipping")] == [
        "status", "cancel", None]


def test_a_topic_runs_its_task_or_its_answer_with_its_details(domain):
    started = topic_events('/start_return{"order_number": "HG-100003"}', domain)
    assert [(e["event"], e["name"], e.get("value")) for e in started] == [
        ("slot", "order_number", "HG-100003"), ("slot", "order_task", "return"), ("followup", "order_form", None)]
    assert [e["name"] for e in topic_events("/ask_opening_hours", domain)] == ["action_opening_hours"]
    assert topic_events("/greet", domain) is None
