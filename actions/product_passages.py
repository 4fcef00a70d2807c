"""A help-centre passage about another product than the one the customer is asking about is
not their answer: "how do i clean it", right after the Lumen Desk Lamp's warranty, got the
Atlas Office Chair's fabric cleaning (a customer run). The search reads the message alone;
the product it means is the one the conversation is about (the `product` slot). Its own
article's passage that shares the question's words is given instead, or none."""

from __future__ import annotations

import re
from typing import Optional, Sequence, Set, Tuple

from rasa_sdk import Tracker

from actions.company_db import company_session
from actions.tracker_reading import latest_entity, product_in_slot
from company import catalog
from company.help_articles import Article, Passage, load_articles

# words that say nothing of what is asked about a product
_STOP = frozenset({"what", "when", "where", "which", "does", "there", "their", "about", "with", "that", "this",
                   "have", "from", "your", "mine", "they", "them", "will", "would", "could", "should", "just",
                   "please", "thanks", "into", "still", "it's", "its"})
_STEM = 5  # letters compared: "clean" and "cleaning" are one word here


def _stems(text: str) -> Set[str]:
    return {word[:_STEM] for word in re.findall(r"[a-z']+", text.lower()) if len(word) >= 4 and word not in _STOP}


def _products_named(title: str, names: Sequence[str]) -> Set[str]:
    """The products an article's title is about, by the word that says what each is
    ("Caring for your kettle, toaster and grinder": the Aurora Kettle, the Ember Toaster…),
    compared as the catalog compares names (`catalog.name_words`)."""
    words = catalog.name_words(title)
    return {name for name in names if catalog.name_words(name.split()[-1]) <= words}


def passage_for_the_product_asked(tracker: Tracker, shown: Tuple[Article, Passage]
                                  ) -> Optional[Tuple[Article, Passage]]:
    """`shown`, unless its article is about another product than the one the conversation is
    about while the message names none; then the passage of that product's own article that
    shares the most of the question's words, or None (no answer from the help centre)."""
    named = product_in_slot(tracker)
    if not named or latest_entity(tracker, "product"):
        return shown  # no product talked about, or the search read the product's name
    return _for_the_product(named, shown, _stems(str((tracker.latest_message or {}).get("text") or "")))


def passage_beside_for_the_product_named(tracker: Tracker, shown: Tuple[Article, Passage]
                                         ) -> Optional[Tuple[Article, Passage]]:
    """`shown`, a passage answering one clause of a message that names one product in another
    ("is the breeze air purifier any good for pet hair and how often do u change the filter"
    got the Drift Robot Vacuum's filter for its second clause: a customer run), unless its
    article is about another product; then the named product's own passage that speaks of
    the same things, or None."""
    named = latest_entity(tracker, "product")
    if not named:
        return shown
    return _for_the_product(named, shown, _stems(f"{shown[1].heading} {shown[1].text}"))


def _for_the_product(named: str, shown: Tuple[Article, Passage], question: Set[str]
                     ) -> Optional[Tuple[Article, Passage]]:
    """`shown`, unless its article is about another product than the one `named`; then that
    product's own passage sharing the most of the `question`'s words, or None."""
    with company_session() as session:
        asked = catalog.find_product(session, named)
        names = [product.name for product in catalog.products(session)]
    if asked is None:
        return shown
    about = _products_named(shown[0].title, names)
    if not about or asked.name in about:
        return shown
    return _own_passage(asked.name, names, question)


def _own_passage(product: str, names: Sequence[str], question: Set[str]) -> Optional[Tuple[Article, Passage]]:
    """The passage of `product`'s own article that shares the most of the question's words."""
    own = [(len(question & _stems(f"{passage.heading} {passage.text}")), article, passage)
           for article in load_articles() if product in _products_named(article.title, names)
           for passage in article.passages]
    best = max(own, key=lambda scored: scored[0], default=None)
    return (best[1], best[2]) if best is not None and best[0] > 0 else None
