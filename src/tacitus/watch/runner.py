"""The watch loop: poll each source at its interval, store what is new, log and record every poll.

Fetching runs in threads (at most `workers` at once, a slow or dead host holds only its own
source); coding and storing run in the calling thread, one poll at a time, through
`tacitus.store.loader.ingest` and its crash-safe batches. A poll that fails, for any reason, is
logged and recorded, and the source is polled again at its next turn; the others go on.
`stop()` (the CLI calls it on SIGTERM and SIGINT) ends the loop after the batch being stored.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.engine import Engine

from ..models import Article
from ..read.articles import Problem
from ..store.loader import BATCH, Loader, ingest
from .collect import Collected, FolderWatch, collect_url
from .fetch import Fetcher
from .sources import Source
from .state import Poll, record, utcnow, validators

MAX_REASONS = 20  # skipped items named per poll (all are counted)


def json_log(line: dict[str, Any]) -> None:
    """One JSON object per line on stderr."""
    sys.stderr.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    sys.stderr.flush()


class Watcher:
    """Keeps a store current from its sources until stopped (or for a number of polls of each)."""

    def __init__(self, engine: Engine, pipeline, sources: list[Source], fetcher: Fetcher | None = None,
                 log: Callable[[dict[str, Any]], None] = json_log, batch_size: int = BATCH, workers: int = 8,
                 settle: float | None = None) -> None:
        self.engine = engine
        self.pipeline = pipeline
        self.sources = [source for source in sources if source.enabled]
        self.fetcher = fetcher or Fetcher()
        self.log = log
        self.batch_size = batch_size
        self.loader = Loader(engine)
        self.stopping = threading.Event()
        self.polls: Counter[str] = Counter()
        self._results: queue.Queue[tuple[Source, Collected, float]] = queue.Queue()
        self._slots = threading.Semaphore(workers)
        self._poll: Poll | None = None
        saved = validators(engine)
        self.kinds: dict[str, str] = {}
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        for source in self.sources:
            kind, location, etag, modified = saved.get(source.name, (source.kind, None, None, None))
            same = location == source.location
            self.kinds[source.name] = kind if same and source.kind == "auto" and kind in ("feed", "page") else source.kind
            self.validators[source.name] = (etag, modified) if same else (None, None)
        self.folders = {s.name: FolderWatch(s, settle if settle is not None else min(1.0, s.interval))
                        for s in self.sources if s.kind in ("folder", "file")}

    def stop(self) -> None:
        """End after the batch being stored; a poll cut short is fetched again in full next time."""
        self.stopping.set()

    def run(self, polls: int | None = None) -> None:
        """Poll until stopped, or until every source was polled `polls` times."""
        for folder in self.folders.values():
            folder.start()
        due = {source.name: 0.0 for source in self.sources}
        inflight: set[str] = set()
        on_problem = getattr(self.pipeline, "on_problem", None)
        self.pipeline.on_problem = self._problem
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                waiting = [s for s in self.sources if s.name not in inflight and (polls is None or self.polls[s.name] < polls)]
                for source in waiting:
                    if due[source.name] <= now:
                        inflight.add(source.name)
                        threading.Thread(target=self._collect, args=(source, now), daemon=True,
                                         name=f"poll {source.name}").start()
                if not inflight and not waiting:
                    break
                later = [due[s.name] - now for s in waiting if s.name not in inflight]
                try:
                    source, collected, started = self._results.get(timeout=min(max(min(later, default=0.5), 0.01), 0.5))
                except queue.Empty:
                    continue
                inflight.discard(source.name)
                due[source.name] = started + source.interval
                self._store(source, collected, started)
                self.polls[source.name] += 1
        finally:
            self.stopping.set()
            self.pipeline.on_problem = on_problem
            for folder in self.folders.values():
                folder.stop()

    def close(self) -> None:
        self.fetcher.close()

    def _collect(self, source: Source, started: float) -> None:
        """In a thread of its own: the source's answer, or why there is none, handed to the storing thread."""
        try:
            with self._slots:
                if source.name in self.folders:
                    collected = self.folders[source.name].collect()
                else:
                    etag, modified = self.validators[source.name]
                    collected = collect_url(self.fetcher, source, self.kinds[source.name], etag, modified)
        except Exception as exc:  # a reader's bug must not end the watch either
            collected = Collected(self.kinds[source.name], "error", errors=[f"{type(exc).__name__}: {exc}"])
        self._results.put((source, collected, started))

    def _problem(self, problem: Problem) -> None:
        if self._poll is not None:
            self._skip(self._poll, str(problem))

    @staticmethod
    def _skip(poll: Poll, reason: str) -> None:
        poll.skipped_count += 1
        if len(poll.skipped) < MAX_REASONS:
            poll.skipped.append(reason)

    def _articles(self, poll: Poll, items) -> Iterator[Article]:
        for item in items:
            if self.stopping.is_set():
                return
            if isinstance(item, Problem):
                self._skip(poll, str(item))
            else:
                yield item

    def _store(self, source: Source, collected: Collected, started: float) -> None:
        poll = Poll(source, collected.kind, status=collected.status, errors=list(collected.errors),
                    etag=collected.etag, last_modified=collected.last_modified, at=utcnow())
        self._poll = poll
        stats = self.loader.stats
        before = (stats.added, stats.replaced, stats.unchanged, stats.events)
        if collected.status == "ok":
            try:
                for _ in ingest(self.engine, self.pipeline, self._articles(poll, collected.items), self.loader,
                                self.batch_size):
                    if self.stopping.is_set():
                        break
            except Exception as exc:  # the store went away, a coding bug: this poll failed, the watch goes on
                poll.status = "error"
                poll.errors.append(f"store: {type(exc).__name__}: {str(exc)[:500]}")
                if source.name in self.folders:  # the paths taken for this poll are read again, with all the others
                    self.folders[source.name].reread()
                try:
                    self.loader = Loader(self.engine)  # its bookkeeping of the failed batch is dropped with it
                except Exception:  # the store is still down: the old one at worst codes an article twice
                    pass
            if self.stopping.is_set() and poll.status == "ok":
                poll.status = "stopped"
        stats = self.loader.stats if poll.status != "error" else stats
        poll.new, poll.replaced, poll.unchanged, poll.events = (
            after - earlier for after, earlier in zip((stats.added, stats.replaced, stats.unchanged, stats.events),
                                                      before, strict=True))
        poll.duration = time.monotonic() - started
        self._poll = None
        self.kinds[source.name] = collected.kind
        if poll.status == "ok":
            self.validators[source.name] = (collected.etag, collected.last_modified)
        self.log(poll.line())
        try:
            record(self.engine, poll)
        except Exception as exc:  # the store is down: the log has the poll, the next one records again
            self.log({"time": poll.line()["time"], "source": source.name, "status": "error",
                      "errors": [f"cannot record the poll: {type(exc).__name__}: {str(exc)[:300]}"]})
