"""No article may hang a run: bounded walks, and a time budget per article in every mode."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tacitus.coding.budget import TimeBudget
from tacitus.coding.parallel import ParallelCoder
from tacitus.errors import ArticleTimeout
from tacitus.models import Article

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "wikinews-2019-2020.jsonl"
HANGING = [  # a date mention whose clause root is not a verb: the walk up from it never ended
    "Protests in Yerevan on Tuesday after Azerbaijan's attack on Nagorno-Karabakh.",
    "A letter on Monday from the French minister condemning the Russian attack.",
]


@pytest.mark.parametrize("line", HANGING)
def test_lines_that_hung_are_coded(tmp_path, line):
    path = tmp_path / "one.txt"
    path.write_text(line + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(path), "--date", "2023-09-19"],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    events = [json.loads(row) for row in result.stdout.splitlines()]
    assert any(e["event_type"] == "ASSAULT" and e["source"]["country"] in ("AZE", "RUS") for e in events)


def test_the_timer_interrupts_a_walk_that_never_returns():
    started = time.monotonic()
    with pytest.raises(ArticleTimeout, match="TACITUS_MAX_ARTICLE_SECONDS"), TimeBudget(0.2):
        while True:
            pass
    assert time.monotonic() - started < 5


def test_an_article_over_budget_is_reported_and_the_next_is_coded(pipeline):
    articles = [Article(text="Russia condemned the attack on Ukraine. " * 40, id="long", origin="news.jsonl:1"),
                Article(text="France condemned Iran.", id="short", origin="news.jsonl:2")]
    problems = []
    strict = dataclasses.replace(pipeline, max_article_seconds=1e-9, on_problem=problems.append)
    assert list(strict.extract_articles(articles)) == []
    assert [p.where for p in problems] == ["news.jsonl:1", "news.jsonl:2"]
    assert "TACITUS_MAX_ARTICLE_SECONDS" in problems[0].reason
    relaxed = dataclasses.replace(pipeline, on_problem=problems.append)
    coded = dict((a.id, events) for a, events in relaxed.extract_articles(articles))
    assert coded["long"] and coded["short"][0].source.country == "FRA"


def test_the_budget_holds_in_worker_processes_and_on_a_dask_cluster(monkeypatch):
    distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is a test extra")
    monkeypatch.setenv("TACITUS_MAX_ARTICLE_SECONDS", "0.000000001")
    articles = [Article(text=f"Country {n}: France condemned Iran on Monday.", id=f"a{n}", origin=f"in.jsonl:{n}")
                for n in range(3)]
    problems = []
    with ParallelCoder(workers=2, batch_size=1, on_problem=problems.append) as coder:
        assert list(coder.extract_articles(articles)) == []
    assert sorted(p.where for p in problems) == ["in.jsonl:0", "in.jsonl:1", "in.jsonl:2"]
    problems.clear()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            ParallelCoder(dask=cluster.scheduler_address, batch_size=1, on_problem=problems.append) as coder:
        assert list(coder.extract_articles(articles)) == []
    assert sorted(p.where for p in problems) == ["in.jsonl:0", "in.jsonl:1", "in.jsonl:2"]


def test_every_real_article_of_the_shared_corpus_finishes(pipeline):
    if not CORPUS.exists():
        pytest.skip(f"corpus not found at {CORPUS}; clone the project beside ../shared")
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [Article(text=r["text"], id=r["id"], date=dt.date.fromisoformat(r["date"][:10]) if r.get("date") else None,
                        origin=f"corpus:{r['id']}") for r in records]
    problems = []
    budgeted = dataclasses.replace(pipeline, max_article_seconds=60, on_problem=problems.append)
    started = time.monotonic()
    coded = {article.id: events for article, events in budgeted.extract_articles(articles)}
    assert len(records) == 293
    assert set(coded) == {r["id"] for r in records}, problems  # every article gives events or nothing
    assert not [p for p in problems if "TACITUS_MAX_ARTICLE_SECONDS" in p.reason]
    assert sum(bool(events) for events in coded.values()) > 150
    assert time.monotonic() - started < 900
