"""The store on real SQLite files and a real PostgreSQL server: ingest, dedup, clusters, query, export."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from tacitus.cli import main
from tacitus.models import Article
from tacitus.store import (
    EventFilter,
    articles,
    clusters,
    counts,
    events_frame,
    lsh_buckets,
    open_store,
    query_events,
)
from tacitus.store.dedup import BANDS
from tacitus.store.export import GDELT_COLUMNS, export
from tacitus.store.loader import Loader

PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
REPORT_A = ("Germany condemned the attack by Azerbaijan on Nagorno-Karabakh on Tuesday. "
            "Turkey praised Azerbaijan. Protesters rallied in Yerevan on Tuesday.")
REPORT_B = "France on Tuesday condemned Azerbaijan's offensive. Germany condemned the Azerbaijani attack on Tuesday."


def write_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT_A, encoding="utf-8")
    records = [{"id": "b", "text": REPORT_B, "url": "https://example.org/b", "source": "Wire B", "date": "2023-09-19"}]
    (folder / "b.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (folder / "c.csv").write_text('id,text,date,source\nc,"Russia condemned Azerbaijan on Tuesday.",2023-09-19,Wire C\n',
                                  encoding="utf-8")
    (folder / "d.html").write_text(
        "<html><head><title>Crisis</title></head><body><article><h1>Crisis deepens</h1>"
        "<p>Canada condemned the Azerbaijani offensive in Nagorno-Karabakh on Tuesday, the foreign ministry said.</p>"
        "<p>Iran urged both sides to show restraint and called for talks between Armenia and Azerbaijan.</p>"
        "</article></body></html>", encoding="utf-8")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire E</title>'
        "<item><title>Japan urges calm</title><link>https://example.org/e1</link>"
        "<description>Japan urged Azerbaijan and Armenia to resume talks.</description>"
        "<pubDate>Tue, 19 Sep 2023 10:00:00 GMT</pubDate></item></channel></rss>", encoding="utf-8")
    return folder


def run_ingest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tacitus.cli", "ingest", *args], capture_output=True, text=True, timeout=600)


def test_ingest_twice_changes_nothing(db, tmp_path):
    folder = write_folder(tmp_path / "news")
    first = run_ingest(str(folder), "--db", db, "--date", "2023-09-19")
    assert first.returncode == 0, first.stderr
    engine = open_store(db)
    before = counts(engine)
    assert before["articles"] == 5 and before["events"] > 5 and before["clusters"] > 0
    second = run_ingest(str(folder), "--db", db, "--date", "2023-09-19")
    assert second.returncode == 0 and "5 already stored" in second.stdout
    assert counts(engine) == before
    sources = {e.source.key for e in query_events(engine, EventFilter(target="AZE", event_type="ACCUSE"))}
    assert {"DEU", "FRA", "RUS", "CAN"} <= sources


def test_edited_article_replaces_its_events(db, tmp_path):
    engine = open_store(db)
    from tacitus.coding.pipeline import default_pipeline

    pipeline = default_pipeline()
    loader = Loader(engine)
    original = Article(text="Germany condemned Azerbaijan on Tuesday.", id="x", url="https://example.org/x",
                       date=__import__("datetime").date(2023, 9, 19))
    for article, coded in pipeline.extract_articles([original]):
        loader.write(article, coded)
    edited = Article(text="Germany praised Azerbaijan on Tuesday.", id="x", url="https://example.org/x", date=original.date)
    for article, coded in pipeline.extract_articles([edited]):
        loader.write(article, coded)
    stored = list(query_events(engine))
    assert [e.event_type for e in stored] == ["SUPPORT"]
    assert counts(engine)["articles"] == 1 and loader.stats.replaced == 1
    with engine.connect() as conn:
        assert conn.execute(select(clusters.c.event_type)).scalars().all() == ["SUPPORT"]


def test_clusters_count_mentions_articles_and_independent_sources(db):
    import datetime as dt

    from tacitus.coding.pipeline import default_pipeline

    engine = open_store(db)
    loader = Loader(engine)
    day = dt.date(2023, 9, 19)
    base = ("Germany condemned the attack by Azerbaijan against Nagorno-Karabakh on Tuesday. "
            "The German chancellor spoke with the Armenian prime minister and pledged humanitarian aid to Armenia. "
            "Officials in Berlin said the fighting had displaced thousands of civilians in the region.")
    items = [
        Article(text=base, id="one", source="Wire One", date=day),
        Article(text="On Tuesday Germany condemned Azerbaijan over its offensive, Berlin said.", id="two", source="Wire Two", date=day),
        Article(text=base + " Copyright Wire Three. All rights reserved.", id="three", source="Wire Three", date=day),
    ]
    for article, coded in default_pipeline().extract_articles(items):
        loader.write(article, coded)
    with engine.connect() as conn:
        copy = conn.execute(select(articles.c.duplicate_of).where(articles.c.article_id == "three")).scalar_one()
        first = conn.execute(select(articles.c.id).where(articles.c.article_id == "one")).scalar_one()
        assert copy == first
        row = conn.execute(select(clusters).where(clusters.c.source_country == "DEU", clusters.c.event_type == "ACCUSE",
                                                  clusters.c.target_country == "AZE")).one()
    assert (row.num_mentions, row.num_articles, row.num_sources) == (3, 3, 2)
    assert row.first_seen == day and row.last_seen == day


def test_exports_are_read_by_the_tools_users_use(db, tmp_path):
    import networkx as nx
    import pandas as pd

    folder = write_folder(tmp_path / "news")
    assert run_ingest(str(folder), "--db", db, "--date", "2023-09-19").returncode == 0
    engine = open_store(db)
    total = counts(engine)["events"]
    out = tmp_path / "out"
    out.mkdir()
    assert export(engine, "csv", out / "e.csv") == total
    assert len(pd.read_csv(out / "e.csv")) == total
    export(engine, "parquet", out / "e.parquet")
    frame = pd.read_parquet(out / "e.parquet")
    assert len(frame) == total and frame["cameo"].map(type).eq(str).all()
    export(engine, "gdelt", out / "e.tsv")
    with (out / "e.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    with engine.connect() as conn:  # one row per event (cluster) that GDELT would call one: not denied, not hypothetical
        events_ = conn.execute(select(func.count()).select_from(clusters).where(clusters.c.status == "affirmed")).scalar_one()
    assert len(rows) == events_ and all(len(r) == len(GDELT_COLUMNS) == 61 for r in rows)
    assert all(r[26] == r[26].strip() and len(r[26]) >= 3 for r in rows)  # EventCode kept as a string
    export(engine, "geojson", out / "e.geojson")
    collection = json.loads((out / "e.geojson").read_text())
    assert collection["type"] == "FeatureCollection" and collection["features"]
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])
    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        export(engine, fmt, out / f"net.{fmt}")
        graph = reader(out / f"net.{fmt}")
        assert graph.number_of_edges() > 0
        assert all(float(d["weight"]) >= 1 for _, _, d in graph.edges(data=True))
    export(engine, "plover", out / "p.jsonl")
    first = json.loads((out / "p.jsonl").read_text().splitlines()[0])
    assert {"source", "recipient", "event", "mode", "context", "date", "date_precision", "text_info"} <= set(first)
    export(engine, "jsonl", out / "e.jsonl")
    assert len((out / "e.jsonl").read_text().splitlines()) == total
    frame = events_frame(engine, target="AZE")
    assert len(frame) and set(frame["target_country"]) == {"AZE"}


def test_query_and_reactions_commands(tmp_path):
    db = str(tmp_path / "q.db")
    folder = write_folder(tmp_path / "news")
    assert run_ingest(str(folder), "--db", db, "--date", "2023-09-19").returncode == 0
    runner = CliRunner()
    result = runner.invoke(main, ["query", "--db", db, "--target", "AZE", "--type", "accuse", "--format", "jsonl"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(r["target"]["country"] == "AZE" and r["event_type"] == "ACCUSE" for r in records)
    injected = runner.invoke(main, ["query", "--db", db, "--text", "'; DROP TABLE events; --", "--format", "jsonl"])
    assert injected.exit_code == 0 and injected.stdout == ""
    assert counts(open_store(db))["events"] > 0
    table = runner.invoke(main, ["reactions", "AZE", "--db", db, "--from", "2023-09-01", "--to", "2023-09-30"])
    assert "ACCUSE" in table.stdout and "DEU" in table.stdout


def test_malformed_file_is_reported_and_skipped(tmp_path):
    folder = write_folder(tmp_path / "news")
    (folder / "broken.jsonl").write_text('{"text": "Germany condemned Azerbaijan."\n', encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    result = run_ingest(str(folder), "--db", str(tmp_path / "m.db"), "--date", "2023-09-19")
    assert result.returncode == 3
    assert "broken.jsonl:1" in result.stderr and "binary.txt" in result.stderr
    assert counts(open_store(str(tmp_path / "m.db")))["articles"] == 5


def _corpus(seed: int = 11):
    """Originals, their rewrites (reordered, reworded, boilerplate) and same-topic articles."""
    rng = random.Random(seed)
    actors = ["Armenia", "Azerbaijan", "Russia", "Turkey", "France", "the European Union", "Iran", "Georgia"]
    verbs = ["condemned", "criticised", "welcomed", "rejected", "discussed", "questioned", "supported", "denounced"]
    things = ["the ceasefire proposal", "the humanitarian corridor", "the border talks", "the prisoner exchange",
              "the peace plan", "the military operation", "the sanctions package", "the mediation effort"]
    tails = ["on Tuesday", "in a statement", "after a meeting in Brussels", "according to officials",
             "during a press conference", "in a televised address", "late on Monday", "without giving details"]
    originals = []
    for _ in range(30):
        sentences = [f"{rng.choice(actors)} {rng.choice(verbs)} {rng.choice(things)} {rng.choice(tails)}, "
                     f"{rng.choice(['and', 'while', 'as'])} {rng.choice(actors)} {rng.choice(verbs)} {rng.choice(things)}."
                     for _ in range(14)]
        originals.append(sentences)
    rewrites = []
    for sentences in originals:
        copy = sentences[:]
        rng.shuffle(copy)
        words = " ".join(copy).split()
        for i in rng.sample(range(len(words)), len(words) // 12):
            words[i] = rng.choice(["reportedly", "officials", "said", "also", "again"])
        rewrites.append(" ".join(words) + " This article was syndicated by a partner. Subscribe for more news.")
    unrelated = [" ".join(f"{rng.choice(actors)} {rng.choice(verbs)} {rng.choice(things)} {rng.choice(tails)}."
                          for _ in range(16)) for _ in range(30)]
    return [" ".join(s) for s in originals], rewrites, unrelated


def _stored(loader: Loader, texts: list[str], prefix: str, day) -> None:
    loader.write_batch([(Article(text=text_, id=f"{prefix}{n}", date=day), []) for n, text_ in enumerate(texts)])


def _links(engine) -> dict[str, str | None]:
    """article id -> article id of its original (None for an original)."""
    with engine.connect() as conn:
        ids = dict(conn.execute(select(articles.c.id, articles.c.article_id)).all())
        return {ids[pk]: ids.get(original) for pk, original in conn.execute(select(articles.c.id, articles.c.duplicate_of))}


def test_near_duplicates_are_separated(db):
    import datetime as dt

    originals, rewrites, unrelated = _corpus()
    engine = open_store(db)
    loader = Loader(engine)
    day = dt.date(2023, 9, 19)
    _stored(loader, originals, "original-", day)
    _stored(loader, rewrites, "rewrite-", day + dt.timedelta(days=3))
    _stored(loader, unrelated, "unrelated-", day)
    _stored(loader, [f"{text_} Reprinted." for text_ in rewrites[:5]], "late-copy-", day + dt.timedelta(days=30))  # out of the window
    links = _links(engine)
    found = [links[f"rewrite-{n}"] for n in range(len(rewrites))]
    true_pos = sum(1 for n, original in enumerate(found) if original == f"original-{n}")
    false_pos = sum(1 for n, original in enumerate(found) if original not in (None, f"original-{n}"))
    false_pos += sum(1 for n in range(len(unrelated)) if links[f"unrelated-{n}"] is not None)
    precision = true_pos / max(true_pos + false_pos, 1)
    recall = true_pos / len(rewrites)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert all(links[f"late-copy-{n}"] is None for n in range(5))


def test_near_duplicates_are_found_across_loaders_and_after_a_delete(db):
    """The index is the store's: a server's loader sees what an ingest in another process stored."""
    import datetime as dt

    originals, rewrites, _ = _corpus()
    engine = open_store(db)
    day = dt.date(2023, 9, 19)
    server, ingest_run = Loader(engine), Loader(engine)
    _stored(server, [originals[0]], "first-", day)
    _stored(ingest_run, [originals[1]], "original-", day)
    _stored(server, [rewrites[1]], "copy-", day)
    assert _links(engine)["copy-0"] == "original-0"
    assert server.delete("original-0")
    _stored(server, [rewrites[1] + " Updated."], "second-copy-", day)
    assert _links(engine)["second-copy-0"] == "copy-0"
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(lsh_buckets)).scalar_one()
    # originals only: first, and the copy that became an original when its original was deleted (the second copy
    # is a copy); the deleted original left none behind
    assert stored == 2 * BANDS


def test_migration_indexes_the_signatures_of_an_older_store(db):
    import datetime as dt

    from sqlalchemy import text

    originals, rewrites, _ = _corpus()
    engine = open_store(db)
    day = dt.date(2023, 9, 19)
    _stored(Loader(engine), originals[:3], "original-", day)
    with engine.begin() as conn:  # the store as revision 0004 left it: signatures without buckets
        conn.execute(text("DROP TABLE lsh_buckets"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    engine.dispose()
    engine = open_store(db)
    _stored(Loader(engine), [rewrites[2]], "copy-", day)
    assert _links(engine)["copy-0"] == "original-2"


def test_feed_entries_with_long_ids_and_url_origins_are_stored(db):
    """A feed entry's id may be a long URL: it is stored within the column and unique; progress keeps the URL whole."""
    from tacitus.store import progress

    engine = open_store(db)
    long_id = "https://example.org/news/" + "very-long-slug-" * 30
    entries = [Article(text=text_, id=long_id + suffix, origin=f"https://example.org/feed.xml#entry{n}")
               for n, (text_, suffix) in enumerate([(REPORT_A, "a"), (REPORT_B, "b")])]
    Loader(engine).write_batch([(article, []) for article in entries])
    with engine.connect() as conn:
        stored = sorted(conn.execute(select(articles.c.article_id)).scalars())
        sources = dict(conn.execute(select(progress.c.source, progress.c.articles)).all())
    assert len(stored) == 2 and len(set(stored)) == 2 and all(len(id_) <= 200 for id_ in stored)
    assert all(id_.startswith("https://example.org/news/") for id_ in stored)
    assert sources == {"https://example.org/feed.xml": 2}
