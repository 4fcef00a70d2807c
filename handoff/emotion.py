"""How a customer message feels, and which risks it names.

Sentiment: spaCy splits the message into sentences and the VADER lexicon (about 7,500
terms rated by people, with rules for negation, intensifiers, capitals and "!!!") scores
each one from -1 to 1; the message scores as its most negative sentence when one is
clearly negative (an angry sentence after a polite one still counts), otherwise as a whole.

Risks: spaCy's Matcher finds, by lemma, the phrases that must reach a person whatever the
intent: legal threats, safety or injury, fraud or account takeover, billing disputes.
Lemmas make one pattern cover "charge/charged/charging", and the patterns are phrases with
context ("charged twice", "not me"), not single alarm words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, FrozenSet, List

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

LEGAL = "legal_threat"
SAFETY = "safety"
FRAUD = "fraud"
BILLING = "billing_dispute"

CLEARLY_NEGATIVE = -0.05

_LEMMA = "LEMMA"


def _any(*lemmas: str) -> Dict[str, object]:
    return {_LEMMA: {"IN": list(lemmas)}}


# up to three words in between (spaCy 3.4's Matcher has no {n,m} quantifier)
_GAP = [{"OP": "?"}] * 3



RISK_PATTERNS: Dict[str, List[List[Dict[str, object]]]] = {
    LEGAL: [
        [_any("lawyer", "solicitor", "attorney", "lawsuit", "litigation")],
        [_any("sue")],
        [_any("take"), {"LOWER": {"IN": ["you", "them", "harbor", "this"]}, "OP": "?"},
         _any("to"), {"OP": "?"}, _any("court", "tribunal")],
        [_any("legal"), _any("action", "advice", "proceeding", "claim")],
        [{"LOWER": "small"}, {"LOWER": "claims"}],
        [{"LOWER": "trading"}, {"LOWER": "standards"}],
        [_any("ombudsman")],
        [_any("report"), {"OP": "{0,2}"}, _any("police", "regulator", "authority")],
    ],
    SAFETY: [
        [_any("injure", "injury", "hurt", "burn", "bleed", "scald", "choke", "poison")],
        [_any("electric"), _any("shock")],
        [_any("catch", "caught"), _any("fire")],
        [_any("on"), _any("fire")],
        [_any("smoke", "spark", "explode", "explosion", "overheat", "melt")],
        [_any("hospital", "ambulance", "a&e")],
        [_any("dangerous", "unsafe", "hazard", "hazardous")],
        [_any("safety"), _any("issue", "problem", "concern", "risk", "hazard", "recall")],
    ],
    FRAUD: [
        [_any("fraud", "fraudulent", "scam", "scammer", "phishing")],
        [_any("hack", "hacked", "compromise", "compromised")],
        [_any("steal", "stolen"), *_GAP, _any("card", "account", "identity", "detail", "password")],
        [_any("card", "account", "identity", "detail", "password"), *_GAP, _any("steal", "stolen")],
        [_any("identity"), _any("theft")],
        [_any("someone", "somebody", "stranger"), *_GAP,
         _any("access", "log", "login", "use", "change", "order")],
        [_any("be"), _any("not"), {"LOWER": "me"}],
        [_any("do", "did", "place", "make"), {"LOWER": {"IN": ["n't", "not", "never"]}},
         *_GAP, _any("order", "place", "make", "authorise", "authorize")],
        [_any("unauthorised", "unauthorized", "unrecognised", "unrecognized")],
        [_any("never"), _any("order", "ordered", "place", "authorise", "authorize", "buy")],
    ],
    BILLING: [
        [_any("charge", "bill", "debit"), *_GAP, _any("twice", "double")],
        [_any("pay"), _any("twice", "double")],
        [_any("double"), _any("charge", "charged", "billing", "payment")],
        [_any("overcharge", "overcharged")],
        [_any("wrong", "incorrect"), *_GAP, _any("charge", "amount", "bill", "invoice", "price")],
        [_any("chargeback", "dispute")],
        [_any("still"), _any("charge", "bill", "pay", "debit"), *_GAP, _any("cancel", "after")],
        [_any("refund"), *_GAP, _any("never", "not", "still"), *_GAP, _any("arrive", "come", "receive", "get")],
        [_any("never"), _any("get", "receive", "got"), *_GAP, _any("refund", "money")],
    ],
}


@dataclass(frozen=True)
class Emotion:
    """What one message carries: a sentiment score in [-1, 1] and the risks it names."""

    score: float
    risks: FrozenSet[str] = field(default_factory=frozenset)

    def to_json(self) -> Dict[str, object]:
        return {"score": round(self.score, 4), "risks": sorted(self.risks)}


class EmotionAnalyser:
    """Scores customer messages; build once (loading takes about half a second)."""

    def __init__(self) -> None:
        self._nlp: Language = spacy.blank("en")
        self._nlp.add_pipe("sentencizer")
        self._nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self._nlp.initialize()
        self._matcher = Matcher(self._nlp.vocab)
        for risk, patterns in RISK_PATTERNS.items():
            self._matcher.add(risk, patterns)
        self._vader = SentimentIntensityAnalyzer()

    def analyse(self, text: str) -> Emotion:
        text = (text or "").strip()
        if not text or text.startswith("/"):
            return Emotion(0.0)  # empty, or a button's payload: no feeling to read
        text = text[:4000]
        # one pass of spaCy on the lower-cased text (lemmas are looked up case-sensitively);
        # VADER reads the original sentences, since capitals carry intensity
        lowered = text.lower()
        doc = self._nlp(lowered)
        if len(lowered) == len(text):
            sentences = [text[s.start_char:s.end_char] for s in doc.sents]
        else:  # a few characters change length when lower-cased: split the original
            sentences = [s.text for s in self._nlp(text).sents]
        sentences = [s for s in sentences if s.strip()]
        whole = self._vader.polarity_scores(text)["compound"]
        score = whole
        if len(sentences) > 1:
            lowest = min(self._vader.polarity_scores(s)["compound"] for s in sentences)
            score = lowest if lowest <= CLEARLY_NEGATIVE else whole
        risks = frozenset(self._nlp.vocab.strings[match_id] for match_id, _, _ in self._matcher(doc))
        return Emotion(float(score), risks)


@lru_cache(maxsize=1)
def shared_analyser() -> EmotionAnalyser:
    return EmotionAnalyser()
