"""Token fingerprints remembered during training (bot.runtime.threaded_training installs it).

Rasa's training cache fingerprints a component's input and output TrainingData around
every component: each message's fingerprint hashes its data again, every token included,
whenever a component has changed the message. In the product's training that was 24 s of
128 s (`python -m cProfile -m rasa train nlu`), more than half of it in `Token.fingerprint`,
called 260,000 times for tokens that no component changes (every component that rewrites
tokens makes new ones).

A token without data (what the tokenizers and CareDesk's components make) is fingerprinted
by its text, offsets and lemma alone, so its fingerprint is remembered by those four
values: the same string Rasa computes, looked up instead of hashed again. A token with data
is fingerprinted as Rasa does.
"""

from __future__ import annotations

from typing import Dict, Optional, Text, Tuple

from rasa.nlu.tokenizers.tokenizer import Token

_rasa_fingerprint = Token.fingerprint
Key = Tuple[Text, int, int, Optional[Text]]
# for the life of one `rasa train` process: a few hundred thousand short strings at most
_known: Dict[Key, Text] = {}


def remembered_fingerprint(token: Token) -> Text:
    """Token.fingerprint, remembered for tokens without data (see the module's docstring)."""
    # Rasa hashes str() of each value: 4 and 4.0 hash apart but are equal keys
    if token.data or type(token.start) is not int or type(token.end) is not int:
        return _rasa_fingerprint(token)
    key = (token.text, token.start, token.end, token.lemma)
    found = _known.get(key)
    if found is None:
        found = _known[key] = _rasa_fingerprint(token)
    return found


def install() -> None:
    Token.fingerprint = remembered_fingerprint  # type: ignore[assignment]
