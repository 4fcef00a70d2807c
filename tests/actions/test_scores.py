"""The one decision about scores (actions.scores): which score question, if any, the
customer's latest message answers. No database: the tracker's events are the facts."""

from __future__ import annotations

from typing import Any, Dict, List

from actions.scores import NPS, RATING, AskedQuestion, answered_question, opening_score, says_why, typed_number
from tests.conftest import bot_said, make_tracker, user_said


def answered(events: List[Dict[str, Any]], sender: str = "c1") -> Any:
    return answered_question(make_tracker(events=events, sender_id=sender))


def test_the_first_message_after_the_question_answers_it() -> None:
    events = [user_said("/EXTERNAL_aftercare_nps", "EXTERNAL_aftercare_nps"),
              bot_said("utter_ask_nps", 1700000000.25), user_said("0", "nps")]
    assert answered(events) == AskedQuestion(NPS, "c1", 1700000000.25)
    rating = [user_said("/EXTERNAL_handoff_resolved", "EXTERNAL_handoff_resolved"),
              bot_said("utter_handoff_resolved", 10.0), bot_said("utter_ask_rating", 10.5),
              user_said("five stars", "rate")]
    assert answered(rating) == AskedQuestion(RATING, "c1", 10.5)


def test_a_number_typed_with_nothing_asked_answers_nothing() -> None:
    events: List[Dict[str, Any]] = [user_said("hello", "greet"), bot_said("utter_greet", 1.0)]
    for turn in range(5):
        events += [user_said("0", "nps"), bot_said("utter_score_not_asked", 2.0 + turn)]
        assert answered(events[:-1]) is None


def test_only_the_first_answer_to_a_question_counts() -> None:
    events = [bot_said("utter_ask_nps", 5.0), user_said("0", "nps"), bot_said("utter_nps_sorry", 6.0),
              user_said("0", "nps")]
    assert answered(events[:2]) == AskedQuestion(NPS, "c1", 5.0)
    assert answered(events) is None


def test_any_other_message_in_between_means_the_question_went_unanswered() -> None:
    events = [bot_said("utter_ask_rating", 5.0), user_said("where is my order?", "order_status"),
              bot_said("utter_ask_order_number", 6.0), user_said("1", "rate")]
    assert answered(events) is None


def test_a_question_asked_again_is_a_new_question() -> None:
    first = [bot_said("utter_ask_nps", 5.0), user_said("I'd recommend you", "nps")]
    again = first + [bot_said("utter_ask_nps_again", 6.0), user_said("8", "nps")]
    assert answered(again) == AskedQuestion(NPS, "c1", 6.0)
    assert answered(again).key != answered(first).key


def test_the_latest_question_decides_the_kind() -> None:
    events = [bot_said("utter_ask_rating", 5.0), user_said("4", "rate"), bot_said("utter_ask_rating_comment", 6.0),
              user_said("no", "deny"), bot_said("utter_ask_nps", 7.0), user_said("9", "rate")]
    assert answered(events).kind == NPS


def test_the_key_names_one_question_of_one_conversation_for_good() -> None:
    events = [bot_said("utter_ask_rating", 1700000000.123456), user_said("1", "rate")]
    assert answered(events).key == answered(list(events)).key  # the same answer sent twice
    assert answered(events, "c1").key != answered(events, "c2").key
    assert answered([bot_said("utter_ask_rating", 1700000000.123457), user_said("1", "rate")]).key != \
        answered(events).key


def test_a_question_without_its_timestamp_cannot_be_answered() -> None:
    events = [{"event": "bot", "text": "...", "metadata": {"utter_action": "utter_ask_nps"}},
              user_said("9", "nps")]
    assert answered(events) is None


def test_numbers_are_read_from_digits_and_words() -> None:
    assert [typed_number(t) for t in ("9", "I'd say 8 out of 10", "five stars", "Zero", "10/10",
                                      "3.5", "no idea", None)] == ["9", "8", "5", "0", "10", None, None, None]


def test_a_hedged_score_is_the_score() -> None:
    """A customer run: "3 i guess, didnt say if returns from spain are free" to the rating
    question got the returns policy and "meh 3 i guess, you couldnt even tell me if its in
    stock" the stock article; neither rating was recorded."""
    hedged = ["3 i guess, didnt say if returns from spain are free",
              "meh 3 i guess, you couldnt even tell me if its in stock", "hmm 2 at best", "id say 4, quick enough"]
    assert [opening_score(text, RATING) for text in hedged] == [3, 3, 2, 4]
    assert says_why(hedged[0], RATING) and says_why(hedged[1], RATING)
    # a number that is no score stays no score
    assert [opening_score(text, RATING) for text in ("meh 3 orders and all late", "well 2 of them broke",
                                                     "meh 3 i guess, where is my refund")] == [None, None, None]


def test_a_score_says_why_when_words_follow_it() -> None:
    said = ["3/5, could be faster", "2 because the parcel is late", "five stars, lovely people", "4 - ok but slow"]
    assert [says_why(text, RATING) for text in said] == [True, True, True, True]
    bare = ["3", "5!", "4/5", "five stars", "2 orders arrived damaged", "1. where is my refund", "9, great",
            "4, thank you", "4/5 cheers"]  # (a review: courtesies were thanked as comments)
    assert [says_why(text, RATING) for text in bare] == [False] * len(bare)


def test_the_rating_questions_own_labels_are_scores() -> None:
    """A customer run: "excellent!" to "…from 1 (poor) to 5 (excellent)?" got a fallback."""
    assert [opening_score(text, RATING) for text in ("excellent!", "Very poor.", "poor")] == [5, 1, 1]
    assert opening_score("excellent!", NPS) is None
    assert opening_score("excellent service but the parcel was late", RATING) is None
