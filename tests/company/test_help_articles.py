"""Help-article links in a reply made absolute for channels that show plain text."""

import pytest

from company.help_articles import absolute_article_links, article_link

BASE = "https://help.harbor-goods.example"


@pytest.mark.parametrize("text, expected", [
    (f"The whole article: {article_link('gift-cards')}",
     f"The whole article: {BASE}/help/gift-cards"),
    ("See /help/delivery-areas.", f"See {BASE}/help/delivery-areas."),
    ("two: /help/a-b and\n/help/c", f"two: {BASE}/help/a-b and\n{BASE}/help/c"),
])
def test_article_paths_get_the_public_address(text: str, expected: str) -> None:
    assert absolute_article_links(text, BASE + "/") == expected


@pytest.mark.parametrize("text", [
    "already absolute: https://example.com/help/gift-cards",  # someone else's address
    "a path inside another: /shop/help/gift-cards",
    "no slug: /help/ or /help/Gift_Cards",
    "/helpdesk is not an article",
])
def test_anything_else_stays_as_it_is(text: str) -> None:
    assert absolute_article_links(text, BASE) == text
