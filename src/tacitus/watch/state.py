"""What `tacitus watch` keeps in the store about each source, and the status read from it.

Table watch_sources (migration 0009) holds one row per source name: its last poll, last success,
last new article, counts of polls, failures and stored articles and events, the last error, and the
validators (ETag, Last-Modified) of its last complete answer. A row is written after each poll,
once the poll's articles are stored, so a watcher killed mid-poll fetches the whole answer again
and the loader skips what is already stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, func, select
from sqlalchemy.engine import Connection, Engine

from ..store.queries import counts
from ..store.rows import dialect_insert
from ..store.schema import progress, write
from .sources import Source

metadata = MetaData()
watch_sources = Table(
    "watch_sources", metadata,
    Column("name", String(300), primary_key=True),
    Column("location", String(2000), nullable=False),
    Column("kind", String(10), nullable=False),  # folder, file, feed, page, auto (a URL not yet answered)
    Column("interval_seconds", Float, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("polls", Integer, nullable=False),
    Column("failed_polls", Integer, nullable=False),
    Column("consecutive_failures", Integer, nullable=False),
    Column("articles", Integer, nullable=False),  # new articles stored from it (edits included)
    Column("events", Integer, nullable=False),
    Column("last_poll_at", DateTime),
    Column("last_success_at", DateTime),
    Column("last_new_at", DateTime),
    Column("last_duration", Float),
    Column("last_new", Integer),
    Column("last_error", Text),
    Column("last_error_at", DateTime),
    Column("etag", String(1000)),
    Column("last_modified", String(200)),
)


@dataclass
class Poll:
    """What one poll of a source did."""

    source: Source
    kind: str
    status: str = "ok"  # ok, not-modified, error, stopped
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)  # items that could not be read: the first reasons
    skipped_count: int = 0
    errors: list[str] = field(default_factory=list)
    duration: float = 0.0
    at: dt.datetime = field(default_factory=lambda: utcnow())
    etag: str | None = None
    last_modified: str | None = None

    def line(self) -> dict[str, Any]:
        """The structured log line of this poll."""
        return {"time": self.at.isoformat(timespec="seconds") + "Z", "source": self.source.name, "kind": self.kind,
                "status": self.status, "new": self.new, "replaced": self.replaced, "unchanged": self.unchanged,
                "events": self.events, "skipped": self.skipped_count, "errors": self.errors,
                "duration": round(self.duration, 3)}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def validators(engine: Engine) -> dict[str, tuple[str, str, str | None, str | None]]:
    """name -> (kind, location, ETag, Last-Modified) of every source polled before: what a restarted watcher
    resumes from."""
    with engine.connect() as conn:
        rows = conn.execute(select(watch_sources.c.name, watch_sources.c.kind, watch_sources.c.location,
                                   watch_sources.c.etag, watch_sources.c.last_modified)).all()
    return {row.name: (row.kind, row.location, row.etag, row.last_modified) for row in rows}


def record(engine: Engine, poll: Poll) -> None:
    """Add one poll to its source's row (created on the first poll), in a write transaction of its own."""
    failed = poll.status == "error"
    stored = poll.new + poll.replaced
    source = poll.source
    row = {"name": source.name, "location": source.location[:2000], "kind": poll.kind,
           "interval_seconds": source.interval, "enabled": source.enabled, "polls": 1, "failed_polls": int(failed),
           "consecutive_failures": int(failed), "articles": stored, "events": poll.events, "last_poll_at": poll.at,
           "last_success_at": None if failed else poll.at, "last_new_at": poll.at if stored else None,
           "last_duration": poll.duration, "last_new": stored,
           "last_error": "; ".join(poll.errors)[:4000] or None, "last_error_at": poll.at if poll.errors else None,
           "etag": (poll.etag or "")[:1000] or None, "last_modified": (poll.last_modified or "")[:200] or None}

    def work(conn: Connection) -> None:
        table = watch_sources
        added = dialect_insert(conn, table).values(**row)
        new = added.excluded
        changes = {"location": new.location, "kind": new.kind, "interval_seconds": new.interval_seconds,
                   "enabled": new.enabled, "polls": table.c.polls + 1, "failed_polls": table.c.failed_polls + new.failed_polls,
                   "consecutive_failures": 0 if not failed else table.c.consecutive_failures + 1,
                   "articles": table.c.articles + new.articles, "events": table.c.events + new.events,
                   "last_poll_at": new.last_poll_at, "last_duration": new.last_duration, "last_new": new.last_new}
        if not failed:
            changes["last_success_at"] = new.last_success_at
        if stored:
            changes["last_new_at"] = new.last_new_at
        if poll.errors:
            changes["last_error"], changes["last_error_at"] = new.last_error, new.last_error_at
        if poll.status == "ok":  # validators of a complete answer only: a failed or stopped poll asks again in full
            changes["etag"], changes["last_modified"] = new.etag, new.last_modified
        conn.execute(added.on_conflict_do_update(index_elements=["name"], set_=changes))

    write(engine, work)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def status(engine: Engine, now: dt.datetime | None = None) -> dict[str, Any]:
    """Each watched source's last poll, lag (seconds since its last successful poll), errors and counts, the
    store's row counts, and when the store was last written and by which sources."""
    now = now or utcnow()
    rows, fresh = _read(engine)
    sources = []
    for row in rows:
        since = row["last_success_at"]
        lag = (now - since).total_seconds() if since else None
        overdue = lag is None or lag > 2 * row["interval_seconds"] + 60
        sources.append({
            "name": row["name"], "location": row["location"], "kind": row["kind"], "interval": row["interval_seconds"],
            "enabled": row["enabled"], "polls": row["polls"], "failed_polls": row["failed_polls"],
            "consecutive_failures": row["consecutive_failures"], "articles": row["articles"], "events": row["events"],
            "last_poll": _iso(row["last_poll_at"]), "last_success": _iso(since), "last_new": _iso(row["last_new_at"]),
            "lag_seconds": round(lag, 1) if lag is not None else None, "last_duration": row["last_duration"],
            "last_error": row["last_error"], "last_error_at": _iso(row["last_error_at"]),
            "state": "failing" if row["consecutive_failures"] else ("late" if overdue else "ok"),
        })
    return {"now": _iso(now), "store": counts(engine), **fresh, "sources": sources}


def freshness(engine: Engine) -> dict[str, Any]:
    """When the store was last written and by which sources, newest first (cheap: no counts)."""
    return _read(engine)[1]


def _read(engine: Engine, limit: int = 5) -> tuple[list, dict[str, Any]]:
    """The watched sources' rows, and the freshness: watched sources by their last new article, then the inputs
    of `tacitus ingest` (table progress, whose rows for URLs the watched sources' rows stand for)."""
    with engine.connect() as conn:
        rows = conn.execute(select(watch_sources).order_by(watch_sources.c.name)).mappings().all()
        recent = conn.execute(select(progress.c.source, progress.c.articles, progress.c.updated_at)
                              .where(~progress.c.source.startswith("http:"), ~progress.c.source.startswith("https:"))
                              .order_by(progress.c.updated_at.desc(), progress.c.source).limit(limit)).all()
        last = conn.execute(select(func.max(progress.c.updated_at))).scalar()
    found = [(row["last_new_at"], row["name"], row["articles"]) for row in rows if row["last_new_at"]]
    found += [(r.updated_at, r.source, r.articles) for r in recent]
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    latest = max([t for t in (last, found[0][0] if found else None) if t], default=None)
    return rows, {"updated_at": _iso(latest), "updated_by": [{"source": name, "articles": count, "updated_at": _iso(at)}
                                                             for at, name, count in found[:limit]]}
