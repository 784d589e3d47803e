"""The JSON API over a real HTTP server (uvicorn on loopback) and a real store."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from openapi_spec_validator import validate

from tacitus.store import EventFilter, open_store, temporary_schema
from tacitus.store.views import event_page

INJECTIONS = ["' OR 1=1 --", "AZE'; DROP TABLE events; --", '" OR ""="', "%' UNION SELECT * FROM articles --", "\\x00"]


@pytest.fixture(scope="module")
def api(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


def openapi_paths(api) -> set[str]:
    return set(api.get("/openapi.json").json()["paths"])


# One case per endpoint: parameters, and what a user would check in the answer.
def check_events(body):
    assert body["count"] == len(body["events"]) > 0
    assert all(e["target"]["country"] == "AZE" for e in body["events"])


def check_event(body):
    assert body["event"]["event_id"] and body["article"]["article_id"] == body["event"]["article_id"]
    spans = body["evidence"]["spans"]
    sentence = body["evidence"]["sentence"]
    assert any(s["role"] == "trigger" for s in spans)
    assert all(sentence[s["start"]:s["end"]] == s["text"] for s in spans)


def check_article(body):
    article_text = body["article"]["text"]
    assert body["events"] and body["spans"]
    assert all(article_text[s["start"]:s["end"]] == s["text"] for s in body["spans"])


def check_reactions(body):
    sources = {(r["source_country"], r["event_type"]) for r in body["reactions"]}
    assert ("DEU", "ACCUSE") in sources
    assert all(r["mentions"] >= r["events"] >= 1 for r in body["reactions"])  # events, their mentions beside them


def check_series(body):
    assert body["interval"] == "week"
    assert all(dt.date.fromisoformat(row["period"]).weekday() == 0 and 1 <= row["quad_class"] <= 4 for row in body["series"])
    assert sum(row["events"] for row in body["series"]) > 0
    assert all(row["mentions"] >= row["events"] for row in body["series"])


def check_network(body):
    ids = {n["id"] for n in body["nodes"]}
    assert "AZE" in ids and body["edges"]
    assert all(e["source"] in ids and e["target"] in ids and e["mentions"] >= e["weight"] >= 1 for e in body["edges"])


def check_places(body):
    assert body["type"] == "FeatureCollection" and body["features"]
    for feature in body["features"]:
        assert feature["properties"]["mentions"] >= feature["properties"]["events"] >= 1
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


CASES = {
    "/api/events": ("/api/events", {"target": "AZE", "limit": 5}, check_events),
    "/api/events/{event_id}": (None, {}, check_event),
    "/api/articles": ("/api/articles", {"limit": 10}, lambda b: b["articles"] and all("events" in a for a in b["articles"])),
    "/api/articles/{article_id}": ("/api/articles/sample-caucasus-1", {}, check_article),
    "/api/actors": ("/api/actors", {"q": "AZE"}, lambda b: any(a["code"] == "AZE" for a in b["actors"])),
    "/api/actors/{code}": ("/api/actors/AZE", {}, lambda b: b["as_target"].get("ACCUSE", 0) >= 1),
    "/api/reactions": ("/api/reactions", {"target": "AZE"}, check_reactions),
    "/api/timeseries": ("/api/timeseries", {"actor": "AZE", "interval": "week"}, check_series),
    "/api/network": ("/api/network", {"actor": "AZE"}, check_network),
    "/api/places": ("/api/places", {}, check_places),
    "/api/stats": ("/api/stats", {}, lambda b: b["events"] > 0 and b["articles"] >= 4),
    "/api/status": ("/api/status", {}, lambda b: "sources" in b and "store" in b),
    # downloads of the dashboard's views (tests/test_downloads.py checks their rows against the pages')
    "/download/events.{fmt}": ("/download/events.json", {"target": "AZE"},
                               lambda b: b["rows"] and all(r["target"]["country"] == "AZE" for r in b["rows"])),
    "/download/reactions.{fmt}": ("/download/reactions.json", {"target": "AZE"},
                                  lambda b: ("DEU", "ACCUSE") in {(r["source"], r["event_type"]) for r in b["rows"]}),
    "/download/evidence.{fmt}": ("/download/evidence.json", {"target": "AZE"},
                                 lambda b: b["rows"] and all(r["target"]["country"] == "AZE" for r in b["rows"])),
    "/download/places.{fmt}": ("/download/places.json", {}, lambda b: b["rows"] and all(-90 <= r["lat"] <= 90 for r in b["rows"])),
    "/download/timeseries.{fmt}": ("/download/timeseries.json", {"actor": "AZE"}, lambda b: sum(r["events"] for r in b["rows"]) > 0),
    "/download/dyads.{fmt}": ("/download/dyads.json", {}, lambda b: b["rows"] and all(r["weight"] > 0 for r in b["rows"])),
    "/download/network.{fmt}": ("/download/network.json", {"target": "AZE"},
                                lambda b: "AZE" in {n["id"] for n in b["nodes"]} and b["rows"]),
}


def test_openapi_document_validates_and_every_endpoint_has_a_case(api):
    document = api.get("/openapi.json").json()
    validate(document)
    assert openapi_paths(api) == set(CASES), "add a case to CASES for every new endpoint"


@pytest.mark.parametrize("template", sorted(CASES))
def test_every_endpoint_answers(api, template):
    path, params, check = CASES[template]
    if path is None:  # an event of the listing
        path = "/api/events/" + api.get("/api/events", params={"limit": 1, "type": "ACCUSE"}).json()["events"][0]["event_id"]
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    check(response.json())


def test_unknown_parameter_and_bad_values_get_422_naming_the_field(api):
    for path, params, field in [("/api/events", {"tagret": "AZE"}, "tagret"), ("/api/events", {"limit": 0}, "limit"),
                                ("/api/events", {"limit": 100000}, "limit"), ("/api/events", {"from": "19-09-2023"}, "from"),
                                ("/api/events", {"quad_class": 7}, "quad_class"), ("/api/events", {"sort": "id;"}, "sort"),
                                ("/api/reactions", {}, "target"), ("/api/timeseries", {"interval": "hour"}, "interval"),
                                ("/api/stats", {"x": 1}, "x"), ("/api/events", {"cursor": "not-a-cursor"}, "cursor")]:
        response = api.get(path, params=params)
        assert response.status_code == 422, (path, params, response.text)
        body = response.json()
        assert body["field"] == field and field in body["message"]


def test_missing_things_are_404_json(api):
    for path in ("/api/events/no-such-event", "/api/articles/no-such-article", "/api/actors/XYZGOV", "/api/nothing"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["message"]


def test_pages_of_the_cursor_cover_every_event_once_in_order(api):
    expected = api.get("/api/stats").json()["events"]
    for sort in ("date", "-date", "goldstein", "-confidence"):
        seen, cursor, keys = [], None, []
        while True:
            params = {"limit": 7, "sort": sort} | ({"cursor": cursor} if cursor else {})
            body = api.get("/api/events", params=params).json()
            seen += [e["event_id"] for e in body["events"]]
            keys += [e[sort.lstrip("-")] for e in body["events"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == expected, sort
        present = [k for k in keys if k is not None]
        assert present == sorted(present, reverse=sort.startswith("-")), sort


def test_injection_strings_in_every_filter_are_only_data(api):
    before = api.get("/api/stats").json()
    for value in INJECTIONS:
        for name in ("place", "text"):
            response = api.get("/api/events", params={name: value})
            assert response.status_code == 200 and response.json()["events"] == []
        for name in ("source", "target", "actor", "type", "cameo"):
            assert api.get("/api/events", params={name: value}).status_code == 422
        assert api.get("/api/actors", params={"q": value}).status_code == 200
    assert api.get("/api/stats").json() == before


def test_security_headers_on_every_answer(api):
    for path in ("/", "/api/events", "/static/style.css"):
        policy = api.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_read_only(api):
    assert api.post("/api/events", json={}).status_code == 405
    assert api.delete("/api/articles/sample-caucasus-1").status_code == 405


def test_hostile_markup_is_json_text(api):
    body = api.get("/api/articles/hostile-<script>").json()
    assert "<script>" in body["article"]["text"]


PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_cursor_is_stable_with_undated_events_on_both_databases(backend, tmp_path, pipeline):
    """Events without a date sort where each database puts NULLs; the cursor must still visit each once."""
    from tacitus.models import Article
    from tacitus.store.loader import ingest

    if backend == "postgresql" and not PG_URL:
        pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
    with contextlib.ExitStack() as stack:
        url = str(tmp_path / "c.db") if backend == "sqlite" else stack.enter_context(temporary_schema(PG_URL, "t"))
        engine = open_store(url)
        items = [Article(text="Germany condemned Azerbaijan. France praised Armenia. Iran urged restraint.", id="undated"),
                 Article(text="Russia condemned Ukraine on Tuesday. Turkey praised Azerbaijan on Monday.", id="dated",
                         date=dt.date(2023, 9, 20))]
        for _ in ingest(engine, pipeline, items):
            pass
        everything = event_page(engine, EventFilter(), 1000).records
        assert any(r["date"] is None for r in everything) and any(r["date"] for r in everything)
        for sort in ("date", "-date"):
            seen, cursor = [], None
            while True:
                page = event_page(engine, EventFilter(), 2, cursor, sort)
                seen += [r["event_id"] for r in page.records]
                cursor = page.next_cursor
                if not cursor:
                    break
            assert sorted(seen) == sorted(r["event_id"] for r in everything) and len(seen) == len(set(seen))
        engine.dispose()


def test_serve_command_binds_loopback_and_serves(web_store):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "serve", "--db", web_store, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "tacitus serve did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["events"] > 0
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_answers_its_very_first_request_right_on_both_databases(db, pipeline, tmp_path):
    """`tacitus serve` warms up before it listens (issue 18): the first request a fresh server gets, with no
    probe before it, is a complete first page of `events?target=X`, its total what the store holds."""
    from tacitus.models import Article
    from tacitus.store.extent import count_events
    from tacitus.store.loader import ingest

    engine = open_store(db)
    items = [Article(text="Germany condemned Azerbaijan on Tuesday. France praised Azerbaijan. Iran urged restraint.",
                     id="first-a", date=dt.date(2023, 9, 20)),
             Article(text="Russia condemned Azerbaijan on Monday. Turkey praised Armenia.", id="first-b",
                     date=dt.date(2023, 9, 19))]
    for _ in ingest(engine, pipeline, items):
        pass
    expected = event_page(engine, EventFilter(target="AZE"), 100).records
    total, _ = count_events(engine, EventFilter(target="AZE"))
    engine.dispose()
    assert expected
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "serve", "--db", db, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=os.environ | {"TACITUS_CACHE_DIR": str(tmp_path / "cache")})
    try:
        deadline = time.monotonic() + 60
        while True:  # wait for the port to accept a connection, sending nothing
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "tacitus serve did not start"
                time.sleep(0.05)
        first = httpx.get(f"http://127.0.0.1:{port}/api/events", params={"target": "Azerbaijan"}, timeout=10)
        assert first.status_code == 200
        body = first.json()
        assert [r["event_id"] for r in body["events"]] == [r["event_id"] for r in expected]
        assert body["total"] == total == len(expected) and body["total_exact"] and body["next_cursor"] is None
        assert body["page_count"] == body["count"] == len(expected)
        outline = httpx.get(f"http://127.0.0.1:{port}/assets/world.svg", timeout=10)
        assert outline.status_code == 200 and 'data-iso="AZE"' in outline.text
    finally:
        process.terminate()
        process.wait(timeout=10)
