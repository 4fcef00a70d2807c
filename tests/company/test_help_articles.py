"""Help-article links in a reply made absolute for channels that show plain text."""

import pytest

from company.help_articles import absolute_article_links, article_link, load_articles, passage_headed

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


def test_articles_are_read_again_when_their_files_change(tmp_path) -> None:
    """The articles are kept parsed between questions, but never older than their files."""
    (tmp_path / "gift-cards.md").write_text("# Gift cards\n\n## Balance\n\nValid for a year.\n")
    assert [a.slug for a in load_articles(tmp_path)] == ["gift-cards"]
    assert passage_headed(["balance"], tmp_path)[1].text == "Valid for a year."
    (tmp_path / "gift-cards.md").write_text("# Gift cards\n\n## Balance\n\nValid for two years now.\n")
    (tmp_path / "packaging.md").write_text("# Packaging\n\nAll recyclable.\n")
    (tmp_path / "Not A Slug.md").write_text("no title")
    assert [a.slug for a in load_articles(tmp_path)] == ["gift-cards", "packaging"]
    assert passage_headed(["balance"], tmp_path)[1].text == "Valid for two years now."
    (tmp_path / "packaging.md").unlink()
    assert [a.slug for a in load_articles(tmp_path)] == ["gift-cards"]
