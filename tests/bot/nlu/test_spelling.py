"""The spelling step reads words run together and single slips, and leaves the rest alone."""

import pytest

from bot.nlu.spelling import Speller, edit_distance

VOCABULARY = {"is": 40, "there": 12, "a": 50, "human": 6, "i": 60, "can": 30, "talk": 8,
              "to": 70, "about": 9, "my": 80, "refund": 10, "please": 20, "invoice": 7,
              "details": 5, "back": 6, "order": 30, "contact": 9, "less": 2, "further": 2}


@pytest.fixture(scope="module")
def speller():
    return Speller(VOCABULARY)


@pytest.mark.parametrize("typed, meant", [
    ("isthere", ["is", "there"]),
    ("ahumanican", ["a", "human", "i", "can"]),
    ("talkto", ["talk", "to"]),
    ("aboutmy", ["about", "my"]),
])
def test_words_run_together_are_split(speller, typed, meant):
    assert speller.correct(typed) == meant


@pytest.mark.parametrize("typed, meant", [
    ("pleasse", "please"),   # a letter doubled
    ("invpice", "invoice"),  # a neighbouring key
    ("detsils", "details"),
    ("bakc", "back"),        # two letters swapped
    ("ordr", "order"),       # a letter dropped
    ("refnud", "refund"),
])
def test_single_slips_are_corrected(speller, typed, meant):
    assert speller.correct(typed) == [meant]


@pytest.mark.parametrize("word", [
    "refund",        # known
    "ur",            # too short to guess
    "zebra",         # nothing near it
    "contactless",   # two long known words: a word we do not know, not a phrase
    "hg100000",      # not a plain word
])
def test_what_it_cannot_place_is_left_alone(speller, word):
    assert speller.correct(word) is None


def test_long_words_take_two_slips_short_ones_one(speller):
    assert speller.correct("invoyse") == ["invoice"]
    assert speller.correct("plase") == ["please"]
    assert speller.correct("tlkk") is None


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("bakc", "back") == 1
    assert edit_distance("order", "ordre") == 1
    assert edit_distance("kitten", "sitting") == 3


@pytest.mark.parametrize("text, intent", [
    ("isthere ahuman ican talkto", "request_human"),
    ("wheres my ordre HG-123456", "order_status"),
    ("can you emial me the invoyce", "request_invoice"),
])
def test_the_trained_model_reads_them(parse, text, intent):
    assert parse(text)["intent"]["name"] == intent
