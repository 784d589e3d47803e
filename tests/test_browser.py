"""The dashboard in a real headless browser: Debian's chromium driven by Playwright.

No browser is downloaded: Playwright starts the system chromium through
`executable_path`. When chromium is missing and this runs as root on Debian,
the session installs it with apt-get (the README's test command thus installs
it); otherwise these tests skip and say why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

CANDIDATES = ("chromium", "chromium-browser", "chromium-headless-shell", "google-chrome")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    for path in ("/usr/bin/chromium", "/usr/lib/chromium/chromium"):
        if os.path.exists(path):
            return path
    return None


def install_chromium() -> str:
    """apt-get install chromium; returns why it could not be done, or ''."""
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    if os.geteuid() != 0:
        return "not root, so apt-get cannot install chromium (run `sudo apt-get install chromium`)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for commands in ([["apt-get", "install", "-y", "-q", "chromium"]],
                     [["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]]):
        try:
            if all(subprocess.run(c, env=env, capture_output=True, timeout=900).returncode == 0 for c in commands):
                return ""
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"apt-get failed: {exc}"
    return "apt-get could not install chromium (no Debian package registry?)"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        reason = install_chromium()
        path = find_chromium()
        if path is None:
            pytest.skip(f"no chromium for the browser tests: {reason or 'installed, but not found'}")
    return path


_running: dict[str, object] = {}  # the session's one browser, whichever module's copy of the fixture starts it


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One chromium per session: test_dashboard_* import these fixtures, and Playwright's sync API cannot run twice."""
    if "browser" in _running:
        yield _running["browser"]
        return
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                                  args=["--no-sandbox", "--disable-gpu"])
        except Exception as exc:  # a chromium that cannot start here
            pytest.skip(f"chromium at {chromium_path} did not start: {exc}")
        _running["browser"] = instance
        yield instance
        _running.clear()
        instance.close()


@pytest.fixture
def page(browser, live_server, tmp_path):
    """A fresh page that records every request and console error; fails the test on any non-loopback request."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.requests, tab.errors = [], []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.shots = tmp_path
    yield tab
    outside = [url for url in tab.requests if urlsplit(url).hostname not in ("127.0.0.1", None)
               and not url.startswith(("data:", "about:"))]
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert tab.errors == [], f"console errors (CSP violations show here): {tab.errors}"


def visit(page, path: str, shot: str):
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.screenshot(path=str(page.shots / f"{shot}.png"), full_page=True)
    return response


def test_every_page_loads_offline_with_its_own_assets(page):
    for path, shot, heading in [("/", "overview", "Overview"), ("/reactions?target=AZE", "reactions", "Reactions to AZE"),
                                ("/map", "map", "Where events happened"), ("/events", "events", "Events"),
                                ("/actors/AZE", "actor", "Azerbaijan"), ("/crisis?actor=AZE", "crisis", "Crisis: Azerbaijan")]:
        visit(page, path, shot)
        assert heading in page.locator("h1").inner_text()
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # the stylesheet applied
    assert (page.shots / "overview.png").stat().st_size > 10_000


def test_overview_timeline_and_dyads_link_to_their_events(page):
    visit(page, "/?from=2023-01-01&to=2024-12-31", "overview-window")
    bars = page.locator("svg.timeline rect")
    assert bars.count() > 0
    dyad = page.locator("table.dyads a.count").first
    expected = int(dyad.inner_text())
    dyad.click()
    page.wait_for_load_state()
    assert page.locator("table.events tbody tr[data-event]").count() == expected


def test_map_draws_the_outline_and_located_events(page):
    visit(page, "/map?from=2023-01-01&to=2024-12-31", "map-window")
    page.wait_for_function("document.querySelector('.map img').complete")
    assert page.evaluate("document.querySelector('.map img').naturalWidth") > 0
    assert page.locator("circle.place").count() > 0


def test_filter_the_events_table(page):
    visit(page, "/events", "events-all")
    page.fill("input[name=target]", "AZE")
    page.select_option("select[name=type]", "ACCUSE")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"target=AZE"))
    rows = page.locator("table.events tbody tr[data-event]")
    assert rows.count() > 0
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        assert cells.nth(2).locator("a.type").inner_text() == "ACCUSE"
        assert cells.nth(3).inner_text().startswith("AZE")
    page.screenshot(path=str(page.shots / "events-filtered.png"), full_page=True)


def test_a_number_leads_to_its_events_and_an_event_to_its_highlighted_sentence(page):
    visit(page, "/reactions?target=AZE&from=2023-01-01&to=2024-12-31", "reactions-window")
    cell = page.locator("table.matrix a.count").first
    expected = int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r"/events\?"))
    rows = page.locator("table.events tbody tr[data-event]")
    assert rows.count() == expected
    event_type = rows.first.locator("a.type").inner_text()
    rows.first.locator("a.type").click()
    page.wait_for_url(re.compile(r"/events/[^?]+$"))
    assert event_type in page.locator("h1").inner_text()
    trigger = page.locator("blockquote.sentence mark.trigger").inner_text()
    page.screenshot(path=str(page.shots / "event.png"), full_page=True)
    page.locator("a.src").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    focused = page.locator("article.text mark.trigger.focus")
    assert focused.count() == 1 and focused.inner_text() == trigger
    assert page.locator("article.text mark.focus").count() >= 2  # source or target marked too
    page.screenshot(path=str(page.shots / "article.png"), full_page=True)


def test_markup_in_articles_shows_as_text_everywhere(page):
    for path, shot in [("/articles/hostile-%3Cscript%3E", "hostile-article"),
                       ("/events?text=script", "hostile-events"), ("/", "hostile-overview"),
                       ("/reactions?target=AZE&from=2023-09-01&to=2023-09-30", "hostile-reactions"),
                       ("/crisis?actor=AZE&from=2023-09-01&to=2023-09-30", "hostile-crisis")]:
        visit(page, path, shot)
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("main img:not([src='/assets/world.svg'])").count() == 0  # the map's outline only
    visit(page, "/events?text=script", "hostile-events-again")
    assert "<script>window.__pwned = 3</script>" in page.locator("table.events").inner_text()
    visit(page, "/articles/hostile-%3Cscript%3E", "hostile-article-again")
    assert "<script>window.__pwned = 1</script> Berlin <b>reacts</b>" in page.locator("h1").inner_text()
    assert '<img src=x onerror="window.__pwned=4">' in page.locator("article.text").inner_text()
    event_link = page.locator("ol.article-events a.type").first
    event_link.click()
    page.wait_for_url(re.compile(r"/events/"))
    assert "<script>" in page.locator("blockquote.sentence").inner_text()
    assert page.evaluate("window.__pwned === undefined")
