"""Near-duplicate detection stays linear: the write rate of syndicated copies does not fall as they pile up.

Writes N (default 20,000) syndicated copies of a few real-looking articles (the
bundled samples, and the seed article when ../shared is present) through the
Loader, in batches of 16 as `tacitus ingest` does, all inside one 7-day
near-duplicate window: each copy is reworded a little (a word in twenty
replaced), carries its outlet's line, and some are undated. No model is
needed: the articles are stored with no events. Prints the rate of each tenth
and the last tenth's rate against the first's (the issue's bar: within 20 %),
on the wall clock and in this process's CPU time (on a shared machine the wall
clock also measures the neighbours). Exit status 1 when the rate fell.

    python benchmarks/near_duplicates.py                       # SQLite in a temporary folder
    python benchmarks/near_duplicates.py --copies 5000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from tacitus.knowledge.lexicon import data_file
from tacitus.models import Article
from tacitus.store import articles, open_store, temporary_schema
from tacitus.store.loader import Loader

SEED = Path(__file__).resolve().parents[2] / "shared" / "samples" / "seed-nagorno-karabakh.txt"
DAY = dt.date(2023, 9, 19)
OUTLETS = ["Wire A", "Wire B", "Daily Courier", "Evening Post", "Global Desk", "Capital Times", "Morning Herald",
           "Regional Gazette", "News Agency", "World Report"]
FILLERS = ["reportedly", "officials", "said", "also", "again", "on Tuesday", "meanwhile", "further"]
BATCH = 16


def stories() -> list[str]:
    """A few real-looking news texts: the bundled samples, and the seed article when it is there."""
    lines = data_file("samples/articles.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    return texts


def copies(count: int, rng: random.Random) -> list[Article]:
    """Syndicated copies: the same story, a word in twenty replaced, the outlet's own line, dated within 7 days."""
    texts = stories()
    made = []
    for n in range(count):
        story = n % len(texts)
        words = texts[story].split()
        for i in rng.sample(range(len(words)), max(1, len(words) // 20)):
            words[i] = rng.choice(FILLERS)
        outlet = rng.choice(OUTLETS)
        text = " ".join(words) + f"\n\nDistributed by {outlet} (item {n})."
        date = None if n % 10 == 9 else DAY + dt.timedelta(days=rng.randrange(7))
        made.append(Article(text=text, id=f"copy-{n}", source=outlet, date=date, url=f"https://example.org/{story}/{n}"))
    return made


def run(url: str, count: int, seed: int) -> tuple[list[float], list[float]]:
    """The write rate of each tenth of the copies: articles per second of wall clock, and per second of this
    process's CPU time (what the machine's other load cannot change; on SQLite all the work is in this process)."""
    engine = open_store(url)
    loader = Loader(engine)
    items = copies(count, random.Random(seed))
    tenth = max(1, count // 10)
    rates, cpu_rates = [], []
    for start in range(0, count, tenth):
        part = items[start:start + tenth]
        began, cpu = time.perf_counter(), time.process_time()
        for at in range(0, len(part), BATCH):
            loader.write_batch([(article, []) for article in part[at:at + BATCH]])
        rates.append(len(part) / (time.perf_counter() - began))
        cpu_rates.append(len(part) / max(time.process_time() - cpu, 1e-9))
        print(f"  tenth {len(rates):2d}: {start + len(part):6d} stored, {rates[-1]:7.1f} articles/s "
              f"({cpu_rates[-1]:7.1f} per CPU second)", flush=True)
    with engine.connect() as conn:
        originals = conn.execute(select(func.count()).select_from(articles).where(articles.c.duplicate_of.is_(None))).scalar_one()
    engine.dispose()
    print(f"  {loader.stats.added} stored, {loader.stats.duplicates} linked as near-duplicates, {originals} originals")
    return rates, cpu_rates


def report(name: str, rates: list[float], cpu_rates: list[float], in_process: bool) -> bool:
    """Flat when the last tenth's rate is within 20 % of the first's: on the wall clock, or (SQLite, whose work is
    all in this process) in CPU time when other processes on the machine disturbed the wall clock."""
    ratio, cpu_ratio = rates[-1] / rates[0], cpu_rates[-1] / cpu_rates[0]
    flat = ratio >= 0.8 or (in_process and cpu_ratio >= 0.8)
    print(f"{name}: first tenth {rates[0]:.1f}/s, last tenth {rates[-1]:.1f}/s, last/first {ratio:.2f} "
          f"(in CPU time {cpu_rates[0]:.1f}/s, {cpu_rates[-1]:.1f}/s, last/first {cpu_ratio:.2f}): "
          f"{'flat, within 20 %' if flat else 'SLOWER by more than 20 %'}")
    return flat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=20_000)
    parser.add_argument("--db", help="SQLite file to write (default: a temporary one)")
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL, in a temporary schema")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or str(Path(folder) / "near-duplicates.db")
        print(f"SQLite ({path}): {args.copies} syndicated copies")
        results.append(report("SQLite", *run(path, args.copies, args.seed), in_process=True))
    if args.postgres:
        with temporary_schema(args.postgres, "bench") as url:
            print(f"PostgreSQL: {args.copies} syndicated copies")
            results.append(report("PostgreSQL", *run(url, args.copies, args.seed), in_process=False))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
