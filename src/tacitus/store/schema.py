"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL.

Tables: articles, events (one row per mention, with its evidence), actors,
clusters (the event itself: its mentions counted as GDELT counts them, and the
best mention that stands for it in aggregates and exports) and article signatures with their LSH band buckets for near-duplicate
detection (kept in the store, so memory does not grow with it). The schema is created
and upgraded by Alembic migrations (`tacitus/migrations`).

Writers take the store's write lock for each transaction (`write`): SQLite's
BEGIN IMMEDIATE, a PostgreSQL advisory lock, so that what a writer checks ("is
this article stored?", "which cluster is this mention's?") cannot change
before it commits; a transaction that still fails for a passing reason
(deadlock, serialisation failure, busy database) is retried with backoff.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..errors import TacitusError
from .migrate import WRITER

DEFAULT_DB = "tacitus.db"
SOURCE_COVER = ("source_country", "date", "target_country", "event_type", "quad_class", "polarity", "goldstein")
TARGET_COVER = ("target_country", "date", "source_country", "event_type", "quad_class", "polarity", "goldstein")
DATE_COVER = ("date", "source_country", "target_country", "quad_class", "goldstein", "location_country", "location_name",
              "lat", "lon")
QUAD_COVER = ("quad_class", "date", "goldstein")
TYPE_COVER = ("event_type", "date", "source_country", "target_country")
WRITE_LOCK = 7_470_001  # PostgreSQL advisory lock key (the second key: the schema)
ATTEMPTS = 8  # tries of a write transaction that fails for a passing reason
# SQLSTATEs worth another try: serialisation failure, deadlock, lock not available, and a unique key taken by a
# transaction that committed meanwhile (the retry sees its row and skips what it stored)
TRANSIENT = {"40001", "40P01", "55P03", "23505"}
T = TypeVar("T")
metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, unique=True),
    Column("url", String(2000), index=True),
    Column("title", Text),
    Column("source_name", String(300)),
    Column("published", Date, index=True),
    Column("text", Text, nullable=False),
    Column("text_hash", String(40), nullable=False, unique=True),
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("similarity", Float),
    Column("origin", String(2000)),
    Column("ingested_at", DateTime, nullable=False),
)

signatures = Table(
    "signatures", metadata,
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("published", Date, index=True),
    Column("minhash", LargeBinary, nullable=False),
)

# One row per LSH band of each signature, with the article's day (date ordinal, 0 when undated), so a
# lookup reads only the buckets of the days in the near-duplicate window; an index the loader maintains
# (no foreign key, so deleting an article never scans it).
lsh_buckets = Table(
    "lsh_buckets", metadata,
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("day", Integer, primary_key=True, autoincrement=False),
    Column("article_pk", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

clusters = Table(
    "clusters", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_type", String(20), nullable=False),
    Column("source_code", String(40)),
    Column("target_code", String(40)),
    Column("source_country", String(3)),
    Column("target_country", String(3)),
    Column("place_country", String(3)),
    Column("first_seen", Date),
    Column("last_seen", Date),
    Column("num_mentions", Integer, nullable=False, default=0),
    Column("num_articles", Integer, nullable=False, default=0),
    Column("num_sources", Integer, nullable=False, default=0),
    Column("status", String(12), nullable=False, default="affirmed", server_default="affirmed"),  # or negated, hypothetical
    Column("best_event", Integer),  # events.id of the mention that stands for the event (kept by the loader)
    Index("ix_clusters_dyad", "source_code", "target_code", "event_type"),
)

progress = Table(
    "progress", metadata,
    Column("source", String(1000), primary_key=True),  # an input file (or <stdin>)
    Column("articles", Integer, nullable=False, default=0),  # articles of it stored, duplicates and edits included
    Column("updated_at", DateTime, nullable=False),
)

# What the store's content depends on beyond its schema: the MinHash scheme of its signatures and the
# trafilatura version that read its HTML articles (`tacitus.store.migrate.scheme_changes` compares them).
store_info = Table(
    "store_info", metadata,
    Column("name", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(300)),
    Column("country", String(3), index=True),
    Column("sector", String(10)),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(40), nullable=False, unique=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), nullable=False),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="SET NULL"), index=True),
    Column("sentence_index", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("source_code", String(40)),
    Column("source_country", String(3)),
    Column("source_sector", String(10)),
    Column("target_code", String(40)),
    Column("target_country", String(3)),
    Column("target_sector", String(10)),
    Column("event_type", String(20), nullable=False),
    Column("cameo", String(4), nullable=False),
    Column("cameo_root", String(2), nullable=False),
    Column("cameo_base", String(3), nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("polarity", String(10), nullable=False),
    Column("modality", String(20), nullable=False),
    Column("location_name", String(300)),
    Column("location_country", String(3)),
    Column("lat", Float),
    Column("lon", Float),
    Column("date", Date),
    Column("date_precision", String(10)),
    Column("confidence", Float, nullable=False),
    Column("record", JSON, nullable=False),
    # Covering indexes: a side's (or a window's) counts, series and networks are read from the index alone.
    Index("ix_events_source_cover", *SOURCE_COVER),
    Index("ix_events_target_cover", *TARGET_COVER),
    Index("ix_events_type_cover", *TYPE_COVER),
    Index("ix_events_date_cover", *DATE_COVER),
    Index("ix_events_cameo_date", "cameo", "date"),
    Index("ix_events_base_date", "cameo_base", "date"),
    Index("ix_events_root_date", "cameo_root", "date"),
    Index("ix_events_quad_cover", *QUAD_COVER),
    Index("ix_events_location", "location_country"),
)


class StoreError(TacitusError):
    """The store cannot be opened or written."""


class StoreNotFound(StoreError):
    """A command that only reads was given a store that does not exist (only `tacitus ingest` creates one)."""


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from --db (path or URL), TACITUS_DATABASE_URL, or tacitus.db here."""
    value = db or os.environ.get("TACITUS_DATABASE_URL") or DEFAULT_DB
    if "://" in value:
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://"):]
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN of its own: _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL waits for other connections' locks
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """A writer's transaction takes the write lock first (BEGIN IMMEDIATE), so that what it reads before writing is
    current until it commits (the driver's own BEGIN came only before the first write); readers BEGIN (a snapshot)."""
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":  # each statement its own transaction (ANALYZE, VACUUM)
        return
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection.isolation_level is not None:  # set back to the driver's default after an AUTOCOMMIT use
        dbapi_connection.isolation_level = None
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITER) else "BEGIN")


def transient(exc: BaseException) -> bool:
    """A failure that another try of the same transaction can get past."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in TRANSIENT:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def write(engine: Engine, work: Callable[[Connection], T], attempts: int = ATTEMPTS,
          on_retry: Callable[[], None] | None = None) -> T:
    """`work(conn)` in one transaction holding the store's write lock, tried again (after `on_retry`) on a passing failure.

    One writer at a time: on SQLite BEGIN IMMEDIATE, on PostgreSQL a transaction-level advisory lock of the
    schema, so that concurrent ingests (and the API's writes) end with the store of running them one after another.
    """
    for attempt in range(attempts):
        try:
            with engine.connect() as conn:
                conn.execution_options(**{WRITER: True})
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
                                     {"key": WRITE_LOCK})
                    return work(conn)
        except DBAPIError as exc:
            if attempt + 1 >= attempts or not transient(exc):
                raise
            if on_retry is not None:
                on_retry()
            time.sleep(min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def open_store(db: str | None = None, migrate: bool = True, create: bool = True) -> Engine:
    """An engine on the store, its schema brought up to date by the migrations.

    With `create=False` (commands that only read) a store that does not exist is a StoreNotFound
    naming it, instead of a new empty store.
    """
    url = database_url(db)
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except Exception as exc:  # bad URL or missing driver
        raise StoreError(f"cannot open store {url!r}: {exc}; give a file path or a URL such as "
                         "sqlite:///events.db or postgresql+psycopg://user@host/db") from exc
    if not create:
        _require_store(engine)
        engine.dispose()  # the check's connection had none of the settings below
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    if migrate:
        from .migrate import upgrade

        upgrade(engine)
    return engine


def _require_store(engine: Engine) -> None:
    """StoreNotFound unless the engine's database exists and holds a tacitus store."""
    from sqlalchemy import inspect

    path = engine.url.database if engine.dialect.name == "sqlite" else None
    where = path or engine.url.render_as_string(hide_password=True)
    advice = f"check the path or URL; `tacitus ingest FILES --db {where}` creates a store"
    if engine.dialect.name == "sqlite" and path and path != ":memory:" and not Path(path).is_file():
        engine.dispose()
        raise StoreNotFound(f"no store at {where}: the file does not exist; {advice}")
    try:
        found = inspect(engine).has_table("events")
    except Exception as exc:  # server down, no such database, not a SQLite file
        engine.dispose()
        raise StoreError(f"cannot open store {where}: {exc}") from exc
    if not found:
        engine.dispose()
        raise StoreNotFound(f"no tacitus store at {where}: it has no events table; {advice}")


@contextmanager
def temporary_schema(url: str, prefix: str = "tmp") -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped on exit (tests and benchmarks)."""
    from sqlalchemy import text

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(database_url(url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{database_url(url)}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
