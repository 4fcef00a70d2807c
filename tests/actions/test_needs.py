"""Which question a 5W1H answer belongs to (actions/needs.py)."""

import pytest

from actions.needs import answers_another_question


@pytest.mark.parametrize("text, asked, fields", [
    ("by end of january", "need_where", {"when": "by end of january"}),
    ("Leeds and York", "need_who", {"where": "Leeds; York"}),
    ("next week", "need_how", {"when": "next week"}),
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
])
def test_anything_else_is_the_answer_to_the_question_asked(text, asked):
    assert answers_another_question(text, asked) == {}
