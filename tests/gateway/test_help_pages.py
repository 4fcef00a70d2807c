"""The help centre's pages on a lone gateway: the index, an article rendered from its
Markdown (in a real browser), 404 for unknown or malformed slugs, raw HTML in Markdown
shown as text, links and images only to safe addresses, and the per-address rate limit."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from bot.gateway.app import HELP_PAGES_PER_MINUTE
from bot.gateway.help_pages import render_markdown
from company.help_articles import load_articles
from tests.product import RunningProcess, product_environment, start_gateway


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("help")
    process = start_gateway(folder, product_environment(folder, RASA_PORT="9", ACTION_PORT="9"))
    yield process
    process.stop()


def test_raw_html_in_markdown_is_shown_as_text() -> None:
    rendered = render_markdown("# Title\n\n<script>alert(1)</script>\n\nA <b>bold</b> "
                               "<img src=x onerror=alert(2)> claim and **real** emphasis.")
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "<b>" not in rendered and "<img" not in rendered
    assert "<strong>real</strong>" in rendered and "<h1>Title</h1>" in rendered


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#0000106;avascript:alert(1))",
    "[x](&#106avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x]( java\tscript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](javascript\\:alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x][ref]\n\n[ref]: JAVASCRIPT:alert(1)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "[x](vbscript:msgbox(1))",
])
def test_links_and_images_to_unsafe_addresses_lose_them(markdown: str) -> None:
    rendered = render_markdown(markdown)
    assert "href=" not in rendered and "src=" not in rendered, rendered
    assert "<a>x</a>" in rendered or '<img alt="x">' in rendered, rendered  # the words stay


@pytest.mark.parametrize("markdown, kept", [
    ("[returns](/help/returns)", 'href="/help/returns"'),
    ("[top](#top)", 'href="#top"'),
    ("[page](returns?tab=2)", 'href="returns?tab=2"'),
    ("[site](https://harbor-goods.example/a?b=1&c=2)", 'href="https://harbor-goods.example/a?b=1&amp;c=2"'),
    ("[site](HTTP://harbor-goods.example)", 'href="HTTP://harbor-goods.example"'),
    ("[site][ref]\n\n[ref]: https://harbor-goods.example", 'href="https://harbor-goods.example"'),
    ("<https://harbor-goods.example>", 'href="https://harbor-goods.example"'),
    ("[mail us](mailto:support@harbor-goods.example)", 'href="mailto:support@harbor-goods.example"'),
    ("<support@harbor-goods.example>", 'href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;'),
    ("![logo](/static/logo.png)", 'src="/static/logo.png"'),
])
def test_ordinary_links_and_images_keep_their_addresses(markdown: str, kept: str) -> None:
    assert kept in render_markdown(markdown)


def test_the_index_and_an_article_and_404s(gateway: RunningProcess) -> None:
    url = gateway.gateway_url
    index = httpx.get(f"{url}/help")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    for article in load_articles():
        assert f'href="/help/{article.slug}"' in index.text
    page = httpx.get(f"{url}/help/gift-orders")
    assert page.status_code == 200
    assert "<h1>Sending a gift</h1>" in page.text and "<h2>Gift messages and gift wrap</h2>" in page.text
    assert "Content-Security-Policy" in page.headers
    for missing in ("no-such-article", "Gift-Orders", "..%2F..%2Fconfig", "gift_orders", "a" * 81):
        response = httpx.get(f"{url}/help/{missing}")
        assert response.status_code == 404, missing
        assert "Article not found" in response.text


def test_an_article_in_a_browser(browser: Browser, gateway: RunningProcess) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(gateway.gateway_url + "/help")
        page.get_by_role("link", name="Looking after the Drift Robot Vacuum").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Looking after the Drift Robot Vacuum")
        expect(page.get_by_role("heading", name="Brushes and hair")).to_be_visible()
        expect(page.locator("article")).to_contain_text("36-month warranty")
        page.get_by_role("link", name="Harbor Goods help centre").click()
        expect(page).to_have_url(gateway.gateway_url + "/help")
    finally:
        context.close()
    assert errors == []


def test_the_pages_are_rate_limited_per_address(gateway: RunningProcess) -> None:
    with httpx.Client(base_url=gateway.gateway_url) as client:
        statuses = [client.get("/help/packaging").status_code
                    for _ in range(HELP_PAGES_PER_MINUTE + 5)]
    # the earlier tests of this module used a few requests of the same address's allowance
    assert 429 in statuses and 429 not in statuses[:HELP_PAGES_PER_MINUTE - 15]
