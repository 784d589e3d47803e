"""Parallel and distributed coding store exactly what a local run stores."""

from __future__ import annotations

import pytest

from tacitus.coding.parallel import ParallelCoder, batched
from tacitus.knowledge.lexicon import data_file
from tacitus.read.articles import read_articles
from tacitus.store import counts, open_store, query_events
from tacitus.store.loader import Loader, ingest


def corpus(seed_text: str):
    articles = list(read_articles([str(data_file("samples/articles.jsonl"))]))
    from tacitus.models import Article

    return articles + [Article(text=seed_text, id="seed", date=articles[0].date)]


def stored(path, coder, articles) -> tuple[dict, list[dict]]:
    engine = open_store(str(path))
    for _ in ingest(engine, coder, articles, Loader(engine)):
        pass
    result = counts(engine), [event.to_dict() for event in query_events(engine)]
    engine.dispose()
    return result


def test_batched_keeps_order_and_sizes():
    assert [len(b) for b in batched(range(10), 4)] == [4, 4, 2]
    assert [x for b in batched(range(10), 3) for x in b] == list(range(10))


def test_batched_ends_in_smaller_batches_for_several_workers():
    """The workers finish together: what is left when the input ends goes out in shrinking batches."""
    sizes = [len(b) for b in batched(iter(range(293)), 16, workers=2)]
    assert sizes[:16] == [16] * 16 and sizes[16:] == sorted(sizes[16:], reverse=True) and max(sizes[16:]) < 16
    assert min(sizes) >= 2 and sum(sizes) == 293
    assert [x for b in batched(iter(range(293)), 16, workers=2) for x in b] == list(range(293))
    assert [len(b) for b in batched(range(5), 1, workers=2)] == [1] * 5  # never over the batch size


def test_worker_processes_and_a_dask_cluster_match_a_local_run(tmp_path, pipeline, seed_text):
    distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is a test extra")
    articles = corpus(seed_text)
    local = stored(tmp_path / "local.db", pipeline, articles)
    assert local[0]["events"] > 30

    with ParallelCoder(workers=2, batch_size=1) as coder:
        workers = stored(tmp_path / "workers.db", coder, articles)
    assert workers == local

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        with ParallelCoder(dask=cluster.scheduler_address, batch_size=1) as coder:
            on_cluster = stored(tmp_path / "dask.db", coder, articles)
    assert on_cluster == local


def test_coded_docs_are_freed_at_once_not_left_for_the_garbage_collector(pipeline, seed_text):
    """A doc caught in a reference cycle waits for a full collection; over long runs that grew memory."""
    import dataclasses
    import gc

    from spacy.tokens import Doc

    articles = [dataclasses.replace(article, id=f"copy-{n}") for n, article in enumerate(corpus(seed_text) * 3)]
    gc.collect()
    gc.disable()
    try:
        events = sum(len(found) for _, found in pipeline.extract_articles(articles))
        alive = sum(1 for obj in gc.get_objects() if isinstance(obj, Doc))
    finally:
        gc.enable()
    assert events > 30
    assert alive == 0
