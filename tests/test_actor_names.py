"""Actors by name (issue 20): names and aliases find their actor in the API and the dashboard, an unknown name
suggests the nearest known ones, an unknown event type is an error; codes work as before."""

from __future__ import annotations

import html
from dataclasses import replace

import httpx
import pytest

from tacitus.models import Actor, Article
from tacitus.store import open_store
from tacitus.store.loader import Loader
from tacitus.web.actor_names import UnknownActor, resolve_actor, suggestions
from test_downloads import event


@pytest.mark.parametrize(("name", "code"), [
    ("Blinken", "USAGOV"), ("Antony Blinken", "USAGOV"), ("Azerbaijan", "AZE"), ("azerbaijan", "AZE"),
    ("Islamic State", "IMGMOSISI"), ("Turkish government", "TURGOV"), ("the government of Turkey", "TURGOV"),
    ("EU", "IGOEUREEC"), ("NATO", "IGOWSTNAT"), ("Yerevan", "ARMGOV"), ("Pashinyan", "ARMGOV"),
    # codes as before: as written, upper-cased; an unknown code simply matches nothing
    ("AZE", "AZE"), ("aze", "AZE"), ("USAGOV", "USAGOV"), ("usagov", "USAGOV"), ("IGOEUREEC", "IGOEUREEC"),
    ("XYZGOV", "XYZGOV"),
])
def test_names_aliases_and_codes(name, code):
    assert resolve_actor(None, name) == code


def test_an_unknown_name_suggests_the_nearest():
    with pytest.raises(UnknownActor) as caught:
        resolve_actor(None, "Blinkn")
    assert str(caught.value).startswith("no actor named 'Blinkn'; did you mean Blinken (USAGOV)? Or give a country's three letters")
    assert ("Azerbaijan", "AZE") in suggestions(None, "Azerbajan")


def test_a_name_only_the_store_knows(db):
    """An actor coded from a user dictionary at ingest time is found by its stored name."""
    engine = open_store(db)
    stored = event(1, "AZE", "ARM", "ASSAULT", 4, -10.0)
    militia = Actor(text="the Zangezur Brigade", start=0, end=20, name="Zangezur Brigade", code="ARMREBZNG",
                    country="ARM", sector="REB")
    Loader(engine).write_batch([(Article(text=stored.sentence, id="a1"), [replace(stored, source=militia)])])
    assert resolve_actor(engine, "Zangezur Brigade") == "ARMREBZNG"
    assert resolve_actor(engine, "zangezur brigade") == "ARMREBZNG"
    with pytest.raises(UnknownActor, match="Zangezur Brigade"):
        resolve_actor(engine, "Zangezur Brigad")
    engine.dispose()


@pytest.fixture(scope="module")
def api(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


def test_api_filters_take_names(api):
    by_code = api.get("/api/events", params={"target": "AZE", "limit": 1000}).json()["events"]
    by_name = api.get("/api/events", params={"target": "Azerbaijan", "limit": 1000}).json()["events"]
    assert by_code and [e["event_id"] for e in by_name] == [e["event_id"] for e in by_code]
    blinken = api.get("/api/events", params={"source": "Blinken", "limit": 1000}).json()["events"]
    assert [e["event_id"] for e in blinken] == [e["event_id"] for e in api.get(
        "/api/events", params={"source": "USAGOV", "limit": 1000}).json()["events"]]
    reactions = api.get("/api/reactions", params={"target": "Azerbaijan"}).json()
    assert reactions["target"] == "AZE" and reactions["reactions"]


def test_api_unknown_name_is_422_with_suggestions(api):
    response = api.get("/api/events", params={"source": "Blinkn"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("no actor named 'Blinkn'; did you mean Blinken (USAGOV)? Or give a country's three letters")
    assert response.json()["field"] == "source"
    assert api.get("/api/reactions", params={"target": "Azerbajan"}).json()["field"] == "target"


def test_api_unknown_type_is_422_naming_the_types(api):
    response = api.get("/api/events", params={"type": "CONDEMNN"})
    assert response.status_code == 422 and response.json()["field"] == "type"
    assert "CONDEMNN" in response.json()["message"] and "ACCUSE" in response.json()["message"]


def test_actor_search_by_name_and_alias(api):
    found = api.get("/api/actors", params={"q": "Blinken"}).json()
    assert found["resolved"] == "USAGOV" and "USAGOV" in {a["code"] for a in found["actors"]}
    assert "TUR" in {a["code"] for a in api.get("/api/actors", params={"q": "Turkey"}).json()["actors"]}
    assert "AZE" in {a["code"] for a in api.get("/api/actors", params={"q": "AZE"}).json()["actors"]}
    nothing = api.get("/api/actors", params={"q": "Blinkn"}).json()
    assert nothing["actors"] == [] and {"name": "Blinken", "code": "USAGOV"} in nothing["suggestions"]


def test_dashboard_forms_take_names_and_show_the_message(api):
    page = api.get("/events", params={"target": "Azerbaijan"})
    assert page.status_code == 200
    error = api.get("/events", params={"source": "Blinkn"})
    assert error.status_code == 422
    assert "no actor named 'Blinkn'; did you mean Blinken (USAGOV)?" in html.unescape(error.text)
    assert "CONDEMNN" in html.unescape(api.get("/events", params={"type": "CONDEMNN"}).text)

