"""A help-centre passage about another product than the one asked about (actions/product_passages.py)."""

from __future__ import annotations

from actions.product_passages import passage_for_the_product_asked
from company.help_articles import find_article
from tests.conftest import make_tracker


def _passage(slug: str, heading_word: str):
    article = find_article(slug)
    return article, next(p for p in article.passages if heading_word in p.heading)


def test_another_products_passage_gives_way_to_the_products_own(database_url) -> None:
    """A customer run: "how do i clean it" after the Lumen Desk Lamp's warranty got the Atlas
    Office Chair's fabric cleaning."""
    chair = _passage("office-chair-assembly", "Cleaning")
    tracker = make_tracker({"product": "lumen desk lamp"}, text="how do i clean it", intent="nlu_fallback")
    article, passage = passage_for_the_product_asked(tracker, chair)
    assert article.slug == "lumen-desk-lamp" and "Cleaning" in passage.heading
    # the kitchen article is about the kettle, the toaster and the grinder: not the lamp's either
    kettle = _passage("kitchen-appliance-care", "")
    tracker = make_tracker({"product": "lamp"}, text="can i swap the bulb", intent="nlu_fallback")
    assert passage_for_the_product_asked(tracker, kettle)[1].heading == "The light itself"


def test_no_passage_when_the_products_own_article_does_not_say(database_url) -> None:
    chair = _passage("office-chair-assembly", "Cleaning")
    tracker = make_tracker({"product": "Aurora Kettle"}, text="is the fabric washable", intent="nlu_fallback")
    assert passage_for_the_product_asked(tracker, chair) is None


def test_the_passage_stays_when_it_is_about_the_product_or_the_message_names_one(database_url) -> None:
    chair = _passage("office-chair-assembly", "Cleaning")
    same = make_tracker({"product": "atlas chair"}, text="how do i clean it", intent="nlu_fallback")
    assert passage_for_the_product_asked(same, chair) == chair
    named = make_tracker({"product": "lumen desk lamp"}, text="how do i clean the office chair", intent="nlu_fallback",
                         entities=[{"entity": "product", "value": "office chair"}])
    assert passage_for_the_product_asked(named, chair) == chair
    nothing = make_tracker({}, text="how do i clean it", intent="nlu_fallback")
    assert passage_for_the_product_asked(nothing, chair) == chair
    general = _passage("refunds", "")
    assert passage_for_the_product_asked(
        make_tracker({"product": "lumen desk lamp"}, text="where is my refund"), general) == general
