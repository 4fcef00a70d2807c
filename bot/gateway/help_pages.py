"""The help centre's HTML: the index of articles and one article, rendered from Markdown.

The articles are our own (company/help_articles/), but the Markdown is rendered with raw
HTML switched off all the same: a `<script>` written into an article is shown as text.
Titles and slugs are escaped wherever they go into the page.
"""

from __future__ import annotations

from html import escape
from typing import Sequence

import markdown

from company.help_articles import Article


def render_markdown(text: str) -> str:
    """Markdown to HTML with raw HTML (blocks and inline tags) escaped, not passed through."""
    converter = markdown.Markdown(output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter.convert(text)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)} · Harbor Goods help centre</title>\n"
        "<link rel=\"stylesheet\" href=\"/static/help.css\">\n</head>\n<body>\n"
        "<header class=\"help__header\"><a href=\"/help\">Harbor Goods help centre</a>"
        " · <a href=\"/\">Chat with us</a></header>\n"
        f"<main class=\"help\">\n{body}\n</main>\n</body>\n</html>\n"
    )


def article_page(article: Article) -> str:
    return _page(article.title, f"<article>\n{render_markdown(article.markdown)}\n</article>")


def index_page(articles: Sequence[Article]) -> str:
    items = "\n".join(
        f"<li><a href=\"{escape(article.link)}\">{escape(article.title)}</a></li>"
        for article in articles)
    return _page("Help articles", f"<h1>Help articles</h1>\n<ul class=\"help__list\">\n{items}\n</ul>")


def missing_page() -> str:
    return _page("Article not found",
                 "<h1>Article not found</h1>\n<p>There is no such help article. "
                 "<a href=\"/help\">See all articles</a>.</p>")
