"""The spelling step reads words run together and single slips, and leaves the rest alone,
real words the training examples do not use included."""

from pathlib import Path

import pytest

from bot.nlu.encoder_files import resolve_model_dir
from bot.nlu.spelling import Speller, edit_distance, encoder_words, vocabulary

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


def test_a_slip_beats_a_split_into_rare_fragments():
    # counts as in the product's examples (about 15,000 words): "st" (a street) and "top" (a
    # top-up) are rare, "stop", "to", "pay" and "my" common
    counts = {**VOCABULARY, "st": 1, "top": 9, "stop": 22, "pay": 60, "today": 80,
              "the": 15_000}
    speller = Speller(counts)
    assert speller.correct("sttop") == ["stop"]
    # a split into common words still wins over a word one or two slips away
    assert speller.correct("topay") == ["to", "pay"]
    assert speller.correct("myorder") == ["my", "order"]


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
    # "st top" before: a newsletter sign-up
    ("sttop emailing me your newsletters", "newsletter_unsubscribe"),
    # no example names Portugal, the lookup table of countries does (a fallback before)
    ("do you send orders to Portuhal", "ask_shipping"),
])
def test_the_trained_model_reads_them(parse, text, intent):
    assert parse(text)["intent"]["name"] == intent


def test_real_words_the_examples_do_not_use_are_left_alone():
    # "further" is known; "farther" one letter away is a real word of its own, and so is
    # "invoices" next to "invoice": corrected without the list of real words, kept with it
    plain = Speller(VOCABULARY)
    assert plain.correct("farther") == ["further"]
    assert plain.correct("invoices") == ["invoice"]
    kept = Speller(VOCABULARY, frozenset({"farther", "invoices"}))
    assert kept.correct("farther") is None
    assert kept.correct("invoices") is None
    assert kept.correct("invpice") == ["invoice"]
    assert kept.correct("isthere") == ["is", "there"]


def test_a_real_word_one_slip_away_beats_a_known_word_two_slips_away():
    # "shoppping" was read as "shipping" (two slips), which the examples use, and not
    # "shopping" (one slip), which they do not
    counts = {**VOCABULARY, "shipping": 40}
    assert Speller(counts).correct("shoppping") == ["shipping"]
    speller = Speller(counts, frozenset({"shopping", "shipping"}))
    assert speller.correct("shoppping") == ["shopping"]
    # a known word one slip away still wins, and two slips still reach a known word
    assert speller.correct("shiping") == ["shipping"]
    assert speller.correct("invoyse") == ["invoice"]
    # and a split into rare fragments ("ss hopping") is weighed against the known word, as
    # before, not against the real word, which the examples' counts cannot price
    fragments = Speller({**counts, "ss": 1, "hopping": 1}, frozenset({"shopping", "shipping"}))
    assert fragments.correct("sshopping") == ["shopping"]


def test_the_lookup_tables_names_are_known_words():
    counts = vocabulary([], [{"name": "country", "elements": ["Portugal", "the Netherlands"]},
                             {"name": "product", "elements": ["Summit Backpack"]}])
    assert {"portugal", "netherlands", "summit", "backpack"} <= set(counts)
    speller = Speller({**VOCABULARY, **counts})
    assert speller.correct("portuhal") == ["portugal"]
    assert speller.correct("backpak") == ["backpack"]


def test_the_encoders_whole_words_are_real_words_and_its_pieces_are_not():
    words = encoder_words(resolve_model_dir(None))
    assert {"acquire", "swapped", "theatre", "starting"} <= words
    # misspellings, word pieces ("##ing"), markers ("[unused0]") and short words are not
    assert not {"recieved", "foriegn", "ordr", "ing", "##ing", "[unused0]", "the"} & words


def test_the_spelling_step_reads_the_encoders_words_from_its_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="vocab.txt"):
        encoder_words(tmp_path)


def _normalised(text: str, **config):
    """A message through the spelling step (the tokenizer's tokens, VOCABULARY known)."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.entity_values import canonical_text
    from bot.nlu.spelling import SpellingNormaliser

    message = Message({"text": text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    step = SpellingNormaliser({"keep_encoder_words": False, **config},
                              LocalModelStorage(Path("/nonexistent")), Resource("spelling"),
                              VOCABULARY)
    step.process([message])
    return [t.text for t in message.get(TOKENS_NAMES["text"])], canonical_text(message)


def test_chat_shorthand_is_spelled_out_for_the_featurizers_and_the_encoder():
    tokens, text = _normalised("wat r u doing abt my acc pls")
    assert text == "what are you doing about my account please"
    assert tokens == ["what", "are", "you", "doing", "about", "my", "account", "please"]
    # a contraction typed without its apostrophe reads as the tokenizer cuts the real one
    tokens, text = _normalised("i dont kno, thx")
    assert text == "i don't know, thanks"
    assert tokens == ["i", "don", "t", "know", "thanks"]
    # and slips are still corrected beside it
    assert _normalised("u sent the invpice")[1] == "you sent the invoice"


@pytest.mark.parametrize("text", [
    "y",                            # yes, or why
    "is 2day delivery possible",    # two-day delivery
    "its warranty is 2 yr",         # its, a year
])
def test_shorthand_that_is_also_a_shop_word_is_left_alone(text):
    assert _normalised(text)[1] == text


def test_a_negation_typed_without_its_apostrophe_keeps_its_meaning():
    # the slip corrector alone reads "cant" as "can", one letter away: the opposite
    assert _normalised("i cant log in", spell_out_shorthand=False)[1] == "i can log in"
    assert _normalised("i cant log in")[1] == "i can't log in"


def test_each_token_is_rewritten_at_its_own_place():
    # "u.k." is a token of its own: the "u" spelled out is the later one, not the one in it
    assert _normalised("from the u.k. r u sure")[1] == "from the u.k. are you sure"
    assert _normalised("u said u would")[1] == "you said you would"
