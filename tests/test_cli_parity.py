"""CLI parity (issue 20): `tacitus reactions --format table|csv|jsonl` with the events' places, and `query` and
`export` with the dashboard's confidence threshold by default (`--min-confidence 0`: every event); `reactions`
keeps its default (every event) and takes the threshold when asked."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from tacitus.cli import main
from tacitus.store import open_store
from tacitus.store.queries import DEFAULT_MIN_CONFIDENCE, reactions
from test_downloads import EVENTS, fill


@pytest.fixture
def store(db):
    engine = open_store(db)
    fill(engine)
    yield db, engine
    engine.dispose()


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_reactions_in_three_formats_with_places(store):
    db, engine = store
    expected = reactions(engine, "AZE")
    table = run("reactions", "AZE", "--db", db)
    assert "places" in table.splitlines()[0]
    french = next(line for line in table.splitlines() if line.startswith("FRA"))
    assert "Yerevan" in french  # where France's accusation was reported from
    rows = list(csv.DictReader(io.StringIO(run("reactions", "AZE", "--db", db, "--format", "csv"))))
    assert [(r["source"], r["event_type"], int(r["events"]), r["places"]) for r in rows] == \
        [(r["source"], r["event_type"], r["events"], "; ".join(r["places"])) for r in expected]
    lines = [json.loads(line) for line in run("reactions", "Azerbaijan", "--db", db, "--format", "jsonl").splitlines()]
    assert [(r["source"], r["event_type"], r["places"]) for r in lines] == \
        [(r["source"], r["event_type"], r["places"]) for r in expected]
    assert next(r for r in lines if r["source"] == "DEU")["events"] == 2  # every event, as before
    confident = [json.loads(x) for x in run("reactions", "AZE", "--db", db, "--format", "jsonl", "--min-confidence",
                                            str(DEFAULT_MIN_CONFIDENCE)).splitlines()]
    assert next(r for r in confident if r["source"] == "DEU")["events"] == 1  # the dashboard's matrix


def test_query_and_export_apply_the_dashboards_threshold(store, tmp_path):
    db, _ = store
    confident = {e.event_id for e in EVENTS if e.confidence >= DEFAULT_MIN_CONFIDENCE}
    listed = {json.loads(line)["event_id"] for line in run("query", "--db", db, "--format", "jsonl").splitlines()}
    assert listed == confident and len(listed) < len(EVENTS)
    every = {json.loads(line)["event_id"] for line in run("query", "--db", db, "--format", "jsonl",
                                                          "--min-confidence", "0").splitlines()}
    assert every == {e.event_id for e in EVENTS}
    output = tmp_path / "events.csv"
    run("export", "--db", db, "--format", "csv", "--output", str(output))
    assert {r["event_id"] for r in csv.DictReader(output.open(encoding="utf-8"))} == confident
    run("export", "--db", db, "--format", "csv", "--output", str(output), "--min-confidence", "0")
    assert {r["event_id"] for r in csv.DictReader(output.open(encoding="utf-8"))} == every
    assert f"default: {DEFAULT_MIN_CONFIDENCE}" in run("query", "--help")


def test_query_takes_actor_names(store):
    db, _ = store
    by_name = run("query", "--db", db, "--format", "jsonl", "--target", "Azerbaijan")
    assert by_name == run("query", "--db", db, "--format", "jsonl", "--target", "AZE") and by_name
    result = CliRunner().invoke(main, ["query", "--db", db, "--source", "Blinkn"])
    assert result.exit_code != 0 and "did you mean Blinken (USAGOV)?" in result.output
