"""The base of the forms a customer can give up (actions/declinable_form.py)."""

from __future__ import annotations

from actions.declinable_form import DeclinableForm
from tests.conftest import make_tracker


class _Form(DeclinableForm):
    confirmation_slot = "done"
    asked_slot = "thing"

    def name(self) -> str:
        return "validate_thing_form"

    def gives_up(self, text: str) -> bool:
        return "forget it" in text

    def answers(self, text: str) -> bool:
        return "blue" in text


_DOMAIN = {"forms": {"thing_form": {"required_slots": ["thing", "done"]}}}


async def _declined(tracker):
    events = await _Form().get_extraction_events(None, tracker, _DOMAIN)
    return {e["name"]: e["value"] for e in events}


async def test_the_words_end_the_form_only_at_its_question(make_dispatcher):
    at_the_question = make_tracker({"requested_slot": "thing"}, text="forget it")
    assert await _declined(at_the_question) == {"done": False}
    elsewhere = make_tracker({"requested_slot": "done"}, text="forget it")
    assert await _declined(elsewhere) == {}
    other_words = make_tracker({"requested_slot": "thing"}, text="a blue one")
    assert await _declined(other_words) == {}


async def test_a_no_at_its_question_is_the_forms_to_read(make_dispatcher):
    """A rule ended the form on every "no": "no, a blue one" lost the answer."""
    answer = make_tracker({"requested_slot": "thing"}, text="no, a blue one", intent="deny")
    assert await _declined(answer) == {"thing": "no, a blue one"}
    plain_no = make_tracker({"requested_slot": "thing"}, text="no", intent="deny")
    assert await _declined(plain_no) == {"done": False}


async def test_another_order_named_ends_the_form_with_nothing_left_to_ask(make_dispatcher):
    """"hang on wrong order number. HG-…" went on with the new number and the old proof."""
    form = _Form()
    slots = ["thing", "done"]
    switched = make_tracker({"verified_order": "HG-100001"}, text="hang on wrong order, HG-100005",
                            entities=[{"entity": "order_number", "value": "HG-100005"}])
    assert await form.required_slots(slots, make_dispatcher(switched), switched, {}) == []
    same = make_tracker({"verified_order": "HG-100001"}, text="yes HG-100001",
                        entities=[{"entity": "order_number", "value": "HG-100001"}])
    assert await form.required_slots(slots, make_dispatcher(same), same, {}) == slots


async def test_a_no_leaves_only_itself_to_validate(make_dispatcher):
    form = _Form()
    declined = make_tracker({"done": False})
    assert await form.required_slots(["thing", "done"], make_dispatcher(declined), declined, {}) == ["done"]
    asking = make_tracker({})
    assert await form.required_slots(["thing", "done"], make_dispatcher(asking), asking, {}) == ["thing", "done"]
