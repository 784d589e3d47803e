"""The API keeps answering, with consistent pages, while an ingest writes (SQLite WAL and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from tacitus.store import open_store
from test_crash import corpus


def test_reading_while_an_ingest_writes(tmp_path, db_pair):
    url, _ = db_pair
    source = tmp_path / "news.jsonl"
    corpus(source)
    open_store(url).dispose()  # the schema exists before the server opens the store
    import socket
    import threading

    import uvicorn

    from tacitus.web.api import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(url), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    writer = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "ingest", str(source), "--db", url, "--batch-size", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors, requests, last, growth = [], 0, {"articles": 0, "events": 0}, set()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=60) as client:
            for _ in range(2000):  # bounded; ends when the ingest does
                done = writer.poll() is not None
                stats = client.get("/api/stats")
                page = client.get("/api/events", params={"limit": 20, "sort": "-date"})
                requests += 2
                for response in (stats, page):
                    if response.status_code != 200:
                        errors.append((response.request.url, response.status_code, response.text[:200]))
                if stats.status_code == 200:
                    now = stats.json()
                    if now["articles"] < last["articles"] or now["events"] < last["events"]:
                        errors.append(("stats went back", last, now))
                    growth.add(now["articles"])
                    last = now
                if page.status_code == 200:
                    events = page.json()["events"]
                    if len({e["event_id"] for e in events}) != len(events):
                        errors.append(("duplicate on a page", [e["event_id"] for e in events]))
                    for event in events[:2]:  # every event on a page is whole: its detail and its article answer
                        detail = client.get(f"/api/events/{event['event_id']}")
                        article = client.get(f"/api/articles/{event['article_id']}")
                        requests += 2
                        if detail.status_code != 200 or article.status_code != 200:
                            errors.append(("incomplete event", event["event_id"], detail.status_code, article.status_code))
                if requests % 20 == 0:
                    requests += 1
                    if client.get("/", params={"from": "2023-01-01", "to": "2024-12-31"}).status_code != 200:
                        errors.append(("dashboard", requests))
                if done:
                    break
        assert writer.wait(timeout=300) == 0, writer.stderr.read().decode()[-2000:]
    finally:
        if writer.poll() is None:
            writer.kill()
        server.should_exit = True
        thread.join(timeout=10)
    assert errors == []
    assert len(growth) >= 3, f"the reads did not overlap the writes: {sorted(growth)}"
    assert requests > 20
