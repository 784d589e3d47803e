"""Stress: API requests on loopback while `tacitus ingest` writes N articles into the same store.

Starts `tacitus serve` and `tacitus ingest` (both real processes) on one store
and, until the ingest ends or --max-seconds pass, sends the dashboard's and
the API's typical requests in a loop. Meanwhile hostile clients run too:
--slowloris connections that drip request heads a byte at a time (reopened
when the server cuts them off) and bursts of --scans concurrent `text=`
searches. Prints requests served, errors (zero expected; a 503 with
Retry-After is the answer a saturated server gives a scan, and is counted
apart), p50/p95 latency per kind and overall, and the ingest's rate.
Bounded in time and count; loopback only.

    python benchmarks/stress.py                                  # 5,000 articles, SQLite
    python benchmarks/stress.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/stress.py --slowloris 0 --scans 0          # ordinary requests only
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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


class Hostile:
    """Slowloris connections and bursts of concurrent text searches against a server, until stopped."""

    WORDS = ["Azerbaijan", "ceasefire", "talks", "condemned", "drone", "border", "ministry", "sanctions"]

    def __init__(self, port: int, slowloris: int, scans: int) -> None:
        self.port, self.slowloris, self.scans = port, slowloris, scans
        self.stop = threading.Event()
        self.statuses: dict[int, int] = defaultdict(int)
        self.cut = 0  # slow connections the server closed
        self.threads = [threading.Thread(target=self.drip, daemon=True), threading.Thread(target=self.search, daemon=True)]

    def __enter__(self) -> Hostile:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            return sock
        except OSError:
            return None

    def drip(self) -> None:
        """Hold `slowloris` connections, each sending one more header byte every 2 s; reopen cut ones."""
        socks = [self._open() for _ in range(self.slowloris)]
        while not self.stop.wait(2):
            for i, sock in enumerate(socks):
                try:
                    if sock is None:
                        raise OSError
                    sock.sendall(b"X")
                except OSError:
                    self.cut += sock is not None
                    if sock is not None:
                        sock.close()
                    socks[i] = self._open()
        for sock in socks:
            if sock is not None:
                sock.close()

    def search(self) -> None:
        """Bursts of `scans` concurrent text searches, one after another."""
        if not self.scans:
            return
        rng = random.Random(7)
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60,
                          limits=httpx.Limits(max_connections=self.scans)) as client, \
                concurrent.futures.ThreadPoolExecutor(self.scans) as pool:
            while not self.stop.is_set():
                words = [rng.choice(self.WORDS)[rng.randrange(3):] for _ in range(self.scans)]
                for status in pool.map(lambda w: self._get(client, w), words):
                    self.statuses[status] += 1

    @staticmethod
    def _get(client: httpx.Client, word: str) -> int:
        try:
            answer = client.get("/api/events", params={"text": word, "limit": 100})
        except httpx.TransportError:
            return 0
        if answer.status_code == 503 and not answer.headers.get("retry-after"):
            return -503  # a 503 without Retry-After counts as an error
        return answer.status_code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(url: str, articles: int, max_seconds: float, workers: int, slowloris: int = 150, scans: int = 60) -> None:
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
        hostile = Hostile(port, slowloris, scans)
        try:
            with hostile, httpx.Client(base_url=base, timeout=60) as client:
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
        scans_done = dict(sorted(hostile.statuses.items()))
        bad = sum(n for status, n in scans_done.items() if status not in (200, 503))
        print(f"hostile clients: {slowloris} slowloris connections ({hostile.cut} cut off by the server); "
              f"bursts of {scans} concurrent text searches: {sum(scans_done.values()):,} answered, by status "
              f"{scans_done} (0: no answer; -503: 503 without Retry-After); errors: {bad}; "
              f"HTTP 500 anywhere: {scans_done.get(500, 0) + sum(' 500 ' in e for e in errors)}")
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
    parser.add_argument("--slowloris", type=int, default=150, help="slow connections held open (0: none)")
    parser.add_argument("--scans", type=int, default=60, help="concurrent text searches per burst (0: none)")
    args = parser.parse_args()
    hostile = {"slowloris": min(args.slowloris, 500), "scans": min(args.scans, 200)}  # bounded
    if args.postgres:
        with temporary_schema(args.postgres, "bench") as url:
            run(url, args.articles, args.max_seconds, args.workers, **hostile)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'stress.db'}", args.articles, args.max_seconds, args.workers, **hostile)


if __name__ == "__main__":
    main()
