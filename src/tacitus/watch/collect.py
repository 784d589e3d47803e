"""What one poll of a source finds: the articles of a feed or page answer, or of a folder's new and changed files.

URLs are read with the readers of `tacitus.read.articles` (feedparser for feeds, trafilatura for
pages); a URL of kind "auto" is a feed or a page as its first answer says, and keeps that kind, so a
feed that later answers with an HTML page (a login wall, an error page) is reported, never stored.
Folders (and single files) are followed with `watchfiles`: a thread per source collects the paths
that changed; a poll reads those whose last change is at least `settle` seconds old (a file still
being written waits for the next poll). The first poll after a start reads everything, so a watcher
that was stopped or killed misses nothing (the loader skips what is stored).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Article
from ..read.articles import ALL_SUFFIXES, Problem, article_from_html, decode, read_path, records_from_feed
from ..read.folders import files_of
from .fetch import Fetcher, FetchError
from .sources import Source

FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>/]", re.IGNORECASE)
MAX_ID = 150  # an item id (a feed's guid) longer than this is cut; the store keeps ids unique


@dataclass
class Collected:
    """A poll's answer, before storing: its items (read lazily for folders) or why there are none."""

    kind: str
    status: str = "ok"  # ok, not-modified, error
    items: Iterable[Article | Problem] = ()
    errors: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None


def looks_like_feed(body: bytes, content_type: str) -> bool:
    """An RSS or Atom document, by its root element (a content type says little: many feeds are text/html)."""
    head = body[:8192]
    match = FEED_ROOT.search(head)
    return bool(match) and b"<html" not in head[:match.start()].lower()


def collect_url(fetcher: Fetcher, source: Source, kind: str, etag: str | None, last_modified: str | None,
                today: dt.date | None = None) -> Collected:
    """Fetch a feed or page URL (conditionally) and read it; failures are a Collected with status "error"."""
    try:
        answer = fetcher.get(source.location, etag, last_modified)
    except FetchError as exc:
        return Collected(kind, "error", errors=[str(exc)])
    if answer.status == 304:
        return Collected(kind, "not-modified", etag=etag, last_modified=last_modified)
    feedish = looks_like_feed(answer.body, answer.content_type)
    kind = ("feed" if feedish else "page") if kind == "auto" else kind
    got = Collected(kind, etag=answer.etag, last_modified=answer.last_modified)
    what = answer.content_type.split(";")[0].strip() or "no content type"
    if kind == "feed" and not feedish:
        sort = "an HTML page" if b"<html" in answer.body[:8192].lower() else "no RSS/Atom document"
        return Collected(kind, "error", errors=[f"not-a-feed: expected an RSS/Atom feed, got {sort} ({what})"])
    if kind == "page" and feedish:
        return Collected(kind, "error", errors=["not-a-page: the URL answers with a feed; give it as kind: feed"])
    date = source.default_date(today)
    if kind == "feed":
        if not re.search(rb"<(?:item|entry)[\s>/]", answer.body, re.IGNORECASE):
            return got  # a feed with no items yet
        got.items = [_fitted(item) for item in records_from_feed(answer.body, source.location, date)]
        return got
    text = decode(answer.body, source.location)
    if isinstance(text, Problem):
        return Collected(kind, "error", errors=[f"page: {text.reason}"])
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", source.location.split("://", 1)[-1]).strip("-")
    items = [_fitted(item, source.location) for item in article_from_html(text, source.location, stem, date)]
    got.errors = [f"page: {item.reason}" for item in items if isinstance(item, Problem)]
    got.items = [item for item in items if isinstance(item, Article)]
    got.status = "error" if got.errors and not got.items else "ok"
    return got


def _fitted(item: Article | Problem, url: str | None = None) -> Article | Problem:
    """An article with an id the store holds, and the page's URL when the page names none."""
    if isinstance(item, Problem):
        return item
    changes: dict[str, object] = {}
    if len(item.id) > MAX_ID:
        changes["id"] = item.id[:MAX_ID]
    if url and not item.url:
        changes["url"] = url
    return dataclasses.replace(item, **changes) if changes else item


class FolderWatch:
    """The changed files of a folder (or of one file), collected by a watchfiles thread between polls."""

    def __init__(self, source: Source, settle: float = 1.0) -> None:
        self.source = source
        self.settle = settle
        self.path = Path(source.location)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._changed: set[Path] = set()
        self._thread: threading.Thread | None = None
        self._full = True  # the next poll reads everything: the first one, and after the watch thread failed
        self.error: str | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._full = True
        self.error = None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"watch {self.source.name}", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 2.0) -> None:
        """Stop the watch thread, waiting up to `wait` seconds for it to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait)

    def reread(self) -> None:
        """Read everything at the next poll (what a failed poll took is not lost)."""
        with self._lock:
            self._full = True

    def _run(self) -> None:
        import watchfiles

        root = self.path if self.source.kind == "folder" else self.path.parent
        only = None if self.source.kind == "folder" else self.path.name

        def wanted(change: watchfiles.Change, name: str) -> bool:
            path = Path(name)
            return change != watchfiles.Change.deleted and (path.name == only if only else path.suffix.lower() in ALL_SUFFIXES)

        try:
            for changes in watchfiles.watch(root, watch_filter=wanted, debounce=200, step=50, stop_event=self._stop,
                                            raise_interrupt=False, rust_timeout=1000, yield_on_timeout=False):
                with self._lock:
                    self._changed.update(Path(name) for _, name in changes)
                    if len(self._changed) > 100_000:  # a flood of changes: read the folder whole instead
                        self._changed.clear()
                        self._full = True
        except Exception as exc:  # the folder vanished, too many watches, ...: the next poll reports it and restarts
            self.error = f"{type(exc).__name__}: {exc}"

    def collect(self, today: dt.date | None = None) -> Collected:
        if not self.path.exists():
            return Collected(self.source.kind, "error", errors=[f"missing: {self.path} does not exist (any more)"])
        if self._thread is None or not self._thread.is_alive():
            errors = [f"watch: {self.error}; watching again"] if self.error else []
            self.start()
            if errors:
                return Collected(self.source.kind, "error", errors=errors)
        with self._lock:
            full, self._full = self._full, False
            ready = [] if full else self._settled()
        date = self.source.default_date(today)
        if full:
            return Collected(self.source.kind, items=self._read_all(date))
        return Collected(self.source.kind, items=self._read(ready, date))

    def _settled(self) -> list[Path]:
        """Changed paths whose last change is `settle` seconds old (taken); the others wait. Called under the lock."""
        now = time.time()
        ready = []
        for path in sorted(self._changed):
            try:
                young = now - path.stat().st_mtime < self.settle
            except OSError:  # gone again
                young = False
                self._changed.discard(path)
                continue
            if not young:
                ready.append(path)
        self._changed.difference_update(ready)
        return ready

    def _read_all(self, date: dt.date | None) -> Iterator[Article | Problem]:
        if self.source.kind == "file":
            yield from read_path(self.path, date)
            return
        for item in files_of(self.path, ALL_SUFFIXES):
            yield from [item] if isinstance(item, Problem) else read_path(item, date)

    @staticmethod
    def _read(paths: list[Path], date: dt.date | None) -> Iterator[Article | Problem]:
        for path in paths:
            if path.is_file():
                yield from read_path(path, date)
