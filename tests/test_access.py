"""Access: read-only by default; writing endpoints only with a token; bounded requests."""

from __future__ import annotations

import logging
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from tacitus.knowledge.lexicon import data_file
from tacitus.read.articles import read_articles
from tacitus.store import open_store
from tacitus.store.loader import ingest
from tacitus.web.api import MAX_BODY, create_app

TOKEN = "s3cret-token-for-tests-0123456789"
ARTICLE = {"id": "submitted-1", "date": "2023-09-22", "source": "Test Wire",
           "text": "Italy condemned the Azerbaijani offensive on Friday and called for talks between Armenia and Azerbaijan."}


@pytest.fixture(scope="module")
def writable(tmp_path_factory, pipeline):
    """A server with a token over its own store, filled with the bundled samples."""
    path = tmp_path_factory.mktemp("access") / "store.db"
    engine = open_store(str(path))
    for _ in ingest(engine, pipeline, read_articles([str(data_file("samples/articles.jsonl"))])):
        pass
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(engine=engine, token=TOKEN), log_level="info", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=120) as client:
        yield client
    server.should_exit = True
    thread.join(timeout=10)


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_writes_need_the_token_and_it_is_never_logged(writable, caplog):
    caplog.set_level(logging.DEBUG)
    before = writable.get("/api/stats").json()
    for headers in ({}, bearer("wrong-token-wrong-token-wrong"), {"Authorization": f"Basic {TOKEN}"}, bearer(TOKEN[:-1])):
        assert writable.post("/api/articles", json=ARTICLE, headers=headers).status_code == 401
        assert writable.delete("/api/articles/sample-caucasus-1", headers=headers).status_code == 401
    assert writable.get("/api/stats").json() == before
    assert TOKEN not in caplog.text and TOKEN[:-1] not in caplog.text


def test_submit_code_and_delete_with_the_token(writable):
    before = writable.get("/api/stats").json()
    created = writable.post("/api/articles", json=ARTICLE, headers=bearer())
    assert created.status_code == 201, created.text
    assert created.json()["stored"] and created.json()["events"] >= 1
    found = writable.get("/api/events", params={"source": "ITA", "target": "AZE"}).json()["events"]
    assert found and found[0]["article_id"] == "submitted-1"
    again = writable.post("/api/articles", json=ARTICLE, headers=bearer())
    assert again.status_code == 201 and again.json()["stored"] is False
    assert writable.delete("/api/articles/submitted-1", headers=bearer()).status_code == 200
    assert writable.get("/api/articles/submitted-1").status_code == 404
    after = writable.get("/api/stats").json()
    assert {k: v for k, v in after.items() if k != "actors"} == {k: v for k, v in before.items() if k != "actors"}
    assert writable.delete("/api/articles/submitted-1", headers=bearer()).status_code == 404


def test_bad_and_oversized_submissions_are_refused(writable):
    assert writable.post("/api/articles", json=ARTICLE | {"extra": 1}, headers=bearer()).status_code == 422
    assert writable.post("/api/articles", json={"text": ""}, headers=bearer()).status_code == 422
    german = {"text": "Die Bundesregierung verurteilte am Dienstag den Angriff und forderte eine Waffenruhe. " * 5}
    assert writable.post("/api/articles", json=german, headers=bearer()).status_code == 422
    huge = b'{"text": "' + b"a" * (MAX_BODY + 10) + b'"}'
    response = writable.post("/api/articles", content=huge, headers=bearer() | {"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["message"]
    assert writable.get("/api/events", params={"text": "x" * 5000}).status_code == 414
    assert writable.get("/api/events", params={"limit": 100_000}).status_code == 422


def test_read_only_server_has_no_writing_endpoints(live_server):
    paths = httpx.get(f"{live_server}/openapi.json").json()["paths"]
    assert all(set(methods) == {"get"} for methods in paths.values())
    assert httpx.post(f"{live_server}/api/articles", json=ARTICLE, headers=bearer()).status_code == 405


def test_a_short_token_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 16"):
        create_app(str(tmp_path / "x.db"), token="short")
