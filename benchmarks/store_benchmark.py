"""Store write throughput and query latency on a large synthetic store.

Writes N synthetic events (default 1,000,000) in batches into SQLite (a temp
file unless --db is given) and, with --postgres URL, into PostgreSQL; then
times typical filtered queries (first page of 100, as the API asks) and the
reactions view, and prints events/s and p50/p95 latencies.

    python benchmarks/store_benchmark.py                     # SQLite, 1,000,000 events
    python benchmarks/store_benchmark.py --events 200000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from tacitus.store import EventFilter, articles, events, filtered, open_store, reactions, temporary_schema

COUNTRIES = ["USA", "RUS", "CHN", "FRA", "DEU", "GBR", "TUR", "IRN", "ISR", "PSE", "UKR", "ARM", "AZE", "SYR", "IRQ",
             "AFG", "PAK", "IND", "JPN", "KOR", "PRK", "SAU", "EGY", "NGA", "ETH", "SDN", "COD", "BRA", "MEX", "VEN"]
TYPES = [("ACCUSE", "111", 3, -2.0), ("ASSAULT", "190", 4, -10.0), ("SUPPORT", "051", 1, 3.4), ("CONSULT", "040", 1, 1.0),
         ("REQUEST", "020", 1, 3.0), ("THREATEN", "130", 3, -4.4), ("AID", "070", 2, 7.0), ("PROTEST", "141", 4, -6.5),
         ("SANCTION", "163", 4, -8.0), ("AGREE", "030", 1, 4.0), ("COERCE", "173", 4, -5.0), ("REJECT", "120", 3, -4.0)]
CAPITALS = {"USA": (38.9, -77.0), "RUS": (55.8, 37.6), "CHN": (39.9, 116.4), "FRA": (48.9, 2.4), "DEU": (52.5, 13.4),
            "GBR": (51.5, -0.1), "TUR": (39.9, 32.9), "IRN": (35.7, 51.4), "ISR": (31.8, 35.2), "PSE": (31.9, 35.2),
            "UKR": (50.5, 30.5), "ARM": (40.2, 44.5), "AZE": (40.4, 49.9), "SYR": (33.5, 36.3), "IRQ": (33.3, 44.4),
            "AFG": (34.5, 69.2), "PAK": (33.7, 73.1), "IND": (28.6, 77.2), "JPN": (35.7, 139.7), "KOR": (37.6, 127.0),
            "PRK": (39.0, 125.8), "SAU": (24.7, 46.7), "EGY": (30.0, 31.2), "NGA": (9.1, 7.5), "ETH": (9.0, 38.7),
            "SDN": (15.6, 32.5), "COD": (-4.3, 15.3), "BRA": (-15.8, -47.9), "MEX": (19.4, -99.1), "VEN": (10.5, -66.9)}
WORDS = "condemned attack offensive border talks ceasefire sanctions troops envoy summit refugees shelling".split()


def synthetic_rows(count: int, start_id: int, article_pks: list[int], rng: random.Random) -> list[dict]:
    rows = []
    base = dt.date(2023, 1, 1)
    for i in range(count):
        source, target = rng.sample(COUNTRIES, 2)
        kind, cameo, quad, goldstein = rng.choice(TYPES)
        day = base + dt.timedelta(days=rng.randrange(730))
        verb = rng.choice(WORDS)
        sentence = f"{source} {verb} {target} {' '.join(rng.sample(WORDS, 6))}."
        at = len(source) + len(verb) + 2
        event_id = f"bench{start_id + i}"
        lat, lon = CAPITALS[target]
        location = {"name": target, "country": target, "lat": lat, "lon": lon, "geonameid": None, "precision": "country"}
        record = {"event_id": event_id, "article_id": "bench", "sentence_index": 0, "sentence": sentence,
                  "source": {"text": source, "start": 0, "end": 3, "name": source, "code": source, "country": source, "sector": None},
                  "target": {"text": target, "start": at, "end": at + 3, "name": target, "code": target, "country": target,
                             "sector": None}, "event_type": kind, "mode": None, "cameo": cameo, "quad_class": quad, "goldstein": goldstein,
                  "trigger": {"text": verb, "start": 4, "end": 4 + len(verb)},
                  "polarity": "affirmed", "modality": "actual", "intended_type": None, "attributed_to": None,
                  "location": location, "date": day.isoformat(), "date_precision": "day", "date_text": None,
                  "confidence": 0.8, "rule": "synthetic", "sentence_start": 0}
        rows.append({
            "event_id": event_id, "article_pk": rng.choice(article_pks), "article_id": "bench",
            "sentence_index": 0, "sentence": sentence, "source_code": source, "source_country": source,
            "source_sector": None, "target_code": target, "target_country": target, "target_sector": None,
            "event_type": kind, "cameo": cameo, "cameo_root": cameo[:2], "cameo_base": cameo[:3], "quad_class": quad, "goldstein": goldstein, "polarity": "affirmed",
            "modality": "actual", "location_name": target, "location_country": target, "lat": lat, "lon": lon,
            "date": day, "date_precision": "day", "confidence": round(rng.random(), 3), "record": record,
        })
    return rows


def fill(engine, total: int, batch: int) -> float:
    """Insert `total` events; returns events per second."""
    rng = random.Random(7)
    with engine.begin() as conn:
        result = conn.execute(articles.insert().returning(articles.c.id), [
            {"article_id": f"bench-{uuid.uuid4().hex}", "text": "synthetic", "text_hash": uuid.uuid4().hex[:40],
             "ingested_at": dt.datetime(2024, 1, 1)} for _ in range(1000)])
        article_pks = [row[0] for row in result]
    started = time.perf_counter()
    done = 0
    while done < total:
        size = min(batch, total - done)
        rows = synthetic_rows(size, done, article_pks, rng)
        with engine.begin() as conn:
            conn.execute(events.insert(), rows)
        done += size
    return total / (time.perf_counter() - started)


def latency(engine, label: str, make_filter, runs: int, rng: random.Random) -> str:
    times = []
    with engine.connect() as conn:
        for _ in range(runs):
            statement = filtered(make_filter(rng)).order_by(events.c.date, events.c.id).limit(100)
            started = time.perf_counter()
            conn.execute(statement).all()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"  {label:<34} p50={statistics.median(times):7.1f} ms  p95={p95:7.1f} ms"


def month(rng: random.Random) -> tuple[dt.date, dt.date]:
    start = dt.date(2023, 1, 1) + dt.timedelta(days=30 * rng.randrange(23))
    return start, start + dt.timedelta(days=30)


def measure(engine, runs: int) -> list[str]:
    rng = random.Random(3)
    lines = [
        latency(engine, "target=X", lambda r: EventFilter(target=r.choice(COUNTRIES)), runs, rng),
        latency(engine, "source=X type=T", lambda r: EventFilter(source=r.choice(COUNTRIES), event_type=r.choice(TYPES)[0]), runs, rng),
        latency(engine, "target=X month window", lambda r: EventFilter(target=r.choice(COUNTRIES), date_from=month(r)[0], date_to=month(r)[1]), runs, rng),
        latency(engine, "cameo root + its quad class", lambda r: (lambda t: EventFilter(cameo=t[1][:2], quad_class=t[2]))(r.choice(TYPES)), runs, rng),
        latency(engine, "cameo code (3 digits)", lambda r: EventFilter(cameo=r.choice(TYPES)[1]), runs, rng),
        latency(engine, "date window (month)", lambda r: EventFilter(date_from=month(r)[0], date_to=month(r)[1]), runs, rng),
    ]
    times = []
    for _ in range(max(5, runs // 5)):
        start, end = month(rng)
        started = time.perf_counter()
        reactions(engine, rng.choice(COUNTRIES), start, end)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    lines.append(f"  {'reactions(target, month)':<34} p50={statistics.median(times):7.1f} ms  p95={times[-1]:7.1f} ms")
    return lines


def run(url: str, total: int, batch: int, runs: int, label: str) -> None:
    engine = open_store(url)
    rate = fill(engine, total, batch)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    print(f"{label}: wrote {total:,} events at {rate:,.0f} events/s (batches of {batch:,})")
    for line in measure(engine, runs):
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--db", help="SQLite file to fill (default: a temporary file)")
    parser.add_argument("--postgres", help="PostgreSQL URL; the benchmark works in a schema of its own and drops it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "bench.db")
        run(path, args.events, args.batch, args.runs, "SQLite")
    if args.postgres:
        with temporary_schema(args.postgres, "bench") as url:
            run(url, args.events, args.batch, args.runs, "PostgreSQL")


if __name__ == "__main__":
    main()
