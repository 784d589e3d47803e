"""The server under hostile clients (issue 17): slow clients, saturation, tampered input, far dates.

Everything about connections runs against a real uvicorn server on loopback,
configured as `tacitus serve` configures it (`tacitus.web.serving`).
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import datetime as dt
import json
import logging
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from fastapi.testclient import TestClient

from tacitus.models import Article
from tacitus.store import open_store
from tacitus.store.loader import ingest
from tacitus.web import api as api_module
from tacitus.web import guard
from tacitus.web.api import SECURITY_HEADERS, bound_statements, create_app
from tacitus.web.serving import allowed_hosts, server_config

TOKEN = "hardening-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@contextlib.contextmanager
def serving(app, **options):
    """A real server (as `tacitus serve` builds it) on a free loopback port; yields (base URL, port)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, port=port, lifespan="off", **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def store_copy(web_store, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("hardening") / "store.db"
    shutil.copy(web_store, path)
    return str(path)


@pytest.fixture(scope="module")
def server(store_copy):
    app = create_app(store_copy, token=TOKEN, allowed_hosts=allowed_hosts("127.0.0.1"))
    with serving(app, header_seconds=1.0, max_connections=30) as (base, port):
        yield base, port


def raw(port: int, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(data)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """(did the server close the connection within `seconds`, what it sent before)."""
    sock.settimeout(seconds)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
        return True, received
    except TimeoutError:
        return False, received
    except ConnectionResetError:
        return True, received


# 1. Slow clients
def test_slowloris_heads_are_cut_off_while_others_are_answered(server, caplog):
    base, port = server
    caplog.set_level(logging.WARNING)
    slow = [raw(port, b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: 1\r\n") for _ in range(20)]
    silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(5)]
    assert httpx.get(base + "/api/stats", timeout=5).status_code == 200  # answered meanwhile
    for sock in slow + silent:
        assert closed_within(sock, 4)[0], "a connection without a complete request head was kept open"
        sock.close()
    cut = [r for r in caplog.records if "no complete request head" in r.getMessage()]
    assert 1 <= len(cut) <= 2  # rate-limited: one line, not 25


def test_keep_alive_connection_dripping_its_next_head_is_closed(server):
    _, port = server
    sock = raw(port, b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    sock.settimeout(5)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    for _ in range(4):  # a byte every half second, never a whole head
        try:
            sock.sendall(b"G")
        except OSError:
            break
        time.sleep(0.5)
    assert closed_within(sock, 4)[0] and time.monotonic() - started < 6
    sock.close()


def test_connections_over_the_limit_get_503_and_are_closed(server):
    base, port = server
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]
    time.sleep(0.2)
    extra = socket.create_connection(("127.0.0.1", port))
    closed, answer = closed_within(extra, 2)
    assert closed and answer.startswith(b"HTTP/1.1 503") and b"Retry-After" in answer
    for sock in held + [extra]:
        sock.close()
    time.sleep(0.3)
    assert httpx.get(base + "/api/stats", timeout=5).status_code == 200


def test_a_slow_body_gets_408_and_the_connection_is_closed(server, monkeypatch):
    _, port = server
    monkeypatch.setattr(guard, "BODY_SECONDS", 1.0)
    head = (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n")
    sock = raw(port, head.encode() + b'{"text": "Ger')
    started = time.monotonic()
    closed, answer = closed_within(sock, 5)
    assert closed and answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 4
    assert b"content-security-policy" in answer.lower()
    sock.close()


# 6. The token before the body
def test_a_write_without_the_token_is_refused_before_its_body_is_read(server):
    _, port = server
    sock = raw(port, b"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{")  # the body never comes
    closed, answer = closed_within(sock, 1.5)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:100]
    sock.close()
    refused = httpx.post(f"{server[0]}/api/articles", content=b"not json at all", timeout=5,
                         headers={"Content-Type": "application/json"})
    assert refused.status_code == 401  # not 422: the body was never parsed


# 5. Host names and HEAD
def test_host_header_must_name_the_server(server):
    base, port = server
    assert httpx.get(base + "/api/stats", headers={"Host": "rebind.attacker.example"}).status_code == 400
    assert httpx.get(base + "/", headers={"Host": f"attacker.example:{port}"}).status_code == 400
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "[::1]", "LOCALHOST"):
        assert httpx.get(base + "/api/stats", headers={"Host": host}).status_code == 200, host


def test_serve_allowed_host_option(store_copy):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "serve", "--db", store_copy, "--port", str(port),
                                "--allowed-host", "events.example.org"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base, process)
        assert httpx.get(base + "/api/stats").status_code == 200
        assert httpx.get(base + "/api/stats", headers={"Host": "events.example.org"}).status_code == 200
        refused = httpx.get(base + "/api/stats", headers={"Host": "evil.example"})
        assert refused.status_code == 400 and refused.headers["content-security-policy"]
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_head_is_answered_for_get_routes(server):
    base, _ = server
    for path in ("/api/stats", "/api/events?limit=2", "/", "/static/style.css"):
        got, head = httpx.get(base + path), httpx.head(base + path)
        assert head.status_code == 200 == got.status_code, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-security-policy"]


# 3. Cursors and 500s
def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


TAMPERED = [_cursor([None, 10**30]), _cursor(["2023-09-19", -1]), _cursor({"a": 1, "b": 2}), _cursor([1, 2, 3]),
            _cursor([[1], 5]), _cursor(["2023-09-19", True]), _cursor(["x", 5]), _cursor([1e308, 2**63]),
            "é" * 10, "%%%", "AAAA", _cursor([[[[[[[[1]]]]]]]])]


@pytest.mark.parametrize("sort", ["date", "-goldstein"])
def test_tampered_cursors_are_422(server, sort):
    base, _ = server
    for cursor in TAMPERED:
        answer = httpx.get(base + "/api/events", params={"cursor": cursor, "sort": sort})
        assert answer.status_code == 422 and answer.json()["field"] == "cursor", (cursor, answer.text[:200])
        page = httpx.get(base + "/events", params={"cursor": cursor, "sort": sort})
        assert page.status_code in (404, 422), (cursor, page.status_code)


def test_a_500_carries_the_security_headers(store_copy, caplog):
    app = create_app(store_copy)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("unexpected")

    with TestClient(app, raise_server_exceptions=False) as client:
        for _ in range(5):
            answer = client.get("/api/boom")
            assert answer.status_code == 500 and answer.json()["message"]
            for name, value in SECURITY_HEADERS.items():
                assert answer.headers[name] == value
    assert len([r for r in caplog.records if "RuntimeError" in r.getMessage()]) == 1  # logged once per interval


# 2. Saturation: 503 with Retry-After, never 500
def test_concurrent_text_searches_get_503_not_500_when_the_pool_is_exhausted(store_copy, monkeypatch):
    engine = sa.create_engine(f"sqlite:///{store_copy}", pool_size=1, max_overflow=0, pool_timeout=0.5)
    real = api_module.count_events

    def slow_count(store, flt, limit=None):
        with store.connect():  # a long scan holding its connection
            time.sleep(0.2)
        return real(store, flt, limit)

    monkeypatch.setattr(api_module, "count_events", slow_count)
    monkeypatch.setattr(guard, "QUEUE_SECONDS", 2.0)
    with serving(create_app(engine=engine)) as (base, _):
        with httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=60)) as client:
            with concurrent.futures.ThreadPoolExecutor(60) as pool:
                answers = list(pool.map(lambda i: client.get("/api/events", params={"text": f"Azerbaijan{i % 3}"}),
                                        range(60)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {200, 503} and statuses.count(200) >= 3, statuses
    busy = [a for a in answers if a.status_code == 503]
    assert busy and all(a.headers["retry-after"] and a.headers["content-security-policy"] for a in busy)
    engine.dispose()


def test_a_statement_over_the_timeout_is_503_on_postgresql(db, monkeypatch):
    if not db.startswith("postgresql"):
        pytest.skip("statement timeouts are PostgreSQL's")
    engine = open_store(db)
    bound_statements(engine, 0.2)
    monkeypatch.setattr(api_module, "counts", lambda store: store.connect().execute(sa.text("SELECT pg_sleep(2)")))
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        answer = client.get("/api/stats")
        assert answer.status_code == 503 and answer.headers["retry-after"]
        assert client.get("/api/events", params={"limit": 1}).status_code == 200  # the pool is intact
    engine.dispose()


# 2, 4, 7. Filters: the full-text index, literal % and _, NUL, the same on both databases
TEXTS = ["Germany condemned Azerbaijan on Thursday over the 100% shelling of Stepanakert.",
         "France criticized Armenia_Azerbaijan talks as a failure, a ministry said on Friday.",
         "Russia accused Turkey of supplying drones to Azerbaijan, the Kremlin said on Monday."]


@pytest.fixture
def small_store(db, pipeline):
    engine = open_store(db)
    articles = [Article(text=text, id=f"wild-{i}", title=f"Report {i}{' 50% off' if i == 0 else ''}",
                        date=dt.date(2023, 9, 18 + i)) for i, text in enumerate(TEXTS)]
    for _ in ingest(engine, pipeline, articles):
        pass
    yield engine
    engine.dispose()


def test_percent_and_underscore_are_literal_and_text_search_is_exact(small_store):
    with TestClient(create_app(engine=small_store)) as client:
        def sentences(**params):
            answer = client.get("/api/events", params=params | {"limit": 1000})
            assert answer.status_code == 200, answer.text
            return [e["sentence"] for e in answer.json()["events"]]

        every = sentences()
        assert len(every) >= 3
        for word in ("%", "100%", "_", "a_A", "zerbaijan", "AZERBAIJAN", "on", "ö", '"drones', "x%y"):
            expected = [s for s in every if word.lower() in s.lower()]
            assert sentences(text=word) == expected, word
        assert not sentences(text="%%") and not sentences(text="_____________________")
        titles = [a["title"] for a in client.get("/api/articles", params={"q": "%"}).json()["articles"]]
        assert titles == ["Report 0 50% off"]
        assert client.get("/api/articles", params={"q": "_"}).json()["articles"] == []
        assert client.get("/api/actors", params={"q": "%"}).json()["actors"] == []


def test_the_text_filter_uses_the_full_text_index(small_store):
    from tacitus.store.queries import EventFilter, filtered

    statement = filtered(EventFilter(text="Azerbaijan"))
    with small_store.connect() as conn:
        if small_store.dialect.name == "sqlite":
            compiled = statement.compile(small_store)
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), tuple(compiled.params.values())).all()
            assert any("events_fts" in str(row) for row in plan)
        else:
            trgm = conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
            if not trgm:
                pytest.skip("pg_trgm is not available on this server")
            names = {ix["name"] for ix in sa.inspect(conn).get_indexes("events")}
            assert "ix_events_sentence_trgm" in names
    from tacitus.store.loader import Loader

    Loader(small_store).delete("wild-0")  # the index follows deletions
    with TestClient(create_app(engine=small_store)) as client:
        found = client.get("/api/events", params={"text": "Stepanakert"}).json()
        assert found["events"] == [] and found["total"] == 0


NUL_REQUESTS = [("/api/events", {"text": "Azer\x00baijan"}), ("/api/events", {"place": "Baku\x00"}),
                ("/api/timeseries", {"text": "\x00"}), ("/api/articles", {"q": "a\x00"}), ("/api/actors", {"q": "\x00"}),
                ("/api/events/abc%00", {}), ("/api/articles/x%00y", {}), ("/api/actors/AZE%00", {}),
                ("/events", {"text": "a\x00"})]


def test_nul_in_any_filter_is_422_on_both_databases(small_store):
    with TestClient(create_app(engine=small_store), raise_server_exceptions=False) as client:
        for path, params in NUL_REQUESTS:
            answer = client.get(path, params=params)
            assert answer.status_code == 422, (path, params, answer.status_code)
            assert answer.headers["content-security-policy"]
        answer = client.get("/api/events", params={"text": "Azer\x00baijan"})
        assert answer.json()["field"] == "text"


# 8. Far dates in a store
def test_far_dates_do_not_break_the_dashboard(small_store, monkeypatch):
    from tacitus.store import extent
    from tacitus.store.schema import events

    with small_store.begin() as conn:
        first, second = conn.execute(sa.select(events.c.id).order_by(events.c.id).limit(2)).scalars()
        conn.execute(events.update().where(events.c.id == first).values(date=dt.date(9999, 12, 28)))
    with TestClient(create_app(engine=small_store), raise_server_exceptions=False) as client:
        for path in ("/", "/reactions", "/map", "/events?sort=-date", "/api/timeseries?interval=week",
                     "/api/timeseries?interval=month", "/?from=0001-01-01&to=9999-12-31"):
            assert client.get(path).status_code == 200, path
        with small_store.begin() as conn:  # one typo'd year in a large store: the window stays on the real data
            conn.execute(events.update().where(events.c.id == first).values(date=dt.date(2203, 1, 5)))
        monkeypatch.setattr(extent, "SMALL_STORE", 1)
        overview = client.get("/").text
        first_day, last_day = re.search(r"dated events from (\S+) to ([^\s,.]+)", overview).groups()
        assert last_day == "2023-09-20" and int(re.search(r"(\d+) dated events", overview).group(1)) >= 2


# 9. Articles posted through the API are checked as files are
def test_posted_articles_lose_nul_and_far_dates(store_copy, pipeline):
    engine = open_store(store_copy)
    app = create_app(engine=engine, token=TOKEN)
    app.state.writer = None
    with TestClient(app) as client:
        answer = client.post("/api/articles", headers=AUTH, json={
            "id": "posted-\x00far", "title": "Far\x00 date", "date": "9999-12-31", "source": "Wire\x00",
            "text": "Italy condemned the Azerbaijani\x00 offensive on Friday and called for talks with Armenia."})
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["article_id"] == "posted-far" and "9999-12-31" in body["problems"][0]
        article = client.get("/api/articles/posted-far").json()["article"]
        assert article["date"] is None and article["title"] == "Far date" and "\x00" not in article["text"]
        assert client.delete("/api/articles/posted-far", headers=AUTH).status_code == 200
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        with contextlib.suppress(httpx.TransportError):
            httpx.get(base + "/api/stats", timeout=2)
            return
        time.sleep(0.2)
    raise AssertionError("tacitus serve did not start")

