"""The crisis page of the seed article's target in a real browser: who condemned and who supported
Azerbaijan, each count (of events, not mentions) leading to exactly its events, and a printable page."""

from __future__ import annotations

import re

import test_browser
from test_browser import visit

# the browser fixtures of test_browser (one chromium per session, a page that fails on any outside request)
browser, chromium_path, page = test_browser.browser, test_browser.chromium_path, test_browser.page

CRISIS = "/crisis?actor=AZE&from=2023-09-01&to=2023-09-30"
# As the coder codes the seed article: condemning is ACCUSE (CAMEO 111 "criticize or denounce").
CONDEMNED = ("USA", "IGOEUREEC", "RUS", "FRA", "DEU")


def cell(page, source: str, event_type: str):
    return page.locator(f"table.matrix tr[data-source={source}] td[data-type={event_type}] a.count")


def follow_count(page, link) -> None:
    """A count's link lists exactly that many events."""
    expected = int(re.match(r"\d+", link.inner_text()).group())
    href = link.get_attribute("href")
    page.goto(href)
    rows = page.locator("table.events tbody tr[data-event]")
    assert rows.count() == expected, href
    page.go_back()


def test_the_crisis_page_shows_who_condemned_and_who_supported(page):
    visit(page, CRISIS, "crisis")
    assert "Azerbaijan" in page.locator("h1").inner_text()
    for source in CONDEMNED:
        assert int(cell(page, source, "ACCUSE").inner_text()) >= 1, source
    assert int(cell(page, "TUR", "SUPPORT").inner_text()) >= 1
    assert "accused, condemned" in page.locator("table.matrix thead").inner_text()
    for source in CONDEMNED:
        follow_count(page, cell(page, source, "ACCUSE"))
    follow_count(page, cell(page, "TUR", "SUPPORT"))
    supported = cell(page, "TUR", "SUPPORT")
    supported.click()
    page.wait_for_url(re.compile(r"/events\?"))
    assert set(page.locator("table.events a.type").all_inner_texts()) == {"SUPPORT"}


def test_the_crisis_counts_are_events_and_link_to_them(page):
    visit(page, CRISIS, "crisis-counts")
    usa = cell(page, "USA", "ACCUSE")
    assert re.match(r"\d+ events? in \d+ mentions?", usa.get_attribute("title"))
    for link in page.locator("p.window a.count").all():
        follow_count(page, link)
    quote = page.locator("ol.quotes li").first
    assert quote.locator("blockquote.sentence mark.trigger").count() == 1
    quote.locator("a.type").click()
    page.wait_for_url(re.compile(r"/events/[^?]+$"))
    assert page.locator("blockquote.sentence").count() == 1


def test_the_crisis_page_has_its_escalation_and_map_and_prints_without_controls(page):
    visit(page, CRISIS, "crisis-parts")
    assert "by day" in page.locator("section.escalation h2").inner_text()
    classes = set(page.locator("section.escalation svg.timeline a.bar rect").evaluate_all("rs => rs.map(r => r.getAttribute('class'))"))
    assert classes and classes <= {"q2", "q4"}  # material cooperation and material conflict only
    assert page.locator("section.where svg a.country[data-country=AZE]").count() == 1
    assert page.locator("ol.quotes li").count() >= 3
    assert page.locator("form.filters").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    assert not page.locator("p.downloads").first.is_visible()
    assert page.locator("table.matrix").is_visible()
    page.pdf(path=str(page.shots / "crisis.pdf"))
    assert (page.shots / "crisis.pdf").stat().st_size > 10_000
