"""Issue 20 in a real browser: confidence and modality controls, badges, the timeline's zoom, the map's
precision and countries, downloads of exactly the rows a page shows, and actors found by name.

Reuses test_browser's chromium, page and visit (a real server over the sample store, no script, nothing
loaded from another host).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import test_browser
from test_browser import visit

# the browser fixtures of test_browser (one chromium per session, a page that fails on any outside request)
browser, chromium_path, page = test_browser.browser, test_browser.chromium_path, test_browser.page


def rows_of(page):
    return page.locator("table.events tbody tr[data-event]")


def shown_ids(page) -> list[str]:
    return rows_of(page).evaluate_all("rows => rows.map(r => r.dataset.event)")


def confidences(page) -> list[float]:
    return [float(text) for text in rows_of(page).locator("td.num").all_inner_texts()]


def submit(page, pattern: str) -> None:
    page.click("form.filters button")
    page.wait_for_url(re.compile(pattern))


def download_csv(page, view: str) -> list[dict[str, str]]:
    """The rows of the page's download link for a view, fetched as the browser would."""
    href = page.locator(f"p.downloads[data-view={view}] a.download.csv").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200, f"{href}: {response.status} {response.text()[:300]}"
    return list(csv.DictReader(io.StringIO(response.text())))


def test_every_view_shows_the_confidence_control_at_its_default(page):
    for path in ("/", "/events", "/reactions?target=AZE", "/map", "/actors/AZE", "/crisis?actor=AZE"):
        visit(page, path, "confidence-" + path.strip("/").split("?")[0].replace("/", "-"))
        control = page.locator("form.filters input[name=min_confidence]")
        assert control.input_value() == "0.5", path
        assert page.locator("form.filters select[name=modality] option").all_inner_texts()[:6] == [
            "any", "actual", "claimed", "intended", "threatened", "requested"]
        assert page.locator("form.filters select[name=polarity] option").all_inner_texts() == ["any", "affirmed", "negated"]


def test_raising_the_confidence_threshold_hides_the_events_below_it(page):
    visit(page, "/events?target=AZE&min_confidence=0", "confidence-0")
    everything = dict(zip(shown_ids(page), confidences(page), strict=True))
    weak = {event for event, confidence in everything.items() if confidence < 0.5}
    assert weak and len(weak) < len(everything)
    page.fill("input[name=min_confidence]", "0.5")
    submit(page, r"min_confidence=0\.5")
    kept = set(shown_ids(page))
    assert kept == set(everything) - weak
    assert min(confidences(page)) >= 0.5


def test_modality_and_polarity_filters_and_their_badges(page):
    visit(page, "/events?min_confidence=0", "modality-any")
    page.select_option("select[name=modality]", "claimed")
    submit(page, r"modality=claimed")
    rows = rows_of(page)
    assert rows.count() > 0
    for i in range(rows.count()):
        assert rows.nth(i).locator("small.status.claimed").inner_text() == "claimed"
    page.select_option("select[name=modality]", "")
    page.select_option("select[name=polarity]", "negated")
    submit(page, r"polarity=negated")
    assert rows.count() > 0
    assert rows.locator("small.status.negated").count() == rows.count()
    rows.first.locator("a.type").click()
    page.wait_for_url(re.compile(r"/events/[^?]+$"))
    assert "negated" in page.locator("h1 small.status").inner_text()  # a word, not colour alone
    visit(page, "/events?modality=threatened&min_confidence=0", "modality-threatened")
    assert rows.count() > 0 and rows.locator("small.status.threatened").count() == rows.count()


def test_the_reactions_evidence_marks_what_is_not_a_fact(page):
    visit(page, "/reactions?target=AZE&min_confidence=0", "reactions-badges")
    evidence = page.locator("table.events")
    assert evidence.locator("small.status.negated").count() >= 1  # "Yerevan denies deploying any units"
    assert evidence.locator("small.status.threatened").count() >= 1  # "vowed to continue its bombardment"
    assert page.locator("table.matrix a.status").count() >= 1  # a cell names its requested or threatened events


def test_the_timeline_has_axes_and_each_bar_leads_to_its_period(page):
    visit(page, "/?from=2023-09-01&to=2023-09-30", "timeline-days")
    assert "by day" in page.locator("section h2").first.inner_text()
    assert page.locator("svg.timeline text.ytick").count() >= 3
    assert "2023-09-01" in page.locator("svg.timeline text.xtick").all_text_contents()
    assert "from=2023-08-02&to=2023-08-31" in page.locator("p.zoom a.previous").get_attribute("href")
    assert "from=2023-10-01&to=2023-10-30" in page.locator("p.zoom a.next").get_attribute("href")
    bars = page.locator("svg.timeline a.bar rect")
    titles = bars.locator("title").all_text_contents()
    tallest = max(range(len(titles)), key=lambda i: int(re.search(r": (\d+) ", titles[i]).group(1)))
    day, n = re.match(r"day of (\S+): (\d+) ", titles[tallest]).groups()
    page.locator("svg.timeline a.bar").nth(tallest).click()
    page.wait_for_url(re.compile(r"/events\?"))
    assert rows_of(page).count() == int(n)
    assert set(rows_of(page).locator("td.date").all_inner_texts()) == {day}
    visit(page, "/?from=2023-01-01&to=2024-12-31", "timeline-months")
    assert "by month" in page.locator("section h2").first.inner_text()
    zoom = page.locator("svg.timeline a.zoom").first
    zoom.click()
    page.wait_for_url(re.compile(r"from=2023-01-01&to=2023-01-31"))
    assert "by day" in page.locator("section h2").first.inner_text()


def test_the_map_draws_precision_and_a_country_lists_its_events(page):
    visit(page, "/map", "map-precision")
    assert page.locator("svg circle.place.city").count() >= 1  # Yerevan
    assert page.locator("svg circle.place.region").count() >= 1  # Nagorno-Karabakh
    assert page.locator("svg rect.place.country-point").count() >= 1  # "in Azerbaijan"
    assert page.locator("svg path.country.country-level").count() >= 1
    legend = page.locator("p.legend").first.inner_text()
    assert "city" in legend and "region" in legend and "country only" in legend
    precision = dict(zip(page.locator("table.places td:nth-child(1)").all_inner_texts(),
                         page.locator("table.places td:nth-child(2)").all_inner_texts(), strict=True))
    assert precision["Yerevan"] == "city" and precision["Nagorno-Karabakh"] == "region" and precision["Azerbaijan"] == "country"
    usa = int(page.locator("table.countries tr", has=page.locator("a[href*='place=USA']")).locator("a.count").inner_text())
    page.locator("svg a.country[data-country=USA]").click()  # the shape itself
    page.wait_for_url(re.compile(r"place=USA"))
    assert rows_of(page).count() == usa
    visit(page, "/map", "map-again")
    azerbaijan = page.locator("table.countries a.count[href*='place=AZE']")
    expected = int(azerbaijan.inner_text())
    azerbaijan.click()
    page.wait_for_url(re.compile(r"place=AZE"))
    assert rows_of(page).count() == expected > 5


def test_downloads_hold_exactly_the_rows_each_page_shows(page):
    visit(page, "/events?target=AZE&unit=event", "download-events")
    assert [row["event_id"] for row in download_csv(page, "events")] == shown_ids(page)
    with page.expect_download() as caught:
        page.locator("p.downloads[data-view=events] a.download.json").click()
    assert caught.value.suggested_filename.startswith("tacitus-events") and "AZE" in caught.value.suggested_filename

    visit(page, "/map?from=2023-09-01&to=2023-09-30", "download-places")
    places = download_csv(page, "places")
    assert [(p["name"], p["precision"], p["events"]) for p in places] == list(zip(
        page.locator("table.places td:nth-child(1)").all_inner_texts(),
        page.locator("table.places td:nth-child(2)").all_inner_texts(),
        page.locator("table.places td:nth-child(4)").all_inner_texts(), strict=True))

    visit(page, "/reactions?target=AZE&from=2023-09-01&to=2023-09-30", "download-reactions")
    cells = Counter()
    for row in download_csv(page, "reactions"):
        cells[(row["source"] or "?", row["event_type"])] += int(row["events"])  # the page writes ? for no source
    shown = {(cell.evaluate("c => c.closest('tr').dataset.source"), cell.evaluate("c => c.closest('td').dataset.type")):
             int(cell.inner_text()) for cell in page.locator("table.matrix a.count:not(.total)").all()}
    assert dict(cells) == shown

    visit(page, "/?from=2023-09-01&to=2023-09-30", "download-series")
    bars = Counter()
    for row in download_csv(page, "timeseries"):
        bars[(row["period"], int(row["quad_class"]))] += int(row["events"])
    titles = page.locator("svg.timeline a.bar title").all_text_contents()
    assert sum(bars.values()) == sum(int(re.search(r": (\d+) ", t).group(1)) for t in titles) > 0

    visit(page, "/actors/AZE", "download-network")
    gexf = page.locator("p.downloads[data-view=network] a.download.gexf").get_attribute("href")
    response = page.request.get(gexf)
    assert response.status == 200 and "<gexf" in response.text() and 'id="AZE"' in response.text()


def test_every_download_link_answers(page):
    for path in ("/", "/events?target=AZE", "/reactions?target=AZE", "/map", "/actors/AZE", "/crisis?actor=AZE"):
        visit(page, path, "links-" + path.strip("/").split("?")[0].replace("/", "-"))
        hrefs = page.locator("a.download").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs, path
        for href in hrefs:
            assert href.startswith("/download/") and "min_confidence=0.5" in href
            response = page.request.get(href)
            assert response.status == 200, f"{path}: {href} answered {response.status} {response.text()[:200]}"


def test_the_events_form_finds_an_actor_by_name(page):
    visit(page, "/events", "name-search")
    page.fill("input[name=target]", "Azerbaijan")
    submit(page, r"target=Azerbaijan")
    targets = rows_of(page).locator("td:nth-child(4)").all_inner_texts()
    assert targets and all(t.startswith("AZE") for t in targets)
    visit(page, "/events", "alias-search")
    page.fill("input[name=source]", "Blinken")
    submit(page, r"source=Blinken")
    sources = rows_of(page).locator("td:nth-child(2)").all_inner_texts()
    assert sources and all(s.startswith("USA") for s in sources)
