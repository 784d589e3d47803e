"""API and dashboard latency on a store of synthetic events, over real HTTP.

Fills a store with N synthetic events (default 1,000,000, as
`store_benchmark.py` makes them), starts `tacitus serve` on a free loopback
port and times the main endpoints with repeated requests: p50 and p95 in ms,
plus the dashboard's first page. Goals (issue 6): p95 < 100 ms for filtered
event queries, < 300 ms for reactions and time series, first page < 1 s.

Warm figures follow one warm-up request of each kind; a user meets the cold
ones (issue 18: first page of `events?target=X` < 100 ms at p95). `--cold N`
starts N fresh servers, one after another: each is sent nothing (not even a
readiness probe: the benchmark waits until its port accepts a connection)
before its first request, `events?target=X` with a target no earlier round
asked first, timed alone; then, in the same process, first pages for targets
it was never asked. Start-up (command to port open) is reported beside them.

    python benchmarks/api_benchmark.py                          # SQLite
    python benchmarks/api_benchmark.py --events 200000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/api_benchmark.py --events 200000 --cold 20 --runs 0   # cold first pages only
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_benchmark import COUNTRIES, TYPES, fill, month  # noqa: E402

from tacitus.store import open_store, temporary_schema  # noqa: E402


def cases(rng: random.Random):
    """(label, path, params) factories: the requests an analyst's session makes."""
    def window():
        start, end = month(rng)
        return {"from": start.isoformat(), "to": end.isoformat()}

    return [
        ("events target=X", "/api/events", lambda: {"target": rng.choice(COUNTRIES)}),
        ("events source=X type=T", "/api/events", lambda: {"source": rng.choice(COUNTRIES), "type": rng.choice(TYPES)[0]}),
        ("events target=X month", "/api/events", lambda: {"target": rng.choice(COUNTRIES)} | window()),
        ("events cameo=19 -date", "/api/events", lambda: {"cameo": "19", "sort": "-date"}),
        ("events month, next page", "/api/events", None),  # filled in by the loop: follows next_cursor
        ("event detail", "/api/events/{id}", None),
        ("reactions target=X month", "/api/reactions", lambda: {"target": rng.choice(COUNTRIES)} | window()),
        ("reactions target=X all time", "/api/reactions", lambda: {"target": rng.choice(COUNTRIES)}),
        ("timeseries dyad, week", "/api/timeseries", lambda: dict(zip(("source", "target"), rng.sample(COUNTRIES, 2), strict=True)) | {"interval": "week"}),
        ("timeseries actor, week", "/api/timeseries", lambda: {"actor": rng.choice(COUNTRIES), "interval": "week"}),
        ("network target=X month", "/api/network", lambda: {"target": rng.choice(COUNTRIES)} | window()),
        ("places month", "/api/places", window),
        ("actor X", "/api/actors/{code}", None),
        ("dashboard overview /", "/", lambda: {}),
        ("dashboard reactions", "/reactions", lambda: {"target": rng.choice(COUNTRIES)}),
        ("dashboard events", "/events", lambda: {"target": rng.choice(COUNTRIES)}),
    ]


def timed(client: httpx.Client, path: str, params: dict) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: HTTP {response.status_code} {response.text[:300]}")
    return elapsed, response


def measure(base: str, runs: int) -> list[str]:
    rng = random.Random(11)
    lines = []
    with httpx.Client(base_url=base, timeout=60) as client:
        timed(client, "/", {})  # warm caches once, as a running server would be
        for label, path, make in cases(rng):
            times = []
            for attempt in range(runs + 1):  # the first request of each kind warms the caches and is not counted
                if label == "events month, next page":
                    start, end = month(rng)
                    first = client.get("/api/events", params={"from": start.isoformat(), "to": end.isoformat()}).json()
                    params = {"from": start.isoformat(), "to": end.isoformat(), "cursor": first["next_cursor"]}
                elif label == "event detail":
                    path, params = f"/api/events/bench{rng.randrange(100000)}", {}
                elif label == "actor X":
                    path, params = f"/api/actors/{rng.choice(COUNTRIES)}", {}
                else:
                    params = make()
                elapsed, _ = timed(client, path, params)
                if attempt:
                    times.append(elapsed)
            lines.append(summary(label, times))
    return lines


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def summary(label: str, times: list[float]) -> str:
    return f"  {label:<30} p50={statistics.median(times):7.1f} ms  p95={p95(times):7.1f} ms  (n={len(times)})"


def serve(url: str, probe: bool = True) -> tuple[subprocess.Popen, str]:
    """A `tacitus serve` process on a free port, once it accepts connections; `probe=False` sends it no request."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "serve", "--db", url, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if probe:
                httpx.get(base + "/api/stats", timeout=120)
            else:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()  # uvicorn listens once the app is built
            return process, base
        except (httpx.TransportError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("tacitus serve did not start") from None
            time.sleep(0.02)


def measure_cold(url: str, rounds: int, fresh_targets: int = 3) -> list[str]:
    """First pages of `events?target=X` from fresh servers: the very first request, then targets not asked before."""
    first, new, start = [], [], []
    for round_ in range(rounds):
        asked = COUNTRIES[round_ % len(COUNTRIES):] + COUNTRIES[:round_ % len(COUNTRIES)]
        started = time.perf_counter()
        process, base = serve(url, probe=False)
        start.append((time.perf_counter() - started) * 1000)
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                for n, target in enumerate(asked[:1 + fresh_targets]):
                    elapsed, response = timed(client, "/api/events", {"target": target})
                    if not response.json()["events"]:
                        raise SystemExit(f"events?target={target}: an empty first page")
                    (new if n else first).append(elapsed)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return [summary("cold: first request after start", first), summary("cold: a target not asked before", new),
            f"  {'start-up (command to port open)':<30} p50={statistics.median(start) / 1000:7.2f} s   "
            f"p95={p95(start) / 1000:7.2f} s"]


def run(url: str, total: int, runs: int, label: str, reuse: bool = False, cold: int = 0) -> None:
    engine = open_store(url)
    with engine.connect() as conn:
        present = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    if reuse and present:
        total, rate = present, float("nan")
    else:
        rate = fill(engine, total, 10_000)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # as autovacuum would leave a settled table: statistics, and PostgreSQL's visibility map for index-only scans
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()
    print(f"{label}: {total:,} events written at {rate:,.0f} events/s; {runs} requests per endpoint", flush=True)
    if cold:
        for line in measure_cold(url, cold):
            print(line, flush=True)
    if not runs:
        return
    process, base = serve(url)
    try:
        for line in measure(base, runs):
            print(line, flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40, help="warm requests per endpoint (0: none)")
    parser.add_argument("--cold", type=int, default=20, metavar="N", help="fresh servers for cold first pages (0: none)")
    parser.add_argument("--postgres", help="also measure on PostgreSQL (a schema of its own, dropped after)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--reuse", metavar="FILE_OR_URL", help="measure a store this benchmark filled before")
    args = parser.parse_args()
    if args.reuse:
        label = "PostgreSQL" if args.reuse.startswith("postgresql") else "SQLite"
        run(args.reuse, args.events, args.runs, label, reuse=True, cold=args.cold)
        return
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(str(Path(tmp) / "api.db"), args.events, args.runs, "SQLite", cold=args.cold)
    if args.postgres:
        with temporary_schema(args.postgres, "bench") as url:
            run(url, args.events, args.runs, "PostgreSQL", cold=args.cold)


if __name__ == "__main__":
    main()
