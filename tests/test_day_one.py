"""What a new user meets on day one: the README's flow shows the data, the article page tells claims
from facts, read commands refuse a store that is not there, dates are checked where they are given,
actor pages are titled by the actor, and the API says how many events there are and what was wrong."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tacitus.cli import main
from tacitus.knowledge.lexicon import data_file
from tacitus.models import Article
from tacitus.read.articles import read_articles
from tacitus.store import open_store, temporary_schema
from tacitus.store.loader import ingest
from tacitus.store.views import article_detail
from tacitus.web.api import create_app

PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
CLAIMS = ("Azerbaijan alleged that Armenian forces shelled its positions on Monday. "
          "Armenia denied deploying troops to the border. France condemned Azerbaijan on Tuesday.")
TITLES = "Texas condemned Russia on Monday. The United States condemned Russia on Tuesday."
D2023 = dt.date(2023, 9, 19)
REGEX_BITS = ("^", "$", "[A-Za-z", "\\d", "pattern", "{3}")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def samples(request, tmp_path_factory, pipeline):
    """The README's flow: the bundled samples ingested into a new store, plus two small articles."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = str(tmp_path_factory.mktemp("day-one") / "tacitus.db")
        elif not PG_URL:
            pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
        else:
            url = stack.enter_context(temporary_schema(PG_URL, "t"))
        engine = open_store(url)
        items = list(read_articles([str(data_file("samples/articles.jsonl"))]))
        items += [Article(text=CLAIMS, id="claims", date=D2023), Article(text=TITLES, id="titles", date=D2023)]
        for _ in ingest(engine, pipeline, items):
            pass
        with TestClient(create_app(engine=engine)) as client:
            yield url, engine, client
        engine.dispose()


def test_default_window_shows_the_whole_small_store(samples):
    _, _, client = samples
    overview = client.get("/").text
    assert '<a href="/reactions?target=AZE">AZE</a>' in overview  # the Caucasus, not only the latest crisis (Sahel)
    first, last = re.search(r"dated events from (\S+) to (\S+) \(the whole store\)", overview).groups()
    assert first <= "2023-09-20" and last == "2024-03-14"
    assert re.search(r'<form class="filters" method="get" action="/">.*name="from".*name="to"', overview, re.S)
    reactions = client.get("/reactions", params={"target": "AZE"}).text
    assert '<a href="/actors/DEU">DEU</a>' in reactions and "No affirmed events toward" not in reactions
    dated = client.get("/", params={"from": "2024-03-01", "to": "2024-03-31"}).text
    assert 'value="2024-03-01"' in dated and '<a href="/reactions?target=AZE">AZE</a>' not in dated


def test_default_window_of_a_large_store_holds_the_targets_data(samples, monkeypatch):
    from tacitus.store import extent

    _, engine, client = samples
    monkeypatch.setattr(extent, "SMALL_STORE", 1)  # as if the store were large
    start, end = extent.default_window(engine, "AZE")
    assert end == dt.date(2023, 9, 21) and start == end - dt.timedelta(days=89)
    assert extent.default_window(engine)[1] == dt.date(2024, 3, 14)
    assert '<a href="/actors/DEU">DEU</a>' in client.get("/reactions", params={"target": "AZE"}).text


def test_article_page_marks_negated_and_claimed_events(samples):
    _, engine, client = samples
    records = article_detail(engine, "claims")["events"]
    assert {r["polarity"] for r in records} >= {"negated"} and {r["modality"] for r in records} >= {"claimed"}
    html = client.get("/articles/claims").text
    items = {m.group(2): m.group(1) for m in re.finditer(r'<li class="([^"]*)">.*?href="/events/([^"]+)".*?</li>', html, re.S)}
    for record in records:
        item = re.search(rf'<li class="[^"]*">(?:(?!</li>).)*href="/events/{re.escape(record["event_id"])}".*?</li>', html, re.S)
        assert item, record["event_id"]
        text = item.group(0)
        if record["polarity"] == "negated":
            assert "not-fact" in items[record["event_id"]] and "negated" in text
        elif record["modality"] == "claimed":
            assert "not-fact" in items[record["event_id"]] and "claimed by Azerbaijan" in text
        else:
            assert items[record["event_id"]] == "fact" and "status" not in text


def test_read_commands_refuse_a_store_that_does_not_exist(tmp_path: Path):
    typo = tmp_path / "typo.db"
    for args in (["query"], ["reactions", "AZE"], ["export", "--format", "jsonl", "--output", str(tmp_path / "x.jsonl")]):
        result = CliRunner().invoke(main, [*args, "--db", str(typo)])
        assert result.exit_code == 1, (args, result.output)
        assert f"no store at {typo}: the file does not exist" in result.output and "tacitus ingest" in result.output
        assert not typo.exists()
    served = subprocess.run([sys.executable, "-m", "tacitus.cli", "serve", "--db", str(typo), "--port", "0"],
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 1 and f"no store at {typo}" in served.stderr and not typo.exists()


def test_read_commands_refuse_an_empty_postgresql_schema():
    if not PG_URL:
        pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
    with temporary_schema(PG_URL, "t") as url:
        result = CliRunner().invoke(main, ["query", "--db", url])
        assert result.exit_code == 1 and "no tacitus store at postgresql" in result.output


def test_ingest_still_creates_the_store(tmp_path: Path):
    text = tmp_path / "a.txt"
    text.write_text("Germany condemned Azerbaijan on Tuesday.", encoding="utf-8")
    store = tmp_path / "new.db"
    assert CliRunner().invoke(main, ["ingest", str(text), "--db", str(store), "--date", "2023-09-19"]).exit_code == 0
    result = CliRunner().invoke(main, ["query", "--db", str(store), "--format", "jsonl"])
    assert result.exit_code == 0 and '"AZE"' in result.output
    reversed_window = CliRunner().invoke(main, ["query", "--db", str(store), "--from", "2023-09-30", "--to", "2023-09-01"])
    assert reversed_window.exit_code == 2 and "--from 2023-09-30 is after --to 2023-09-01" in reversed_window.output


def test_article_dates_are_converted_or_refused_where_they_are_given(tmp_path: Path, pipeline):
    assert Article(text="x", date="2023-09-19").date == dt.date(2023, 9, 19)
    assert Article(text="x", date="2023-09-19T08:30:00Z").date == dt.date(2023, 9, 19)
    assert Article(text="x", date=dt.datetime(2023, 9, 19, 8, 30)).date == dt.date(2023, 9, 19)
    assert Article(text="x", date="").date is None
    with pytest.raises(ValueError, match="'19/09/2023' is not a date"):
        Article(text="x", date="19/09/2023")
    with pytest.raises(TypeError, match="not int"):
        Article(text="x", date=20230919)  # type: ignore[arg-type]
    engine = open_store(str(tmp_path / "dates.db"))
    for _ in ingest(engine, pipeline, [Article(text="Germany condemned Azerbaijan on Tuesday.", id="d", date="2023-09-20")]):
        pass
    detail = article_detail(engine, "d")
    assert detail["article"]["date"] == "2023-09-20" and detail["events"][0]["date"] == "2023-09-19"
    engine.dispose()


def test_actor_pages_are_titled_with_the_actor(samples):
    _, _, client = samples
    html = client.get("/actors/USA").text
    assert "<title>United States (USA) · tacitus</title>" in html and "<h1>United States <small>USA</small></h1>" in html
    assert "Texas" not in html.split("</h1>")[0]
    assert "<h1>Azerbaijan <small>AZE</small></h1>" in client.get("/actors/AZE").text


def test_api_gives_the_total_beside_the_page_count(samples, monkeypatch):
    from tacitus.store import extent

    _, _, client = samples
    every, cursor = [], None
    while True:
        body = client.get("/api/events", params={"target": "AZE", "limit": 2} | ({"cursor": cursor} if cursor else {})).json()
        assert body["count"] == body["page_count"] == len(body["events"]) <= 2
        every += body["events"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert body["total"] == len(every) > 2 and body["total_exact"] is True
    assert client.get("/api/events", params={"target": "AZE", "type": "ACCUSE", "limit": 1}).json()["total"] == \
        sum(1 for e in every if e["event_type"] == "ACCUSE")
    monkeypatch.setattr(extent, "TOTAL_LIMIT", 3)  # counting stops there: at least 3, and it says so
    capped = client.get("/api/events", params={"target": "AZE", "limit": 1}).json()
    assert (capped["total"], capped["total_exact"]) == (3, False)


def test_bad_type_and_reversed_window_get_422_naming_the_field(samples):
    _, _, client = samples
    for path, params, field, words in [
        ("/api/events", {"type": "FOO"}, "type", ("'FOO' is not a PLOVER event type", "ACCUSE")),
        ("/api/events", {"from": "2023-09-30", "to": "2023-09-01"}, "to", ("2023-09-01", "2023-09-30")),
        ("/api/reactions", {"target": "AZE", "from": "2023-09-30", "to": "2023-09-01"}, "to", ("before",)),
        ("/api/timeseries", {"type": "attack"}, "type", ("PLOVER",)),
    ]:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params, response.text)
        body = response.json()
        assert body["field"] == field and all(w in body["message"] for w in words), body
    assert client.get("/api/events", params={"type": "accuse", "limit": 1}).status_code == 200
    page = client.get("/events", params={"type": "FOO"})
    assert page.status_code == 422 and "is not a PLOVER event type" in page.text


def test_error_messages_never_show_regexes(samples):
    _, _, client = samples
    for name, value in [("source", "A-Z"), ("target", "x;"), ("actor", "ab"), ("cameo", "abc"), ("type", "'; DROP")]:
        body = client.get("/api/events", params={name: value}).json()
        assert body["field"] == name and value in body["message"], body
        assert not any(bit in body["message"] for bit in REGEX_BITS), body["message"]
        assert not any(bit in error["message"] for error in body["errors"] for bit in REGEX_BITS), body["errors"]
    assert "three letters" in client.get("/api/events", params={"target": "A-Z"}).json()["message"]
