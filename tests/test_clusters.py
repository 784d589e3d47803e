"""An event is an event, not a mention: an article and three near-copies count each event once.

The seed article is stored, every aggregate is read, then three near-copies of it are stored
(as syndication makes them: the same text with a line of boilerplate); every aggregate must count the
same events, with four times the mentions beside them, on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from tacitus.cli import main
from tacitus.models import Article
from tacitus.store import EventFilter, articles, clusters, events, open_store, reactions
from tacitus.store.export import export
from tacitus.store.loader import Loader
from tacitus.store.views import actor_detail, event_detail, event_page, network, places, time_series
from tacitus.web.api import create_app

PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
DAY = dt.date(2023, 9, 19)
WINDOW = {"from": "2000-01-01", "to": "2023-12-31"}
BOILERPLATE = ["Copyright Wire B. All rights reserved.", "This article was syndicated by a partner. Subscribe for more news.",
               "Reporting by Wire D; editing by the news desk."]
COPIES = len(BOILERPLATE) + 1


@pytest.fixture(scope="module")
def coded(pipeline, seed_text) -> list[tuple[Article, list]]:
    """The seed article (from Wire A, with a URL) and three near-copies from other wires, coded once."""
    items = [Article(text=seed_text, id="original", url="https://wire-a.example/karabakh", source="Wire A", date=DAY,
                     title="Azerbaijan launches offensive")]
    for n, line in enumerate(BOILERPLATE):
        items.append(Article(text=f"{seed_text}\n\n{line}", id=f"copy-{n}", source=f"Wire {'BCD'[n]}", date=DAY,
                             url=None if n == 1 else f"https://wire-{'bcd'[n]}.example/story", title="Azerbaijan offensive"))
    pairs = list(pipeline.extract_articles(items))

    def signature(found: list) -> list[str]:
        return sorted(f"{e.event_type} {e.source and e.source.code} {e.target and e.target.code} {e.polarity}" for e in found)

    assert pairs[0][1] and all(signature(found) == signature(pairs[0][1]) for _, found in pairs), \
        "the copies must code as the original"
    return pairs


def gdelt_rows(engine, path) -> dict[str, tuple[int, int, int, str]]:
    export(engine, "gdelt", path)
    with path.open(encoding="utf-8") as handle:
        return {r[0]: (int(r[31]), int(r[32]), int(r[33]), r[60]) for r in csv.reader(handle, delimiter="\t")}


def dashboard_numbers(client: TestClient) -> dict[str, list[str]]:
    """The numbers a reader sees: the reactions matrix, the top dyads and the map's table."""
    count = re.compile(r'<a class="count" href="[^"]*"[^>]*>(\d+)</a>')
    return {page: count.findall(client.get(page, params=WINDOW | extra).text)
            for page, extra in (("/reactions", {"target": "AZE"}), ("/", {}), ("/map", {}))}


def picture(engine, tmp_path, name: str) -> dict[str, dict]:
    """Every aggregate as {key: (events, mentions)}; the GDELT export as {id: (NumMentions, NumSources, NumArticles, url)}."""
    target = actor_detail(engine, "AZE")
    with TestClient(create_app(engine=engine)) as client:
        numbers = dashboard_numbers(client)
        api = client.get("/api/reactions", params={"target": "AZE"}).json()["reactions"]
    return {
        "reactions": {(r["source"], r["event_type"]): (r["events"], r["mentions"]) for r in reactions(engine, "AZE")},
        "api": {(r["source"], r["event_type"]): (r["events"], r["mentions"]) for r in api},
        "series": {(r["period"], r["quad_class"]): (r["events"], r["mentions"])
                   for r in time_series(engine, EventFilter(actor="AZE"), "week")},
        "network": {(e["source"], e["target"]): (e["weight"], e["mentions"]) for e in network(engine, EventFilter())["edges"]},
        "places": {f["properties"]["name"]: (f["properties"]["events"], f["properties"]["mentions"])
                   for f in places(engine, EventFilter())["features"]},
        "actor": {kind: (n, target["mentions_as_target"][kind]) for kind, n in target["as_target"].items()},
        "gdelt": gdelt_rows(engine, tmp_path / f"{name}.tsv"),
        "dashboard": numbers,
    }


def test_near_copies_never_add_to_an_event_count(db, coded, tmp_path):
    engine = open_store(db)
    loader = Loader(engine)
    loader.write_batch(coded[:1])
    before = picture(engine, tmp_path, "before")
    loader.write_batch(coded[1:])
    after = picture(engine, tmp_path, "after")
    assert loader.stats.duplicates == COPIES - 1  # every copy was recognised as one
    for view in ("reactions", "api", "series", "network", "places", "actor"):
        assert before[view] and set(after[view]) == set(before[view]), view
        for key, (n, mentions) in before[view].items():
            assert after[view][key] == (n, COPIES * mentions), (view, key)
    assert after["dashboard"] == before["dashboard"] and all(after["dashboard"].values())
    # the GDELT table: the same events (ids), each with four times its mentions, in four articles from one source
    assert set(after["gdelt"]) == set(before["gdelt"])
    for event_id, (mentions, sources, articles_, url) in after["gdelt"].items():
        assert (mentions, sources, articles_) == (COPIES * before["gdelt"][event_id][0], 1, COPIES)
        assert url == "https://wire-a.example/karabakh"  # the best mention is the original's
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(clusters.c.status, func.count()).group_by(clusters.c.status)).all())
    assert len(after["gdelt"]) == statuses["affirmed"]  # denied and hypothetical events are not exported
    engine.dispose()


def test_the_command_and_the_event_pages(db, coded):
    engine = open_store(db)
    Loader(engine).write_batch(coded)
    output = CliRunner().invoke(main, ["reactions", "AZE", "--db", db]).output
    lines = {tuple(line.split()[:2]): line.split()[2:4] for line in output.splitlines()[1:]}
    expected = {(r["source"] or r["source_country"] or "?", r["event_type"]): [str(r["events"]), str(r["mentions"])]
                for r in reactions(engine, "AZE")}  # an unknown doer shows as "?"
    assert lines == expected and all(int(events_) * COPIES <= int(mentions) for events_, mentions in lines.values())
    # the events behind a count are one row per event; every mention is one click away, on the event's page
    flt = EventFilter(target="AZE", polarity="affirmed")
    one_per_event = event_page(engine, replace(flt, unit="event"), 1000).records
    assert len(one_per_event) == sum(r["events"] for r in reactions(engine, "AZE"))
    every_mention = event_page(engine, flt, 1000).records
    assert len(every_mention) == sum(r["num_mentions"] for r in one_per_event) >= COPIES * len(one_per_event)
    detail = event_detail(engine, one_per_event[0]["event_id"])
    assert len(detail["mentions"]) == detail["cluster"]["num_mentions"] == one_per_event[0]["num_mentions"]
    assert len({m["article_id"] for m in detail["mentions"]}) == COPIES
    # a denial in four copies is one denied event, reported four times
    with engine.connect() as conn:
        denied = conn.execute(select(clusters.c.num_mentions).where(clusters.c.status == "negated")).scalars().all()
        unclustered = conn.execute(select(func.count()).select_from(events).where(events.c.cluster_id.is_(None))).scalar_one()
    assert unclustered == 0
    assert denied and all(n % COPIES == 0 for n in denied)
    engine.dispose()


def test_migration_clusters_an_older_store(db, pipeline):
    """A store as revision 0005 left it (denials without clusters, no status, no best mention) is brought up."""
    texts = ["Germany condemned Azerbaijan on Tuesday. Armenia denied deploying troops to Nagorno-Karabakh.",
             "Germany condemned Azerbaijan on Tuesday, officials said. Armenia denied deploying troops to Nagorno-Karabakh."]
    engine = open_store(db)
    Loader(engine).write_batch(list(pipeline.extract_articles([Article(text=t, id=f"a{n}", date=DAY)
                                                                for n, t in enumerate(texts)])))
    expected = reactions(engine, "AZE")
    with engine.begin() as conn:
        conn.execute(text("UPDATE events SET cluster_id = NULL WHERE polarity = 'negated'"))
        conn.execute(text("DELETE FROM clusters WHERE status = 'negated'"))
        conn.execute(text("ALTER TABLE clusters DROP COLUMN best_event"))
        conn.execute(text("ALTER TABLE clusters DROP COLUMN status"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    engine.dispose()
    engine = open_store(db)
    with engine.connect() as conn:
        rows = conn.execute(select(clusters.c.status, clusters.c.best_event, clusters.c.num_mentions)).all()
        unclustered = conn.execute(select(func.count()).select_from(events).where(events.c.cluster_id.is_(None))).scalar_one()
        stored = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    assert stored == 2 and unclustered == 0
    assert {status for status, _, _ in rows} == {"affirmed", "negated"} and all(best for _, best, _ in rows)
    assert ("negated", 2) in {(status, n) for status, _, n in rows}
    assert reactions(engine, "AZE") == expected
    engine.dispose()
