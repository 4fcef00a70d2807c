"""The report page in a real browser: an admin logs in, picks the range of the
hand-computed history, sees its figures and charts, and downloads the CSV."""

from __future__ import annotations

from typing import List

from playwright.sync_api import Browser, expect

from reports.period import Period
from tests.product import ADMIN_PASSWORD, RunningProcess
from tests.reports.history import CSAT_AVERAGE, NPS_SCORE


def test_an_admin_reads_the_report_and_downloads_the_csv(
        browser: Browser, product: RunningProcess, product_history: Period) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: List[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    try:
        page.goto(product.gateway_url + "/reports")
        page.fill("#username", "admin")
        page.fill("#password", ADMIN_PASSWORD)
        page.click("#login-form button[type=submit]")
        expect(page.locator("#app")).to_be_visible()
        expect(page.locator("#figure-csat")).to_be_visible()  # the last 30 days, loaded first

        page.fill("#from", product_history.first.isoformat())
        page.fill("#to", product_history.last.isoformat())
        page.click("#show")
        expect(page.locator("#figure-csat .value")).to_have_text(f"{CSAT_AVERAGE:.2f} / 5")
        expect(page.locator("#figure-nps .value")).to_have_text(f"{NPS_SCORE:g}")
        expect(page.locator("#figure-containment .value")).to_have_text("33.3%")
        expect(page.locator("#figure-resolution .detail.target")).to_have_text("Target: 95%")

        charts = page.locator("#charts img")
        expect(charts).to_have_count(6)
        page.wait_for_function(
            "() => [...document.querySelectorAll('#charts img')]"
            ".every((img) => img.complete && img.naturalWidth > 0)")
        for index in range(6):
            expect(charts.nth(index)).to_be_visible()

        with page.expect_download() as info:
            page.click("#download")
        download = info.value
        assert download.suggested_filename == (
            f"caredesk-report-{product_history.first}-{product_history.last}.csv")
        lines = open(download.path(), encoding="utf-8").read().splitlines()
        assert lines[0] == "figure,value,unit,target,numerator,denominator"
        assert "containment,33.3,%,,2,6" in lines
        assert problems == []
    finally:
        context.close()
