"""The register stress set: held-out sentences rewritten the way hurried, angry or overly polite
customers write them (`make eval`).

Every transformation is programmatic and seeded, so the set is the same on every run and
grows by itself when `tests/heldout/nlu.yml` grows. Each held-out sentence yields one variant
per family, so every intent is measured under every kind of noise:

- typos: adjacent letters swapped, a letter dropped or doubled, a neighbouring key hit;
- run-together: spaces dropped between some words, and all punctuation gone;
- lower case, no punctuation, text-speak ("u", "pls", "thx", "dont");
- slang and swearing around the request;
- indirect wrappers ("could you ask someone whether …", long polite openings).

Identifiers (anything with a digit or an @) are left intact: customers copy them. Short
answers to the assistant's own questions (yes, no, thanks, a score, an e-mail address) get
only the first three families: nobody wraps "yes" in "could you ask someone whether".
These word lists are the evaluation's own; the training-time augmentation
(`bot.nlu.register_augmenter`) uses different ones, so the set is not its mirror image.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

_KEYBOARD_NEIGHBOURS = {
    "a": "qs", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}
_TEXT_SPEAK = {
    "you": "u", "your": "ur", "you're": "ur", "are": "r", "please": "pls", "thanks": "thx",
    "thank you": "ty", "don't": "dont", "can't": "cant", "won't": "wont", "i'm": "im",
    "because": "cos", "want to": "wanna", "going to": "gonna", "what": "wat", "to be": "2b",
    "before": "b4", "tomorrow": "tmrw", "message": "msg", "really": "rly", "know": "kno",
}
_SLANG_OPENERS = ["ugh", "mate", "ffs", "oi", "bruh", "seriously", "right so", "wtf"]
_SLANG_CLOSERS = ["!!!", "ffs", "asap", "cheers", "or what", "ta", "this is a joke", "damn it"]
_SWEARS = ["bloody", "damn", "freaking", "effing"]
_WRAPPERS = [
    "could you ask someone whether {}",
    "hi there, sorry to bother you, I was just wondering: {}",
    "can you get someone to check this for me: {}",
    "good morning, I hope you're well. {} Thank you so much in advance.",
    "quick one - {}",
    "my husband asked me to ask you this: {}",
    "I'm not sure if this is the right place but {}",
    "hello, I tried the website but couldn't find it, so: {}",
]

Transform = Callable[[str, random.Random], str]


def _is_identifier(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or "@" in word


def _typo(word: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 4:
        return word
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    neighbours = _KEYBOARD_NEIGHBOURS.get(word[i].lower(), "")
    return word[:i] + (rng.choice(neighbours) if neighbours else word[i]) + word[i + 1:]


def typos(text: str, rng: random.Random) -> str:
    """About one word in three mistyped (at least one)."""
    words = text.split()
    candidates = [i for i, w in enumerate(words) if not _is_identifier(w) and len(w) >= 4]
    if not candidates:
        return text
    chosen = set(rng.sample(candidates, max(1, len(candidates) // 3)))
    return " ".join(_typo(w, rng) if i in chosen else w for i, w in enumerate(words))


def _strip_punctuation(text: str) -> str:
    words = [w if _is_identifier(w) else re.sub(r"[^\w\s']", "", w) for w in text.split()]
    return " ".join(w for w in words if w)


def run_together(text: str, rng: random.Random) -> str:
    """No punctuation, and a few spaces dropped between short words."""
    words = _strip_punctuation(text).split()
    out: List[str] = []
    for word in words:
        joinable = out and not _is_identifier(word) and not _is_identifier(out[-1])
        if joinable and len(out[-1]) + len(word) <= 10 and rng.random() < 0.6:
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def text_speak(text: str, rng: random.Random) -> str:
    """Lower case, no punctuation, text-speak abbreviations."""
    lowered = _strip_punctuation(text.lower())
    for phrase, short in sorted(_TEXT_SPEAK.items(), key=lambda item: -len(item[0])):
        lowered = re.sub(rf"\b{re.escape(phrase)}\b", short, lowered)
    return lowered


def slang_and_swearing(text: str, rng: random.Random) -> str:
    """An exasperated opener, a swear word in the middle, a curt closer."""
    words = text.rstrip(".?!").split()
    nouns = [i for i, w in enumerate(words) if len(w) > 3 and not _is_identifier(w)]
    if nouns:
        i = rng.choice(nouns)
        words.insert(i, rng.choice(_SWEARS))
    return f"{rng.choice(_SLANG_OPENERS)} {' '.join(words)} {rng.choice(_SLANG_CLOSERS)}"


def wrapped(text: str, rng: random.Random) -> str:
    """The request inside an indirect or long polite wrapper."""
    inner = text.rstrip(".?!")
    inner = inner[:1].lower() + inner[1:] if inner[:2] != "I " else inner
    return rng.choice(_WRAPPERS).format(inner)


# intents that answer the assistant rather than ask it something
ANSWER_INTENTS = frozenset({"affirm", "deny", "thanks", "greet", "goodbye", "inform", "rate", "nps",
                            "stop_contact", "skip_question", "correct_need"})
_ANSWER_FAMILIES = ("typos", "run-together", "text-speak")

FAMILIES: Dict[str, Transform] = {
    "typos": typos,
    "run-together": run_together,
    "text-speak": text_speak,
    "slang-swearing": slang_and_swearing,
    "wrapped": wrapped,
}


@dataclass(frozen=True)
class NoisyExample:
    text: str
    intent: str
    family: str
    source: str


def noisy_set(examples: Sequence[Tuple[str, str]], seed: int = 7) -> List[NoisyExample]:
    """One variant per family of every (text, intent) example, in a fixed order."""
    rng = random.Random(seed)
    result = []
    for text, intent in examples:
        for family, transform in FAMILIES.items():
            if intent in ANSWER_INTENTS and family not in _ANSWER_FAMILIES:
                continue
            variant = transform(text, rng)
            if variant.strip() and variant != text:
                result.append(NoisyExample(variant, intent, family, text))
    return result
