"""Many writers and repeated runs: the store ends as one sequential run leaves it, whatever runs beside it.

Four `tacitus ingest` processes over overlapping input, three processes opening a new store at once, the same URL
twice in one input, a parallel ingest killed with SIGKILL, and the versions the store records, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import warnings
from collections import Counter
from importlib import metadata as package_metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from sqlalchemy import func, select, update

from tacitus.knowledge.lexicon import data_file
from tacitus.read.articles import read_articles
from tacitus.store import articles, clusters, events, open_store
from tacitus.store.loader import Loader, StoreSchemeWarning, ingest, installed_versions
from tacitus.store.schema import store_info

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
SWAPS = [("Germany", "Poland"), ("Canada", "Japan"), ("Iran", "India"), ("Turkey", "Greece"), ("Russia", "China"),
         ("France", "Spain"), ("Armenia", "Georgia"), ("Azerbaijan", "Moldova")]


def records() -> list[dict]:
    """Variants of the bundled samples (other countries), with one reworded copy among them."""
    samples = [json.loads(line) for line in data_file("samples/articles.jsonl").read_text(encoding="utf-8").splitlines()]
    made = []
    for round_, (old, new) in enumerate(SWAPS):
        for sample in samples:
            text = sample["text"].replace(old, new) + f"\n{new} recalled its ambassador for consultations on day {round_}."
            made.append(dict(sample, id=f"{sample['id']}-{round_}", text=text))
    reworded = made[4]["text"].split("\n")
    made.append(dict(made[4], id="rewritten-copy", text="\n".join(reworded[1:] + reworded[:1]).replace("said", "stated")))
    return made


def content(url: str) -> dict:
    """What must not depend on who wrote first: the articles, the events, the number of clusters and one cluster per
    event (a cluster's place and day range come from the mentions that formed it, and near-duplicate links from
    which copy was stored first: those follow the order of writing, as in any two sequential runs in other orders)."""
    engine = open_store(url)
    with engine.connect() as conn:
        stored = sorted(conn.execute(select(articles.c.article_id, articles.c.text_hash, articles.c.url)).all())
        event_ids = sorted(conn.execute(select(events.c.event_id)).scalars())
        keys = Counter(tuple(row) for row in conn.execute(select(
            clusters.c.event_type, clusters.c.source_code, clusters.c.target_code, clusters.c.status,
            clusters.c.place_country, clusters.c.first_seen, clusters.c.last_seen)))
        mentions = conn.execute(select(func.sum(clusters.c.num_mentions))).scalar_one()
    engine.dispose()
    return {"articles": stored, "events": event_ids, "clusters": sum(keys.values()),
            "duplicate clusters": [key for key, n in keys.items() if n > 1], "mentions": mentions}


def test_four_writers_at_once_end_as_one_after_another(tmp_path, pipeline, db_pair):
    concurrent, sequential = db_pair
    made = records()
    inputs = []
    for k in range(4):  # overlapping slices: every record is in two or three inputs
        path = tmp_path / f"input-{k}.jsonl"
        part = made[k * 5:k * 5 + 12] + made[k * 4 + 1::4]
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        inputs.append(path)
    engine = open_store(sequential)
    for path in inputs:
        for _ in ingest(engine, pipeline, read_articles([str(path)]), batch_size=3):
            pass
    engine.dispose()
    expected = content(sequential)
    assert expected["events"] and not expected["duplicate clusters"]

    open_store(concurrent).dispose()  # created first: here the writes race, not the migrations (tested below)
    writers = [subprocess.Popen([sys.executable, "-m", "tacitus.cli", "ingest", str(path), "--db", concurrent,
                                 "--batch-size", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE) for path in inputs]
    for writer in writers:
        out, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, (out.decode(), err.decode()[-3000:])
    assert content(concurrent) == expected


def test_three_processes_open_a_new_store_at_once(db):
    start = time.time() + 3  # all three import first, then open at the same moment
    code = ("import sys, time; from tacitus.store import open_store; "
            f"time.sleep(max(0, {start} - time.time())); open_store(sys.argv[1]).dispose()")
    openers = [subprocess.Popen([sys.executable, "-c", code, db], stderr=subprocess.PIPE) for _ in range(3)]
    for opener in openers:
        _, err = opener.communicate(timeout=120)
        assert opener.returncode == 0, err.decode()[-3000:]
    engine = open_store(db)
    with engine.connect() as conn:
        assert dict(conn.execute(select(store_info.c.name, store_info.c.value)).all()) == installed_versions()
    engine.dispose()


def test_the_later_record_of_a_url_wins_however_often_it_runs(tmp_path, pipeline, db):
    """The same URL twice with different texts: the later record is stored, and a second run changes nothing."""
    made = records()
    first = dict(made[0], url="https://news.example/story")
    later = dict(made[3], url="https://news.example/story")
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [first, made[1], later, made[2]]), encoding="utf-8")
    engine = open_store(db)
    snapshots = []
    for batch_size in (16, 16, 1, 1):  # within a batch and across batches
        for _ in ingest(engine, pipeline, read_articles([str(source)]), batch_size=batch_size):
            pass
        snapshots.append(content(db))
        with engine.connect() as conn:
            stored = conn.execute(select(articles.c.text).where(articles.c.url == later["url"])).scalar_one()
        assert stored == later["text"]
    assert all(snapshot == snapshots[0] for snapshot in snapshots), [s["articles"] for s in snapshots]
    engine.dispose()


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (from /proc: no dependency)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_workers_exit_when_a_parallel_ingest_is_killed(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for n, record in enumerate(records() * 3):
        (folder / f"{n:03d}.txt").write_text(record["text"] + f"\nItem {n}.", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "ingest", str(folder), "--workers", "2",
                               "--db", str(tmp_path / "killed.db"), "--date", "2023-09-20"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(descendants(parent.pid)) < 3 and time.monotonic() < deadline:  # two workers and the resource tracker
        time.sleep(0.1)
    time.sleep(1.0)
    below = descendants(parent.pid)
    assert parent.poll() is None and len(below) >= 2, below
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:200] for pid in below if alive(pid)}
    for pid in left:  # never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, left


def test_a_store_of_another_scheme_is_reported(db):
    engine = open_store(db)
    with engine.connect() as conn:
        assert dict(conn.execute(select(store_info.c.name, store_info.c.value)).all()) == installed_versions()
    with warnings.catch_warnings(record=True) as nothing:
        warnings.simplefilter("always")
        Loader(engine)
    assert not [w for w in nothing if issubclass(w.category, StoreSchemeWarning)]
    old_scheme = "MinHash 64 permutations, 5-word shingles, seed 1, mersenne hashing, LSH 16 bands of 4 rows, datasketch 1"
    with engine.begin() as conn:
        conn.execute(update(store_info).where(store_info.c.name == "minhash_scheme").values(value=old_scheme))
        conn.execute(update(store_info).where(store_info.c.name == "trafilatura").values(value="1.6.0"))
    with pytest.warns(StoreSchemeWarning) as caught:
        loader = Loader(engine)
    messages = [str(w.message) for w in caught if issubclass(w.category, StoreSchemeWarning)]
    assert len(messages) == 2 and loader.scheme_warnings == messages
    assert old_scheme in messages[0] and installed_versions()["minhash_scheme"] in messages[0] and "new store" in messages[0]
    assert "1.6.0" in messages[1] and installed_versions()["trafilatura"] in messages[1]
    with pytest.warns(StoreSchemeWarning) as again:  # the MinHash scheme is still the store's; trafilatura was recorded
        Loader(engine)
    assert len([w for w in again if issubclass(w.category, StoreSchemeWarning)]) == 1
    engine.dispose()


def test_dependencies_that_shape_stored_data_have_upper_bounds():
    declared = {Requirement(spec).name.lower(): Requirement(spec)
                for spec in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]}
    for name in ("datasketch", "trafilatura", "fastapi", "pycountry", "pandas", "numpy", "pyarrow", "shapely", "pyshp"):
        requirement = declared[name]
        assert any(spec.operator == "<" for spec in requirement.specifier), requirement
        assert requirement.specifier.contains(package_metadata.version(name), prereleases=True), requirement



def test_ingest_says_how_many_records_a_later_one_superseded(tmp_path, pipeline):
    from click.testing import CliRunner

    from tacitus.cli import main

    records = [{"id": "a", "url": "https://x.org/1", "text": "Germany condemned Russia on Tuesday.", "date": "2023-09-19"},
               {"id": "b", "url": "https://x.org/1", "text": "France condemned Russia on Tuesday.", "date": "2023-09-19"}]
    source = tmp_path / "same-url.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(source), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "1 superseded by a later record of the same URL" in result.output
