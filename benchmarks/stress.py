"""Stress: API requests on loopback while `tacitus ingest` writes N articles into the same store.

Starts `tacitus serve` and `tacitus ingest` (both real processes) on one store
and, until the ingest ends or --max-seconds pass, sends the dashboard's and
the API's typical requests in a loop. Prints requests served, errors (zero
expected), p50/p95 latency per kind and overall, and the ingest's rate.
Bounded in time and count; loopback only.

    python benchmarks/stress.py                                  # 5,000 articles, SQLite
    python benchmarks/stress.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from news_corpus import iter_articles  # noqa: E402

from tacitus.store import open_store, temporary_schema  # noqa: E402

COUNTRIES = ["ARM", "AZE", "DEU", "FRA", "RUS", "TUR", "IRN", "UKR", "ISR", "EGY", "NGA", "NER", "MLI", "SDN", "CHN"]


def requests_cycle(rng: random.Random, client: httpx.Client):
    """(kind, path, params) of one analyst-like round of requests."""
    country = rng.choice(COUNTRIES)
    page = client.get("/api/events", params={"limit": 20, "sort": "-date"})
    yield "events latest", page
    events = page.json().get("events", []) if page.status_code == 200 else []
    if events:
        yield "event detail", client.get(f"/api/events/{events[0]['event_id']}")
        yield "article", client.get(f"/api/articles/{events[0]['article_id']}")
    yield "events target=X", client.get("/api/events", params={"target": country})
    yield "reactions", client.get("/api/reactions", params={"target": country})
    yield "timeseries", client.get("/api/timeseries", params={"actor": country, "interval": "week"})
    yield "stats", client.get("/api/stats")
    yield "dashboard /", client.get("/")
    yield "dashboard reactions", client.get("/reactions", params={"target": country})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(url: str, articles: int, max_seconds: float, workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "news.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for record in iter_articles(articles, seed=21):
                out.write(json.dumps(record) + "\n")
        open_store(url).dispose()
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "serve", "--db", url, "--port", str(port)],
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(base + "/api/stats", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        command = [sys.executable, "-m", "tacitus.cli", "ingest", str(corpus), "--db", url]
        if workers > 1:
            command += ["--workers", str(workers)]
        started = time.monotonic()
        ingest = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        rng = random.Random(4)
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                while ingest.poll() is None and time.monotonic() - started < max_seconds:
                    clock = time.perf_counter()
                    for kind, response in requests_cycle(rng, client):
                        now = time.perf_counter()
                        times[kind].append((now - clock) * 1000)
                        clock = now
                        if response.status_code != 200:
                            errors.append(f"{kind}: HTTP {response.status_code} {response.text[:120]}")
        finally:
            finished = ingest.poll() is not None
            if not finished:
                ingest.kill()
            out, err = ingest.communicate(timeout=60)
            server.terminate()
            server.wait(timeout=30)
        seconds = time.monotonic() - started
        everything = sorted(t for values in times.values() for t in values)
        print(f"ingest: {'finished' if finished else 'stopped at --max-seconds'} after {seconds:.0f} s: {out.strip()}")
        print(f"requests served during the ingest: {len(everything):,}; errors: {len(errors)}")
        for line in errors[:10]:
            print("  ", line)
        for kind, values in times.items():
            values.sort()
            print(f"  {kind:<22} n={len(values):5d}  p50={statistics.median(values):7.1f} ms  "
                  f"p95={values[max(0, int(len(values) * 0.95) - 1)]:7.1f} ms")
        print(f"  {'all':<22} n={len(everything):5d}  p50={statistics.median(everything):7.1f} ms  "
              f"p95={everything[max(0, int(len(everything) * 0.95) - 1)]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--postgres", help="run against PostgreSQL (a schema of its own, dropped after)")
    args = parser.parse_args()
    if args.postgres:
        with temporary_schema(args.postgres, "bench") as url:
            run(url, args.articles, args.max_seconds, args.workers)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'stress.db'}", args.articles, args.max_seconds, args.workers)


if __name__ == "__main__":
    main()
