"""Telling a message in another language from an English one, on text nobody tuned it to."""

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from actions.other_languages import other_language
from bot.evaluation.external import default_shared, heldout_examples, read_banking77
from bot.evaluation.register_noise import noisy_set
from tests.conftest import PROJECT_ROOT


@pytest.mark.parametrize("text, language", [
    ("bonjour, je voudrais suivre ma commande", "French"),
    ("je n'ai pas reçu mon remboursement", "French"),
    ("où est mon colis ?", "French"),
    ("hallo, wo ist meine bestellung", "German"),
    ("kann ich mit paypal bezahlen", "German"),
    ("hola, donde esta mi pedido", "Spanish"),
    ("el paquete no ha llegado", "Spanish"),
    ("dov'è il mio ordine", "Italian"),
    ("onde está a minha encomenda", "Portuguese"),
    ("waar is mijn bestelling", "Dutch"),
    ("gdzie jest moja paczka", "Polish"),
    ("bonjour", "French"),
    ("hola", "Spanish"),
    # a customer run: not taken for another language, or named the wrong one
    ("quiero devolver un pedido", "Spanish"),
    ("je veux retourner ma commande", "French"),
    ("ich möchte meine bestellung zurückgeben", "German"),
    ("vorrei restituire il mio ordine", "Italian"),
    ("ik wil mijn bestelling terugsturen", "Dutch"),
])
def test_a_message_in_another_language_is_named(text, language):
    assert other_language(text) == language


@pytest.mark.parametrize("text", [
    # English, and the words other languages share with it
    "where is my order", "ciao", "die", "I need my order sent to a different address please",
    "Ineedmy order sent toa different address please", "merci for nothing, where is my parcel",
    "HG-100001", "", "!!!",
])
def test_english_is_english(text):
    assert other_language(text) is None


def test_no_english_sentence_of_ours_or_of_banking77_is_taken_for_another_language():
    reader = RasaYAMLReader()
    texts = [m.get("text") for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
             for m in reader.read(str(path)).intent_examples]
    heldout = heldout_examples()
    texts += [text for text, _ in heldout] + [noisy.text for noisy in noisy_set(heldout)]
    banking77 = default_shared() / "datasets" / "banking77"
    texts += [text for split in ("train", "test") for text, _ in read_banking77(banking77 / f"{split}.csv")]
    assert len(texts) > 15_000
    assert [text for text in texts if other_language(text)] == []
