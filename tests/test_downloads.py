"""Downloads of what each view shows (issue 20): the rows of the page, the filters in the file name, CSV cells
that are not formulas, GEXF that networkx reads; the API's format=csv gives the same rows as its JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import httpx
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from tacitus.models import Actor, Article, Event, Location, Span
from tacitus.store import crisis, open_store
from tacitus.store import views as analysis
from tacitus.store.export import csv_stream
from tacitus.store.loader import Loader
from tacitus.store.queries import DEFAULT_MIN_CONFIDENCE, EventFilter
from tacitus.web.api import create_app

DAY = dt.date(2023, 9, 19)
COUNTRIES = {"USA": "United States", "DEU": "Germany", "FRA": "France", "TUR": "Türkiye", "AZE": "Azerbaijan",
             "ARM": "Armenia"}
PLACES = {"Yerevan": ("ARM", 40.18, 44.51, "city"), "Azerbaijan": ("AZE", 40.4, 47.2, "country")}


def actor(code: str, text: str | None = None) -> Actor:
    return Actor(text=text or COUNTRIES[code[:3]], start=0, end=len(text or COUNTRIES[code[:3]]), name=COUNTRIES[code[:3]],
                 code=code, country=code[:3], sector=code[3:] or None)


def event(n: int, source: str, target: str, kind: str, quad: int, goldstein: float, confidence: float = 0.9,
          place: str | None = "Azerbaijan", day: int = 0, text: str | None = None) -> Event:
    sentence = text or f"{COUNTRIES[source[:3]]} {kind.lower()}s {COUNTRIES[target[:3]]} ({n})."
    where = PLACES.get(place or "")
    location = Location(name=place, country=where[0], lat=where[1], lon=where[2], geonameid=None, precision=where[3]) if where else None
    return Event(event_id=f"e{n}", article_id=f"a{n}", sentence_index=0, sentence=sentence, source=actor(source, text),
                 target=actor(target), event_type=kind, mode=None, cameo={"ACCUSE": "111", "SUPPORT": "051",
                                                                           "ASSAULT": "190"}[kind],
                 quad_class=quad, goldstein=goldstein, trigger=Span("x", 0, 1), polarity="affirmed", modality="actual",
                 intended_type=None, attributed_to=None, location=location,
                 date=(DAY + dt.timedelta(days=day)).isoformat(), date_precision="day", date_text="on Tuesday",
                 confidence=confidence, rule="test")


EVENTS = [event(1, "USAGOV", "AZE", "ACCUSE", 3, -2.0), event(2, "DEU", "AZE", "ACCUSE", 3, -2.0, day=1),
          event(3, "FRA", "AZE", "ACCUSE", 3, -2.0, place="Yerevan", day=2), event(4, "TUR", "AZE", "SUPPORT", 1, 3.4),
          event(5, "AZE", "ARM", "ASSAULT", 4, -10.0, place="Yerevan", day=1),
          event(6, "DEU", "AZE", "ACCUSE", 3, -2.0, confidence=0.2, day=3),  # below the default threshold
          event(7, "USA", "AZE", "ACCUSE", 3, -2.0, day=4, text="=HYPERLINK(\"http://evil.example\")")]


def fill(engine, events: list[Event] = EVENTS) -> None:
    Loader(engine).write_batch([(Article(text=e.sentence, id=e.article_id, url=f"https://news.example/{e.article_id}",
                                         date=DAY), [e]) for e in events])


@pytest.fixture
def client(db):
    engine = open_store(db)
    fill(engine)
    with TestClient(create_app(engine=engine)) as test_client:
        yield test_client, engine
    engine.dispose()


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_events_download_holds_every_row_of_the_view_and_names_its_filters(client):
    http, engine = client
    response = http.get("/download/events.csv", params={"target": "AZE", "from": "2023-09-19", "type": "ACCUSE"})
    disposition = response.headers["content-disposition"]
    assert disposition == ('attachment; filename="tacitus-events-target-AZE-from-2023-09-19-type-ACCUSE-'
                           f'min_confidence-{DEFAULT_MIN_CONFIDENCE}.csv"')
    page = analysis.event_page(engine, EventFilter(target="AZE", date_from=DAY, event_type="ACCUSE",
                                                   min_confidence=DEFAULT_MIN_CONFIDENCE), 200).records
    assert [r["event_id"] for r in rows(response)] == [r["event_id"] for r in page] == ["e1", "e2", "e3", "e7"]
    everything = rows(http.get("/download/events.csv", params={"min_confidence": 0}))
    assert {r["event_id"] for r in everything} == {e.event_id for e in EVENTS}  # 0 gives every event
    body = http.get("/download/events.json", params={"target": "Azerbaijan", "type": "accuse"}).json()
    assert body["filters"]["target"] == "AZE" and [r["event_id"] for r in body["rows"]] == ["e1", "e2", "e3", "e7"]


def test_csv_cells_are_not_formulas(client):
    http, _ = client
    row = next(r for r in rows(http.get("/download/events.csv")) if r["event_id"] == "e7")
    assert row["source_text"] == "'=HYPERLINK(\"http://evil.example\")" and row["goldstein"] == "-2.0"
    api_row = next(r for r in rows(http.get("/api/events", params={"format": "csv"})) if r["event_id"] == "e7")
    assert api_row["sentence"].startswith("'=HYPERLINK")


def test_reactions_evidence_places_series_and_network_are_the_pages_rows(client):
    http, engine = client
    flt = EventFilter(target="AZE", min_confidence=DEFAULT_MIN_CONFIDENCE)
    cells = rows(http.get("/download/reactions.csv", params={"target": "AZE"}))
    page = crisis.reactions(engine, flt)
    assert [(r["source"], r["event_type"], int(r["events"])) for r in cells] == \
        [(r["source"], r["event_type"], r["events"]) for r in page]
    assert ("TUR", "SUPPORT") in {(r["source"], r["event_type"]) for r in cells}
    evidence = http.get("/download/evidence.json", params={"target": "AZE"}).json()["rows"]
    listed = analysis.event_page(engine, EventFilter(target="AZE", min_confidence=DEFAULT_MIN_CONFIDENCE, unit="event"),
                                 40, sort="-date").records  # what the page lists, newest first
    assert [r["event_id"] for r in evidence] == [r["event_id"] for r in listed] and len(listed) == 5
    places = rows(http.get("/download/places.csv", params={"min_confidence": 0}))
    assert [(p["name"], p["precision"], int(p["events"])) for p in places] == \
        [(p["name"], p["precision"], p["events"]) for p in crisis.located(engine, EventFilter(), 1000)]
    series = http.get("/download/timeseries.csv", params={"interval": "day"})
    assert series.headers["content-disposition"] == 'attachment; filename="tacitus-timeseries-interval-day-min_confidence-0.5.csv"'
    expected = analysis.time_series(engine, EventFilter(min_confidence=DEFAULT_MIN_CONFIDENCE), "day")
    assert [(r["period"], int(r["quad_class"]), int(r["events"])) for r in rows(series)] == \
        [(r["period"], r["quad_class"], r["events"]) for r in expected]
    dyads = rows(http.get("/download/dyads.csv", params={"min_confidence": 0}))
    assert [(d["source"], d["target"], int(d["weight"])) for d in dyads] == \
        [(d["source"], d["target"], d["weight"]) for d in analysis.top_dyads(engine, EventFilter(min_confidence=0), 12)]
    graph = analysis.network(engine, EventFilter(actor="AZE", min_confidence=DEFAULT_MIN_CONFIDENCE), 60)
    edges = rows(http.get("/download/network.csv", params={"target": "AZE"}))
    assert [(e["source"], e["target"], int(e["weight"])) for e in edges] == \
        [(e["source"], e["target"], e["weight"]) for e in graph["edges"]]


def test_network_gexf_is_read_by_networkx(client, tmp_path):
    http, engine = client
    response = http.get("/download/network.gexf", params={"target": "AZE", "min_confidence": 0})
    assert response.headers["content-type"].startswith("application/gexf+xml")
    path = tmp_path / "network.gexf"
    path.write_bytes(response.content)
    graph = nx.read_gexf(path)
    assert graph.is_directed()
    assert graph.nodes["DEU"]["label"] == "Germany" and graph.nodes["AZE"]["events"] >= 5
    assert graph.edges["DEU", "AZE"]["weight"] == 2 and graph.edges["TUR", "AZE"]["tone"] == "cooperation"


def test_unknown_views_and_formats_say_what_exists(client):
    http, _ = client
    missing = http.get("/download/matrix.csv")
    assert missing.status_code == 404 and "events.csv" in missing.text
    assert http.get("/download/events.gexf").status_code == 422
    assert http.get("/download/network.gexf", params={"tagret": "AZE"}).status_code == 422


def test_csv_is_streamed_a_chunk_at_a_time():
    consumed = []

    def rows_made():
        for n in range(1200):
            consumed.append(n)
            yield {"n": n, "text": "-1"}

    chunks = csv_stream(rows_made(), ("n", "text"), batch=500)
    first = next(chunks)
    assert first.startswith("n,text") and len(consumed) == 500  # nothing read ahead of the first chunk
    rest = list(chunks)
    assert len(rest) == 2 and "'-1" in rest[-1]


def test_all_events_walks_keyset_pages(client):
    _, engine = client
    for sort in ("date", "-date", "-confidence"):
        whole = analysis.event_page(engine, EventFilter(), 1000, sort=sort).records
        assert [r["event_id"] for r in analysis.all_events(engine, EventFilter(), sort, page_size=2)] == \
            [r["event_id"] for r in whole]


# The API's format=csv over the real server and the web store: the same rows as its JSON.

@pytest.fixture(scope="module")
def api(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as http:
        yield http


def test_api_csv_of_events_is_every_page_of_its_json(api):
    ids, cursor = [], None
    while True:
        body = api.get("/api/events", params={"target": "AZE", "limit": 3} | ({"cursor": cursor} if cursor else {})).json()
        ids += [e["event_id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    response = api.get("/api/events", params={"target": "AZE", "limit": 3, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert [r["event_id"] for r in rows(response)] == ids and len(ids) > 3


def test_api_csv_of_aggregates_equals_their_json(api):
    reactions = api.get("/api/reactions", params={"target": "AZE"}).json()["reactions"]
    flat = rows(api.get("/api/reactions", params={"target": "AZE", "format": "csv"}))
    assert [(r["source"], r["event_type"], int(r["events"]), r["places"]) for r in flat] == \
        [(r["source"] or "", r["event_type"], r["events"], "; ".join(r["places"])) for r in reactions]
    series = api.get("/api/timeseries", params={"actor": "AZE", "interval": "week"}).json()["series"]
    assert [(r["period"], int(r["events"])) for r in rows(api.get("/api/timeseries", params={
        "actor": "AZE", "interval": "week", "format": "csv"}))] == [(r["period"], r["events"]) for r in series]
    features = api.get("/api/places").json()["features"]
    assert [(p["name"], int(p["events"])) for p in rows(api.get("/api/places", params={"format": "csv"}))] == \
        [(f["properties"]["name"], f["properties"]["events"]) for f in features]
    network = api.get("/api/network", params={"actor": "AZE"}).json()
    gexf = api.get("/api/network", params={"actor": "AZE", "format": "gexf"})
    graph = nx.parse_gexf(gexf.text) if hasattr(nx, "parse_gexf") else nx.read_gexf(io.BytesIO(gexf.content))
    assert {(s, t, d["weight"]) for s, t, d in graph.edges(data=True)} == \
        {(e["source"], e["target"], e["weight"]) for e in network["edges"]}
    assert json.loads(api.get("/download/network.json", params={"target": "AZE"}).text)["nodes"]
