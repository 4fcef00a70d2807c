"""Countries and products found in the words the spelling step read, where the lookup tables
found nothing in the text as typed; what was typed right is kept."""

import pytest
from rasa.nlu.tokenizers.tokenizer import Token

from bot.nlu.spelled_entities import by_first_word, merged, names_of, plausible_slip, spelled_matches

TABLES = [
    {"name": "country", "elements": ["Portugal", "the Netherlands", "Netherlands"]},
    {"name": "product", "elements": ["Drift Robot Vacuum", "Drift", "vacuum"]},
    {"name": "plan", "elements": ["Plus"]},
]
NAMES = by_first_word(names_of(TABLES, ["country", "product"]))


def _tokens(*spans):
    """Tokens as the spelling step leaves them: corrected words at the typed word's place."""
    return [Token(word, start, end) for word, start, end in spans]


def _entity(kind, value, start, end):
    return {"entity": kind, "value": value, "start": start, "end": end}


def test_a_misspelt_name_is_found_at_the_typed_words_place_with_the_tables_spelling():
    # "do you deliver to the Netherlnds": "netherlnds" read as "netherlands"
    tokens = _tokens(("do", 0, 2), ("you", 3, 6), ("deliver", 7, 14), ("to", 15, 17),
                     ("the", 18, 21), ("netherlands", 22, 32))
    assert spelled_matches(tokens, NAMES, "do you deliver to the Netherlnds") == [
        _entity("country", "the Netherlands", 18, 32)]


def test_the_longest_name_wins_and_plans_are_not_read():
    # "drfit robot vaccum on plus"
    tokens = _tokens(("drift", 0, 5), ("robot", 6, 11), ("vacuum", 12, 18), ("on", 19, 21),
                     ("plus", 22, 26))
    assert spelled_matches(tokens, NAMES, "drfit robot vaccum on plus") == [
        _entity("product", "Drift Robot Vacuum", 0, 18)]


@pytest.mark.parametrize("typed, word, plausible", [
    ("germny", "germany", True), ("portuhal", "portugal", True), ("drfit", "drift", True),
    ("toportugal", "portugal", True),   # run together: the spelling step split it
    ("pricier", "purifier", False),     # two slips: another word
    ("coasters", "toasters", False),    # another first letter
    ("amps", "lamps", False), ("malt", "malta", False),  # too short to tell
])
def test_only_a_plausible_slip_stands_for_a_name(typed, word, plausible):
    assert plausible_slip(typed, word) is plausible


def test_a_common_word_the_spelling_step_read_as_a_name_is_no_entity():
    # "is the toaster pricier": the spelling step read "pricier" as "purifier"
    tokens = _tokens(("is", 0, 2), ("the", 3, 6), ("toaster", 7, 14), ("purifier", 15, 22))
    names = by_first_word(names_of([{"name": "product", "elements": ["purifier"]}], ["product"]))
    assert spelled_matches(tokens, names, "is the toaster pricier") == []


@pytest.mark.parametrize("typed, found, expected", [
    # nothing typed: the spelled name is added
    ([], [_entity("country", "Portugal", 18, 26)], [_entity("country", "Portugal", 18, 26)]),
    # the same name typed right: the typed entity stays as it is
    ([_entity("country", "portugal", 18, 26)], [_entity("country", "Portugal", 18, 26)],
     [_entity("country", "portugal", 18, 26)]),
    # a longer name of the same kind around a typed word replaces it
    ([_entity("product", "vacuum", 12, 18)], [_entity("product", "Drift Robot Vacuum", 0, 18)],
     [_entity("product", "Drift Robot Vacuum", 0, 18)]),
    # no second name of a kind the customer typed right ("Scotland … a malt whisky fan")
    ([_entity("country", "Scotland", 18, 26)], [_entity("country", "Malta", 40, 44)],
     [_entity("country", "Scotland", 18, 26)]),
    # never another kind of entity the customer typed (an order number, a postcode)
    ([_entity("order_number", "HG-100003", 0, 9)], [_entity("product", "Drift", 0, 9)],
     [_entity("order_number", "HG-100003", 0, 9)]),
])
def test_what_was_typed_right_is_kept(typed, found, expected):
    assert merged(typed, found) == expected


@pytest.mark.parametrize("text, entity, value", [
    ("do you deliver to Portuhal", "country", "Portugal"),
    ("do u ship to germny", "country", "Germany"),
    ("can i return my aurora kettel", "product", "Aurora Kettle"),
])
def test_the_trained_model_finds_misspelt_names(parse, text, entity, value):
    # before, no entity: the delivery answer was the overview of every country
    found = [(e["entity"], e["value"]) for e in parse(text)["entities"]]
    assert (entity, value) in found
