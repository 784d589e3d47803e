"""End-to-end throughput against the bare spaCy pipeline, on one corpus, in one run.

Reports articles/s and tokens/s of:
  - bare spaCy: `nlp.pipe` over the texts with every component of the model;
  - tacitus end to end (parse, code, resolve, locate, date; no store), with and
    without the pre-filter;
  - the same with 2 processes (spaCy's n_process=2; tacitus --workers 2), and
    tacitus in 1 worker process (--workers 1), so that 2 processes are also
    compared with 1 under the same conditions (batches sent to workers);
then peak RSS per process, events/s into a SQLite store, and the pre-filter's
share of sentences parsed. `--memory-run N` streams N articles of the corpus
(cycled; generated ones with --generated) through one process and reports RSS at
every tenth of the run; with `--store` they are also stored (near-duplicates,
clusters), as `tacitus ingest` does.

    python benchmarks/throughput.py                         # the shared real corpus (Wikinews 2019-2020)
    python benchmarks/throughput.py --corpus my.jsonl       # or your own JSONL articles
    python benchmarks/throughput.py --one-process --rounds 5    # only bare spaCy vs tacitus, one process, medians
    python benchmarks/throughput.py --generated             # 2,000 generated articles (news_corpus.py): secondary
    python benchmarks/throughput.py --memory-run 20000 --skip-throughput     # the real corpus, cycled
    python benchmarks/throughput.py --memory-run 20000 --skip-throughput --store
    python benchmarks/throughput.py --corpus ../shared/corpus/wikinews-2019-2020.jsonl --model
        # only the cost of the learned layer: rules alone vs hybrid, one process, same run, best of 3 each
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from news_corpus import articles as generated  # noqa: E402
from news_corpus import iter_articles  # noqa: E402

from tacitus.coding.learned import HybridLayer  # noqa: E402
from tacitus.coding.nlp import MODEL_NAME  # noqa: E402
from tacitus.coding.parallel import ParallelCoder  # noqa: E402
from tacitus.coding.pipeline import Pipeline  # noqa: E402
from tacitus.coding.prefilter import kept_share  # noqa: E402
from tacitus.models import Article  # noqa: E402
from tacitus.store import open_store  # noqa: E402
from tacitus.store.loader import BATCH, Loader, ingest  # noqa: E402

REAL_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikinews-2019-2020.jsonl"


def to_article(record: dict) -> Article:
    return Article(text=record["text"], id=record["id"], title=record.get("title"), source=record.get("source"),
                   date=dt.date.fromisoformat(record["date"]) if record.get("date") else None)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb(pid: int | str = "self") -> float:
    """A process's peak RSS (VmHWM). Not getrusage: its ru_maxrss survives exec, so a spawned
    worker would report the RSS of the parent it was forked from."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(label: str, run, count: int, tokens: int, results: dict) -> float:
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    results[label] = seconds
    print(f"  {label:<40} {seconds:7.1f} s  {count / seconds:7.1f} articles/s  {tokens / seconds:9,.0f} tokens/s",
          flush=True)
    return seconds


def throughput(records: list[dict], rounds: int = 1, one_only: bool = False) -> None:
    texts = [r["text"] for r in records]
    items = [to_article(r) for r in records]
    bare = spacy.load(MODEL_NAME)
    tokens = sum(len(doc) for doc in bare.tokenizer.pipe(texts))
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(texts):,} articles, {words / len(texts):.0f} words and {tokens / len(texts):.0f} tokens each on average")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, spaCy {spacy.__version__}")
    pipeline = Pipeline.load()
    print(f"pre-filter: the parser sees {kept_share(pipeline.sentences, texts):.1%} of the sentences")
    results: dict[str, float] = {}
    coded = one_process(bare, pipeline, texts, items, tokens, rounds, results)
    if one_only:
        return
    print("two processes:")
    timed("bare spaCy nlp.pipe n_process=2", lambda: [None for _ in bare.pipe(texts, batch_size=16, n_process=2)],
          len(texts), tokens, results)
    worker_peak = 0.0
    for workers in (2, 1):
        with ParallelCoder(workers=workers) as coder:
            coder.warm()  # models loaded in the workers before the clock starts, as in a long run
            timed(f"tacitus --workers {workers} (pre-filter)", lambda: [None for _ in coder.extract_articles(items)],
                  len(texts), tokens, results)
            worker_peak = max([worker_peak] + [peak_mb(child.pid) for child in multiprocessing.active_children()])
    events = sum(len(e) for _, e in coded)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_store(str(Path(tmp) / "throughput.db"))
        loader = Loader(engine)
        started = time.perf_counter()
        for start in range(0, len(coded), BATCH):
            loader.write_batch(coded[start:start + BATCH])
        seconds = time.perf_counter() - started
    print(f"store: {events:,} events of {len(coded):,} articles written in {seconds:.1f} s: "
          f"{events / seconds:,.0f} events/s ({len(coded) / seconds:.0f} articles/s), SQLite, "
          f"a transaction per {BATCH} articles (dedup, clusters and counts included)")
    print("ratios:")
    print(f"  tacitus 2 processes / 1 process:          {results['tacitus end to end (pre-filter)'] / results['tacitus --workers 2 (pre-filter)']:.2f}x")
    print(f"  tacitus 2 workers / 1 worker process:     {results['tacitus --workers 1 (pre-filter)'] / results['tacitus --workers 2 (pre-filter)']:.2f}x")
    print(f"  bare spaCy 2 processes / 1 process:       {results['bare spaCy nlp.pipe (all components)'] / results['bare spaCy nlp.pipe n_process=2']:.2f}x")
    print(f"peak RSS: main process {peak_mb():,.0f} MB (holds both pipelines and the coded corpus), "
          f"largest worker {worker_peak:,.0f} MB")


def event_keys(coded: list) -> set[tuple]:
    """What makes two runs' events the same: article, trigger, type and the actors' codes and places."""
    return {(article.id, e.trigger.start, e.event_type, e.polarity, e.modality,
             e.source and (e.source.code, e.source.start), e.target and (e.target.code, e.target.start))
            for article, events in coded for e in events}


def one_process(bare, pipeline: Pipeline, texts: list[str], items: list[Article], tokens: int, rounds: int,
                results: dict) -> list:
    """Bare spaCy and tacitus with and without the pre-filter, alternating, `rounds` times: medians, and the
    median of the per-round ratios (the machine is shared: a ratio within a round is the fair figure)."""
    times: dict[str, list[float]] = {}
    coded: list = []
    unfiltered: list = []
    runs = (("bare spaCy nlp.pipe (all components)", lambda: [None for _ in bare.pipe(texts, batch_size=16)]),
            ("tacitus end to end (pre-filter)", lambda: coded.extend(pipeline.extract_articles(items))),
            ("tacitus end to end (no pre-filter)", lambda: unfiltered.extend(pipeline.extract_articles(items))))
    print(f"one process, {rounds} round(s), alternating:")
    for _ in range(rounds):
        coded.clear()
        unfiltered.clear()
        for label, run in runs:
            pipeline.prefilter = "no pre-filter" not in label
            times.setdefault(label, []).append(timed(label, run, len(texts), tokens, {}))
    pipeline.prefilter = True
    for label, seconds in times.items():
        results[label] = statistics.median(seconds)
    bare_s, with_s, without_s = (times[label] for label, _ in runs)
    print(f"  medians: bare spaCy {len(texts) / results[runs[0][0]]:.1f} articles/s, tacitus {len(texts) / results[runs[1][0]]:.1f} "
          f"articles/s, tacitus without the pre-filter {len(texts) / results[runs[2][0]]:.1f} articles/s")
    print(f"  tacitus / bare spaCy, one process:        {statistics.median(b / t for b, t in zip(bare_s, with_s, strict=True)):.2f}x "
          f"(per round: {', '.join(f'{b / t:.2f}' for b, t in zip(bare_s, with_s, strict=True))})")
    print(f"  pre-filter gain (no pre-filter / with):   {statistics.median(n / t for n, t in zip(without_s, with_s, strict=True)):.2f}x")
    kept, full = event_keys(coded), event_keys(unfiltered)
    print(f"  pre-filter vs --no-prefilter: {len(full):,} events without it, {len(kept):,} with it; "
          f"lost {len(full - kept):,}, added {len(kept - full):,}")
    return coded


def model_cost(records: list[dict], rounds: int = 3) -> None:
    """End to end with the rules alone and with the learned layer, alternating, best of `rounds` each."""
    items = [to_article(r) for r in records]
    rules = Pipeline.load(model=False)
    hybrid = replace(rules, model=HybridLayer.load(rules.triggers))
    tokens = sum(len(doc) for doc in rules.nlp.tokenizer.pipe(r["text"] for r in records))
    list(hybrid.extract_articles(items[:5]))  # warm: the model file is read once per process
    best: dict[str, float] = {}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(rounds):
        for name, pipeline in (("rules only", rules), ("hybrid (rules + model)", hybrid)):
            started = time.perf_counter()
            coded = list(pipeline.extract_articles(items))
            seconds = time.perf_counter() - started
            best[name] = min(best.get(name, seconds), seconds)
            events = [e for _, found in coded for e in found]
            counts[name] = (len(events), sum(e.rule.startswith("model:") for e in events))
    print(f"learned layer, {len(items):,} articles, one process, best of {rounds}:")
    for name, seconds in best.items():
        print(f"  {name:<26} {seconds:7.1f} s  {len(items) / seconds:7.1f} articles/s  {tokens / seconds:9,.0f} tokens/s  "
              f"{counts[name][0]:,} events ({counts[name][1]:,} by the model)")
    cost = 1 - best["rules only"] / best["hybrid (rules + model)"]
    print(f"  cost of the model: {cost:.1%} of end-to-end throughput")


def cycled(records: list[dict], count: int):
    """`count` articles of a corpus, cycled; each pass's ids are its own (a store keeps every article)."""
    for n in range(count):
        record = records[n % len(records)]
        yield {**record, "id": f"{record['id']}#{n // len(records)}"}


def memory_run(count: int, store: bool, records: list[dict] | None = None) -> None:
    """One process, streaming: RSS at every tenth of the run; growth is judged from 10 % to 100 %. `records`: a real
    corpus, cycled; None: generated articles."""
    pipeline = Pipeline.load()
    source = iter_articles(count, seed=9) if records is None else cycled(records, count)
    stream = (to_article(r) for r in source)
    marks = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if store:  # what `tacitus ingest` runs: a transaction per batch, near-duplicates and clusters in the store
            loader = Loader(open_store(str(Path(tmp) / "memory.db")))
            done_counts = (stats.articles for stats in ingest(loader.engine, pipeline, stream, loader))
        else:
            done_counts = (done for done, _ in enumerate(pipeline.extract_articles(stream), start=1))
        step = max(1, count // 10)
        for done in done_counts:
            if done // step > len(marks) or (done == count and count not in marks):
                marks[done] = rss_mb()
                print(f"  {done:>7,} articles  RSS {marks[done]:7.0f} MB  "
                      f"{done / (time.perf_counter() - started):5.1f} articles/s", flush=True)
    first, last = marks[min(marks)], marks[max(marks)]
    what = "coded and stored in SQLite" if store else "coded"
    print(f"memory run: {count:,} articles {what}, RSS {first:.0f} MB at {min(marks):,} and {last:.0f} MB at {max(marks):,}: "
          f"growth {100 * (last - first) / first:+.1f} %; peak {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help=f"JSONL articles (default: the shared real corpus, {REAL_CORPUS.name})")
    parser.add_argument("--generated", action="store_true", help="generated articles instead (news_corpus.py; secondary)")
    parser.add_argument("--articles", type=int, default=2000, help="how many generated articles (with --generated)")
    parser.add_argument("--rounds", type=int, default=3, help="one-process rounds, alternating; medians reported")
    parser.add_argument("--one-process", action="store_true", help="only the one-process comparison and the pre-filter's events")
    parser.add_argument("--memory-run", type=int, default=0, metavar="N")
    parser.add_argument("--store", action="store_true", help="the memory run also stores what it codes")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--model", action="store_true", help="only the learned layer's cost: rules vs hybrid, same run")
    args = parser.parse_args()
    if args.model:
        path = args.corpus or REAL_CORPUS
        records = generated(args.articles) if args.generated \
            else [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        model_cost(records)
        return
    if not args.skip_throughput:
        if args.generated:
            records = generated(args.articles)
        else:
            corpus = args.corpus or REAL_CORPUS
            records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
            print(f"corpus file: {corpus}")
        throughput(records, args.rounds, args.one_process)
    if args.memory_run:
        corpus = None if args.generated else args.corpus or REAL_CORPUS
        memory_run(args.memory_run, args.store, None if corpus is None else
                   [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()])


if __name__ == "__main__":
    main()
