"""The help centre's HTML: the index of articles and one article, rendered from Markdown.

The articles are our own (company/help_articles/), but the Markdown is rendered with raw
HTML switched off all the same: a `<script>` written into an article is shown as text. A
link's or an image's address is kept only when it is http, https, mailto or relative: a
`javascript:` or `data:` address, however written (`JaVaScRiPt:`, `&#106;avascript:`, a
reference-style link, an image), is dropped, leaving the link's text. Titles and slugs are
escaped wherever they go into the page.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Sequence
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, ETX, STX

from company.help_articles import Article

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
ADDRESS_ATTRIBUTES = ("href", "src")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.I)
_ESCAPED_CHARACTER = re.compile(rf"{STX}(\d+){ETX}")
# what a browser skips in an address's scheme ("java\tscript:"), and backslashes, which it
# may read as slashes: left out before the scheme is read, so that none hides one
_SKIPPED_IN_ADDRESS = re.compile(r"[\s\x00-\x1f\x7f\\]")


def address_as_read(address: str) -> str:
    """The address as a browser would read its scheme: Markdown's placeholders restored and
    character references decoded (again, until nothing changes: stricter than a browser),
    with blanks, control characters and backslashes left out."""
    text = _ESCAPED_CHARACTER.sub(lambda m: chr(int(m.group(1))), address.replace(AMP_SUBSTITUTE, "&"))
    for _ in range(10):
        decoded = unescape(text)
        if decoded == text:
            break
        text = decoded
    return _SKIPPED_IN_ADDRESS.sub("", text)


def safe_address(address: str) -> bool:
    """Whether a link or image may keep its address: http, https, mailto, or no scheme at
    all (relative, such as /help/packaging or #top)."""
    scheme = _SCHEME.match(address_as_read(address))
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


class _DropUnsafeAddresses(Treeprocessor):
    """Removes every href and src whose address is not safe_address (the link keeps its
    text, the image its alt text); runs after Markdown has made every link and image."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ADDRESS_ATTRIBUTES:
                address = element.get(attribute)
                if address is not None and not safe_address(address):
                    del element.attrib[attribute]


def render_markdown(text: str) -> str:
    """Markdown to HTML with raw HTML (blocks and inline tags) escaped, not passed through,
    and links and images only to safe addresses."""
    converter = markdown.Markdown(output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    # after "unescape" (priority 0), the last of Markdown's own tree steps
    converter.treeprocessors.register(_DropUnsafeAddresses(converter), "drop_unsafe_addresses", -1)
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
