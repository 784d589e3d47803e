"""`tacitus watch` over a long run: a loopback server publishes 50 articles a minute, the watcher keeps a store current.

Runs `tacitus watch FEED --every 15s` (a subprocess, as in production) against a feed on loopback that
gains an article every 1.2 s (50 a minute; the feed holds the newest 100 items, as real feeds hold a
window), for --minutes (default 30). Reports the lag from publication to stored (median, 95th
percentile, maximum), the watcher's resident memory at the start (after its first poll) and at the end,
its poll errors, and whether every published article was stored exactly once.

    python benchmarks/watch_benchmark.py --minutes 30 [--every 15s] [--db bench.db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil
from sqlalchemy import create_engine, select

from tacitus.store import articles, database_url

PER_MINUTE = 50
WINDOW = 100  # items in the feed
ACTORS = ["Germany", "France", "Russia", "Turkey", "Armenia", "Azerbaijan", "Iran", "China", "Japan", "Brazil"]
VERBS = ["condemned", "criticised", "praised", "threatened", "accused"]


def story(n: int, topic: str) -> str:
    """A short English news text with an event or two, unique by its number."""
    a, b = ACTORS[n % 10], ACTORS[(n * 3 + 1) % 10 if (n * 3 + 1) % 10 != n % 10 else (n + 1) % 10]
    return (f"{a} {VERBS[n % 5]} {b} on Tuesday over the {topic} dispute, officials said in report number {n}. "
            f"The foreign ministry of {a} said that talks with {b} would continue in the capital next week.")


class Publisher:
    """Publishes an article every 60/PER_MINUTE seconds; remembers when each was published."""

    def __init__(self) -> None:
        self.published: dict[str, float] = {}  # URL -> wall-clock time of publication
        self.items: list[tuple[str, str, float]] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def run(self, base: str, seconds: float) -> None:
        start = time.time()
        n = 0
        while not self.stopped.is_set() and time.time() - start < seconds:
            now = time.time()
            url = f"{base}/news/{n}"
            with self.lock:
                self.items.append((url, story(n, f"harbour {n // 10}"), now))
                self.items = self.items[-WINDOW:]
                self.published[url] = now
            n += 1
            self.stopped.wait(max(0.0, start + n * 60 / PER_MINUTE - time.time()))

    def feed(self) -> bytes:
        with self.lock:
            items = list(self.items)
        body = "".join(
            f"<item><title>Item {url.rsplit('/', 1)[1]}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{format_datetime(dt.datetime.fromtimestamp(at, dt.UTC))}</pubDate>"
            f"<description>{text}</description></item>" for url, text, at in reversed(items))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title><link>http://x/</link>'
                f"<description>b</description>{body}</channel></rss>").encode()


def serve(publisher: Publisher) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = publisher.feed() if self.path.startswith("/feed") else b"User-agent: *\nAllow: /\n"
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if self.path.startswith("/feed") else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", default="15s", help="watch interval (default 15s)")
    parser.add_argument("--db", help="store (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    seconds = args.minutes * 60
    db = args.db or str(Path(tempfile.mkdtemp(prefix="watchbench-")) / "bench.db")
    publisher = Publisher()
    server = serve(publisher)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = {**os.environ, "TACITUS_WATCH_HOST_DELAY": "0"}
    log_path = Path(db).with_suffix(".log") if "://" not in db else Path("watch_benchmark.log")
    log = open(log_path, "a", encoding="utf-8")  # the watcher's stderr: one JSON line per poll
    watcher = subprocess.Popen([sys.executable, "-m", "tacitus.cli", "watch", f"{base}/feed.xml", "--every", args.every,
                                "--db", db], stdout=subprocess.DEVNULL, stderr=log, env=env)
    threading.Thread(target=publisher.run, args=(base, seconds), daemon=True).start()
    process = psutil.Process(watcher.pid)
    rss_start = None
    samples = []
    began = time.time()
    while time.time() - began < seconds + 60 and watcher.poll() is None:  # a minute more to store the last items
        time.sleep(5)
        rss = process.memory_info().rss
        if rss_start is None and '"status"' in log_path.read_text(encoding="utf-8"):
            rss_start = rss
        samples.append(rss)
    rss_end = process.memory_info().rss if watcher.poll() is None else None
    watcher.send_signal(signal.SIGTERM)
    watcher.wait(120)
    publisher.stopped.set()
    server.shutdown()
    log.close()
    polls = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.url, articles.c.ingested_at)).all()
    engine.dispose()
    urls = [row.url for row in rows]
    lags = sorted(row.ingested_at.replace(tzinfo=dt.UTC).timestamp() - publisher.published[row.url]
                  for row in rows if row.url in publisher.published)
    errors = [p for p in polls if p.get("errors")]
    report = {
        "minutes": args.minutes, "interval": args.every, "published": len(publisher.published), "stored": len(rows),
        "stored_twice": len(urls) - len(set(urls)), "missing": len(set(publisher.published) - set(urls)),
        "lag_seconds": {"median": round(statistics.median(lags), 1), "p95": round(lags[int(0.95 * (len(lags) - 1))], 1),
                        "max": round(lags[-1], 1)} if lags else None,
        "rss_mb": {"start": round(rss_start / 2**20, 1) if rss_start else None,
                   "end": round(rss_end / 2**20, 1) if rss_end else None,
                   "max": round(max(samples) / 2**20, 1) if samples else None,
                   "by_minute": [round(rss / 2**20, 1) for rss in samples[::12]]},  # a sample every 5 s
        "growth_percent": round(100 * (rss_end - rss_start) / rss_start, 1) if rss_start and rss_end else None,
        "polls": len(polls), "poll_errors": len(errors), "first_errors": [e["errors"] for e in errors[:3]],
        "exit_code": watcher.returncode, "store": db,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
