"""`tacitus watch` against a real HTTP server on loopback and a real folder.

The server (http.server in a thread) serves feeds and a page that change between polls, a feed
whose guids and links change on every request, errors (500, a redirect loop, HTML where a feed
should be), a slow and a huge answer, and a robots.txt; the tests change what it serves from the
watcher's log hook, which runs between polls.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tacitus.store import articles, events, open_store
from tacitus.watch import Fetcher, Source, Watcher, load_sources, parse_interval, status
from tacitus.watch.sources import sources_from_arguments

ACTORS = ["Germany", "France", "Russia", "Turkey", "Armenia", "Azerbaijan", "Iran", "China", "Japan", "Brazil"]
VERBS = ["condemned", "criticised", "praised", "threatened", "accused"]


def story(n: int, topic: str = "border") -> str:
    a, b = ACTORS[n % 10], ACTORS[(n * 3 + 1) % 10 if (n * 3 + 1) % 10 != n % 10 else (n + 1) % 10]
    return (f"{a} {VERBS[n % 5]} {b} on Tuesday over the {topic} dispute, officials said in report number {n}. "
            f"The foreign ministry of {a} said that talks with {b} would continue in the capital next week.")


def rss(items: list[tuple[str, str, str, str]], title: str = "Loopback news") -> bytes:
    """An RSS 2.0 feed of (guid, link, title, text) items, published on 2024-03-05."""
    published = format_datetime(email.utils.parsedate_to_datetime("Tue, 05 Mar 2024 10:00:00 GMT"))
    body = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{guid}</guid><pubDate>{published}</pubDate>"
                   f"<description>{text}</description></item>" for guid, link, t, text in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.org/</link><description>test</description>{body}</channel></rss>").encode()


def page(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>Loopback report</title></head><body><article><h1>Loopback report</h1>"
            f"{body}</article></body></html>").encode()


class Site:
    """What the loopback server answers, path by path; tests change it between polls."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        site: Site = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        with site.lock:
            site.hits[path] += 1
            site.agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(path)
        if callable(route):
            route = route(self)
        if route is None:
            return self._send(404, b"not here", "text/plain")
        if route == "slow":
            time.sleep(1.5)
            return self._send(200, rss([("s", "http://example.org/s", "slow", story(99))]), "application/rss+xml")
        if route == "huge":
            return self._send(200, b"<rss>" + b" " * 3_000_000 + b"</rss>", "application/rss+xml")
        if route == "loop":
            return self._send(302, b"", "text/plain", {"Location": path})
        status_code, body, kind = route
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status_code == 200 and self.headers.get("If-None-Match") == etag:
            with site.lock:
                site.not_modified[path] += 1
            return self._send(304, b"", kind, {"ETag": etag})
        self._send(status_code, body, kind, {"ETag": etag} if status_code == 200 else {})

    def _send(self, code: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if code != 304:
                self.wfile.write(body)
        except OSError:  # the client gave up (a timeout test)
            pass


@pytest.fixture
def site():
    """A loopback HTTP server; yields (Site, base URL)."""
    found = Site()
    found.routes["/robots.txt"] = (200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = found  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield found, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fast_fetcher() -> Fetcher:
    return Fetcher(timeout=0.4, max_bytes=200_000, host_delay=0.0, retries=1, backoff=0.05)


def stored(engine) -> list[tuple[str, str | None, str]]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(articles.c.text_hash, articles.c.url, articles.c.article_id)).all())


def test_new_items_arrive_within_one_poll_and_nothing_is_stored_twice_over_20_polls(db, pipeline, site, tmp_path):
    web, base = site
    items = [(f"n{i}", f"{base}/news/{i}", f"Report {i}", story(i)) for i in range(3)]
    web.routes["/feed.xml"] = lambda _: (200, rss(items), "application/rss+xml")
    churn = Counter()

    def changing_guids(_):  # every request: new guids and new links for the same three stories
        churn["n"] += 1
        return 200, rss([(f"g{i}-{churn['n']}", f"{base}/wire/{i}?v={churn['n']}", f"Wire {i}", story(50 + i))
                         for i in range(3)]), "application/rss+xml"

    web.routes["/guids.xml"] = changing_guids
    paragraphs = [story(70, "water"), story(71, "water"), story(72, "water")]
    web.routes["/page.html"] = lambda _: (200, page(paragraphs), "text/html; charset=utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "first.txt").write_text(story(80, "trade"), encoding="utf-8")
    sources = [Source("feed", f"{base}/feed.xml", interval=0.05), Source("guids", f"{base}/guids.xml", interval=0.05),
               Source("page", f"{base}/page.html", interval=0.05),
               Source("inbox", str(inbox), kind="folder", interval=0.3)]
    engine = open_store(db)
    lines: list[dict] = []
    expected: dict[str, list[int]] = {"feed": [3], "inbox": [1], "page": [1], "guids": [3]}
    polls: Counter[str] = Counter()

    def hook(line: dict) -> None:  # runs between polls: check this poll, then publish for the next one
        lines.append(line)
        name = line["source"]
        polls[name] += 1
        assert line["status"] in ("ok", "not-modified"), line
        assert line["new"] + line["replaced"] == (expected[name].pop(0) if expected[name] else 0), (name, polls[name], line)
        if name == "feed" and polls[name] % 4 == 0 and polls[name] < 20:
            n = len(items)
            items.append((f"n{n}", f"{base}/news/{n}", f"Report {n}", story(n)))
            expected["feed"].append(1)
        if name == "inbox" and polls[name] % 5 == 0 and polls[name] < 20:
            (inbox / f"later-{polls[name]}.txt").write_text(story(100 + polls[name], "trade"), encoding="utf-8")
            expected["inbox"].append(1)
            time.sleep(0.35)  # watchfiles reports the file before the next poll
        if name == "page" and polls[name] == 10:
            paragraphs.append(story(73, "water"))
            expected["page"].append(1)  # an edited page replaces its article

    watcher = Watcher(engine, pipeline, sources, fetcher=fast_fetcher(), log=hook, batch_size=4, settle=0.0)
    watcher.run(polls=20)
    watcher.close()
    assert all(not rest for rest in expected.values()), expected
    assert polls == {"feed": 20, "guids": 20, "page": 20, "inbox": 20}
    rows = stored(engine)
    assert len(rows) == len(items) + 3 + 1 + 4  # feed items, three wire stories, the page, the inbox files
    assert len({url for _, url, _ in rows if url}) == len([u for _, u, _ in rows if u])
    assert web.not_modified["/feed.xml"] > 0 and web.not_modified["/page.html"] > 0  # ETags were sent back
    assert all(agent.startswith("tacitus/") for agent in web.agents)
    report = status(engine)
    by_name = {row["name"]: row for row in report["sources"]}
    assert {name: row["polls"] for name, row in by_name.items()} == dict(polls)
    assert all(row["failed_polls"] == 0 and row["state"] == "ok" for row in by_name.values())
    assert by_name["guids"]["articles"] == 3 and by_name["feed"]["articles"] == len(items)
    assert report["store"]["articles"] == len(rows) and report["updated_at"]
    engine.dispose()


def test_bad_sources_are_reported_and_retried_while_the_others_keep_working(db, pipeline, site):
    web, base = site
    web.routes["/good.xml"] = (200, rss([(f"ok{i}", f"{base}/ok/{i}", f"OK {i}", story(i, "fishing")) for i in range(2)]),
                               "application/rss+xml")
    web.routes["/broken.xml"] = (500, b"internal error", "text/plain")
    web.routes["/loop.xml"] = "loop"
    web.routes["/html.xml"] = (200, b"<!doctype html><html><body><p>Log in to read this feed</p></body></html>", "text/html")
    web.routes["/slow.xml"] = "slow"
    web.routes["/huge.xml"] = "huge"
    web.routes["/private/feed.xml"] = web.routes["/good.xml"]
    closed = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    names = {"good": "/good.xml", "broken": "/broken.xml", "loop": "/loop.xml", "html": "/html.xml",
             "slow": "/slow.xml", "huge": "/huge.xml", "robots": "/private/feed.xml"}
    sources = [Source(name, f"{base}{path}", kind="feed", interval=0.05) for name, path in names.items()]
    sources.append(Source("unreachable", closed, kind="feed", interval=0.05))
    lines: list[dict] = []

    def hook(line: dict) -> None:
        lines.append(line)
        if line["source"] == "broken" and sum(x["source"] == "broken" for x in lines) == 2:  # the server recovers
            web.routes["/broken.xml"] = (200, rss([("b1", f"{base}/b/1", "Back", story(40, "fishing"))]),
                                         "application/rss+xml")

    engine = open_store(db)
    watcher = Watcher(engine, pipeline, sources, fetcher=fast_fetcher(), log=hook)
    watcher.run(polls=3)
    watcher.close()
    by_name = {row["name"]: row for row in status(engine)["sources"]}
    assert by_name["good"]["articles"] == 2 and by_name["good"]["failed_polls"] == 0
    assert by_name["broken"]["failed_polls"] == 2 and by_name["broken"]["consecutive_failures"] == 0
    assert by_name["broken"]["articles"] == 1 and "HTTP 500" in by_name["broken"]["last_error"]
    assert web.hits["/broken.xml"] >= 4  # each failed poll tried twice (one retry), then the third succeeded
    kinds = {"loop": "redirects", "html": "not-a-feed", "slow": "timeout", "huge": "too-large", "robots": "robots",
             "unreachable": "unreachable"}
    for name, kind in kinds.items():
        row = by_name[name]
        assert row["polls"] == 3 and row["failed_polls"] == 3 and row["state"] == "failing", row
        assert row["last_error"].startswith(kind), row
        assert row["articles"] == 0
        assert all(line["errors"] and line["status"] == "error" for line in lines if line["source"] == name)
    assert web.hits["/private/feed.xml"] == 0  # robots.txt kept it out
    assert len(stored(engine)) == 3
    engine.dispose()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_source_list_reports_broken_entries_with_file_and_line(tmp_path):
    (tmp_path / "inbox").mkdir()
    listed = tmp_path / "sources.yaml"
    listed.write_text(
        "defaults:\n"
        "  interval: 10m\n"
        "sources:\n"
        "  - name: world\n"                          # 4
        "    url: https://example.org/rss\n"
        "    date: none\n"
        "  - name: inbox\n"                          # 7
        "    path: inbox\n"
        "    interval: 30s\n"
        "    enabled: false\n"
        "  - name: typo\n"                           # 11
        "    url: https://example.org/a\n"
        "    intervall: 5m\n"                        # 13
        "  - name: bad-interval\n"                   # 14
        "    url: https://example.org/b\n"
        "    interval: soon\n"                       # 16
        "  - name: gone\n"                           # 17
        "    path: nowhere\n"                        # 18
        "  - name: world\n"                          # 19
        "    url: https://example.org/c\n"
        "  - url: ftp://example.org/d\n"             # 21
        "  - name: french\n"                         # 22
        "    url: https://example.org/fr\n"
        "    language: fr\n"                         # 24
        "  - just a string\n",                       # 25
        encoding="utf-8")
    sources, problems = load_sources(listed)
    assert [(s.name, s.interval, s.date, s.enabled) for s in sources] == [
        ("world", 600.0, "none", True), ("inbox", 30.0, "today", False), ("typo", 600.0, "today", True)]
    assert sources[1].location == str((tmp_path / "inbox").resolve()) and sources[1].kind == "folder"
    where = [str(p).split(": ", 1)[0] for p in problems]
    assert where == [f"{listed}:{n}" for n in (13, 16, 18, 19, 21, 24, 25)], problems
    assert "intervall" in str(problems[0]) and "soon" in str(problems[1]) and "already used on line 4" in str(problems[3])
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources:\n  - url: https://example.org\n   bad: [\n", encoding="utf-8")
    assert load_sources(broken)[1][0].where.startswith(f"{broken}:")
    assert parse_interval("15m") == 900 and parse_interval("0.2s") == 0.2 and parse_interval("500ms") == 0.5
    with pytest.raises(ValueError):
        sources_from_arguments(["ftp://example.org/x"], 60)


def _watch(*args: str, db: str) -> subprocess.Popen:
    env = {**os.environ, "TACITUS_WATCH_HOST_DELAY": "0", "TACITUS_WATCH_TIMEOUT": "5", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "tacitus.cli", "watch", *args, "--db", db], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _articles_in(db: str) -> int:
    from sqlalchemy import create_engine, func
    from sqlalchemy.exc import SQLAlchemyError

    from tacitus.store import database_url

    engine = create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()
    except SQLAlchemyError:  # not created yet
        return 0
    finally:
        engine.dispose()


def _wait_for_articles(db: str, process: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = _articles_in(db)
        if count:
            return count
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("nothing was stored")


def _snapshot(db: str) -> tuple[list, list]:
    engine = open_store(db)
    with engine.connect() as conn:
        stored_articles = sorted(conn.execute(select(articles.c.text_hash, articles.c.url, articles.c.article_id,
                                                     articles.c.published)).all())
        stored_events = sorted(conn.execute(select(events.c.event_id, events.c.article_id)).all())
    engine.dispose()
    return stored_articles, stored_events


@pytest.fixture
def big_feed(site, tmp_path):
    """A feed of 60 items and a folder of 30 JSONL records: enough work to stop or kill a watcher in the middle."""
    web, base = site
    web.routes["/big.xml"] = (200, rss([(f"b{i}", f"{base}/big/{i}", f"Big {i}", story(i, "grain"))
                                        for i in range(60)]), "application/rss+xml")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    records = [{"id": f"r{i}", "text": story(200 + i, "pipeline"), "date": "2024-03-06"} for i in range(30)]
    (inbox / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return f"{base}/big.xml", str(inbox)


def test_sigterm_stops_after_the_current_batch_and_a_restart_completes(big_feed, tmp_path):
    feed, inbox = big_feed
    db = str(tmp_path / "term.db")
    process = _watch(feed, inbox, "--every", "0.2s", "--batch-size", "4", db=db)
    _wait_for_articles(db, process)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "SIGTERM" in err and "stopped" in err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert lines and all("duration" in line and "events" in line for line in lines)
    partial = _articles_in(db)
    assert 0 < partial <= 90
    again = _watch(feed, inbox, "--once", db=db)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert _articles_in(db) == 90


def test_sigkill_and_restart_lose_and_duplicate_nothing(big_feed, tmp_path, db):
    feed, inbox = big_feed
    reference, killed = str(tmp_path / "reference.db"), db  # the reference is a SQLite store, never killed
    whole = _watch(feed, inbox, "--once", db=reference)
    victim = _watch(feed, inbox, "--every", "0.2s", "--batch-size", "4", db=killed)
    _wait_for_articles(killed, victim)
    time.sleep(0.3)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=10)
    assert 0 < _articles_in(killed) < 90  # killed in the middle
    restarted = _watch(feed, inbox, "--polls", "2", "--every", "0.2s", db=killed)
    _, err = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, err
    _, err = whole.communicate(timeout=60)
    assert whole.returncode == 0, err
    kept, expected = _snapshot(killed), _snapshot(reference)
    assert len(expected[0]) == 90 and expected[1]
    assert kept == expected


def test_status_endpoint_and_dashboard_footer(tmp_path, pipeline, site):
    from fastapi.testclient import TestClient

    from tacitus.web.api import create_app

    web, base = site
    web.routes["/feed.xml"] = (200, rss([("a", f"{base}/a", "A", story(5))]), "application/rss+xml")
    db = str(tmp_path / "status.db")
    engine = open_store(db)
    watcher = Watcher(engine, pipeline, [Source("wire", f"{base}/feed.xml", interval=0.05),
                                         Source("dead", f"http://127.0.0.1:{_closed_port()}/x", interval=0.05)],
                      fetcher=fast_fetcher(), log=lambda line: None)
    watcher.run(polls=1)
    client = TestClient(create_app(engine=engine))
    answer = client.get("/api/status").json()
    assert {row["name"]: row["state"] for row in answer["sources"]} == {"dead": "failing", "wire": "ok"}
    assert answer["store"]["articles"] == 1 and answer["updated_by"][0]["source"] == "wire"
    assert answer["sources"][1]["lag_seconds"] is not None
    assert client.get("/api/status?x=1").status_code == 422
    html = client.get("/").text
    assert "Store updated" in html and "by wire" in html
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "watch", "--status", "--db", db],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "wire" in result.stdout and "failing" in result.stdout
    assert "unreachable" in result.stdout
    engine.dispose()
