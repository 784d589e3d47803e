"""Kill a real ingest with SIGKILL at several points, run it again: the store is exactly an uninterrupted run's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import create_engine, select, text

from tacitus.knowledge.lexicon import data_file
from tacitus.read.articles import read_articles
from tacitus.store import actors, articles, clusters, events, open_store, progress
from tacitus.store.loader import ingest, normalised_hash

PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
SWAPS = [("Germany", "Poland"), ("Canada", "Japan"), ("Iran", "India"), ("Turkey", "Greece"), ("Russia", "China"),
         ("Niger", "Chad"), ("Mali", "Sudan"), ("France", "Spain"), ("Armenia", "Georgia"), ("Azerbaijan", "Moldova")]


def corpus(path) -> int:
    """Variants of the bundled samples (other countries), with verbatim and reworded copies among them."""
    samples = [json.loads(line) for line in data_file("samples/articles.jsonl").read_text(encoding="utf-8").splitlines()]
    records = []
    for round_ in range(2 * len(SWAPS)):  # enough that a run outlives the last kill point by seconds
        old, new = SWAPS[round_ % len(SWAPS)]
        for sample in samples:
            text = sample["text"].replace(old, new) + f"\n{new} recalled its ambassador for consultations on day {round_}."
            records.append(dict(sample, id=f"{sample['id']}-{round_}", text=text))
    records.append(dict(records[0], id="verbatim-copy"))
    reworded = records[4]["text"].split("\n")
    records.append(dict(records[4], id="rewritten-copy", text="\n".join(reworded[1:] + reworded[:1]).replace("said", "stated")))
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return len({normalised_hash(r["text"]) for r in records})  # verbatim copies are stored once


def snapshot(url: str) -> dict:
    """The store's content, without surrogate keys (PostgreSQL sequences skip numbers after a kill)."""
    engine = open_store(url)
    with engine.connect() as conn:
        by_pk = dict(conn.execute(select(articles.c.id, articles.c.article_id)).all())
        members: dict[int, list[str]] = {}
        for event_id, cluster_id in conn.execute(select(events.c.event_id, events.c.cluster_id)):
            members.setdefault(cluster_id, []).append(event_id)
        result = {
            "articles": sorted((r.article_id, r.text_hash, by_pk.get(r.duplicate_of), round(r.similarity or 0, 6), r.published)
                               for r in conn.execute(select(articles))),
            "events": sorted(((r.event_id, r.article_id, r.event_type, r.source_code, r.target_code, r.date)
                              for r in conn.execute(select(events))), key=repr),
            "clusters": sorted(((r.event_type, r.source_code, r.target_code, r.first_seen, r.last_seen, r.num_mentions,
                                 r.num_articles, r.num_sources, tuple(sorted(members.get(r.id, []))))
                                for r in conn.execute(select(clusters))), key=repr),  # codes may be None (no known doer)
            "actors": sorted(tuple(r) for r in conn.execute(select(actors))),
            "progress": sorted((r.source.rsplit("/", 1)[-1], r.articles) for r in conn.execute(select(progress))),
        }
    engine.dispose()
    return result


def count_articles(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if not os.path.exists(path):
            return 0
        url = f"sqlite:///file:{path}?mode=ro&uri=true"  # never create the file before the ingest does
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except Exception:  # the schema may not exist yet
        return 0
    finally:
        engine.dispose()


def run_ingest(source, url: str, kill_at: int | None, delay: float = 0.0) -> int:
    """Run `tacitus ingest`; with kill_at, SIGKILL it once that many articles are stored (plus delay seconds)."""
    process = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "ingest", str(source), "--db", url,
                                "--batch-size", "3"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_at is None:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
        return process.returncode
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if count_articles(url) >= kill_at:
            time.sleep(delay)
            break
        time.sleep(0.02)
    assert process.poll() is None, f"the run ended before the kill point: {process.stderr.read().decode()[-2000:]}"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return process.returncode



def test_killed_runs_resume_to_the_uninterrupted_store(tmp_path, pipeline, db_pair):
    killed, reference = db_pair
    source = tmp_path / "news.jsonl"
    total = corpus(source)
    engine = open_store(reference)
    for _ in ingest(engine, pipeline, read_articles([str(source)]), batch_size=3):
        pass
    engine.dispose()
    expected = snapshot(reference)
    assert len(expected["articles"]) == total and expected["events"]
    assert any(duplicate for _, _, duplicate, _, _ in expected["articles"])  # the rewritten copy is linked

    kill_points = [(0, 1.5), (2, 0.0), (7, 0.05), (13, 0.0), (19, 0.1)]  # (articles stored, then seconds)
    seen = []
    for kill_at, delay in kill_points:
        assert run_ingest(source, killed, kill_at, delay) == -signal.SIGKILL
        seen.append(count_articles(killed))
        partial = snapshot(killed)
        assert len({a[0] for a in partial["articles"]}) == len(partial["articles"])  # never a duplicate
    assert seen == sorted(seen) and seen[-1] < total, seen  # each kill left a part, and the parts grew
    run_ingest(source, killed, None)
    assert snapshot(killed) == expected
    run_ingest(source, killed, None)  # and once more: nothing changes
    assert snapshot(killed) == expected
