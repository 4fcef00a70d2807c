"""Messages written in a language the assistant does not speak.

The NLU is trained on English only, so "bonjour, je voudrais suivre ma commande" falls out of
scope, and "that's not something I can help with" would tell a French customer that the shop
does not track orders. A message is taken as another language's when its words are that
language's function words (spaCy's stop-word lists, less the English ones) more than English
ones, and make up a third of it: short questions are mostly such words, and no English
sentence is made of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module
from typing import Dict, FrozenSet, Optional

LANGUAGES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
             "pt": "Portuguese", "nl": "Dutch", "pl": "Polish"}
# a one-word message counts only when it is a greeting or a thank-you ("die" alone is not German)
_GREETINGS = {
    "fr": {"bonjour", "bonsoir", "salut", "merci", "beaucoup"},
    "de": {"hallo", "servus", "danke", "tschüss"},
    "es": {"hola", "gracias"},
    "it": {"buongiorno", "buonasera", "grazie"},  # not "ciao": English says it too
    "pt": {"olá", "ola", "obrigado", "obrigada"},
    "nl": {"hoi", "dank", "bedankt", "dag"},
    "pl": {"cześć", "dzień", "dziękuję"},
}
# the words a customer of a shop most often writes in each language, which no stop-word list
# has: "quiero devolver un pedido" was not read as Spanish, and got "that's not something I can
# help with" (a customer run)
_SHOP_WORDS = {
    "fr": {"commande", "commandes", "colis", "livraison", "remboursement", "retourner", "annuler", "veux",
           "voudrais", "reçu", "payer"},
    "de": {"bestellung", "bestellungen", "paket", "lieferung", "rückerstattung", "zurückgeben", "stornieren",
           "möchte", "bezahlen", "erhalten"},
    "es": {"pedido", "pedidos", "paquete", "envío", "envio", "reembolso", "devolver", "devolución", "cancelar",
           "quiero", "quisiera", "pagar", "recibido"},
    "it": {"ordine", "ordini", "pacco", "spedizione", "rimborso", "restituire", "annullare", "vorrei", "voglio",
           "pagare", "ricevuto"},
    "pt": {"encomenda", "encomendas", "pacote", "entrega", "devolução", "quero", "gostaria", "receber", "recebi"},
    "nl": {"bestelling", "bestellingen", "pakket", "levering", "terugbetaling", "terugsturen", "annuleren",
           "wil", "graag", "betalen", "ontvangen"},
    "pl": {"zamówienie", "zamówienia", "paczka", "paczki", "dostawa", "zwrot", "zwrócić", "anulować", "chcę",
           "chciałbym", "chciałabym", "zapłacić"},
}
MIN_WORDS = 2
# and a third of the words at least: French lists "sent" and "different" among its own
MIN_SHARE = 1 / 3
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _english_words() -> FrozenSet[str]:
    return frozenset(import_module("spacy.lang.en.stop_words").STOP_WORDS)


@lru_cache(maxsize=1)
def _function_words() -> Dict[str, FrozenSet[str]]:
    english = _english_words()
    return {code: frozenset(w for w in import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS
                            if w not in english) | _GREETINGS[code] | _SHOP_WORDS[code]
            for code in LANGUAGES}


@lru_cache(maxsize=1)
def _own_words() -> Dict[str, FrozenSet[str]]:
    """Each language's words that no other language here has: "je" is French and Polish, "veux"
    French alone ("je veux retourner ma commande" was named Polish)."""
    found = _function_words()
    return {code: frozenset(w for w in words if not any(w in found[other] for other in found if other != code))
            for code, words in found.items()}


def other_language(text: str) -> Optional[str]:
    """The name of the language `text` is written in, when it is clearly not English."""
    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return None
    if len(words) == 1:
        return next((LANGUAGES[c] for c, greetings in _GREETINGS.items() if words[0] in greetings), None)
    english = _english_words()
    english_count = sum(word in english for word in words)
    own = _own_words()
    count, _, code = max((sum(word in found for word in words), sum(word in own[code] for word in words), code)
                         for code, found in _function_words().items())
    if count >= MIN_WORDS and count > english_count and count >= MIN_SHARE * len(words):
        return LANGUAGES[code]
    return None
