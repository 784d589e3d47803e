"""The event store: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL.

Tables: articles, events (one row per mention, with its evidence), actors,
clusters (the same event reported several times, counted as GDELT counts it)
and article signatures with their LSH band buckets for near-duplicate
detection (kept in the store, so memory does not grow with it). The schema is created
and upgraded by Alembic migrations (`tacitus/migrations`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    func,
    select,
)
from sqlalchemy.engine import Engine

from .errors import TacitusError
from .models import Actor, Article, Event, Location, Span

DEFAULT_DB = "tacitus.db"
SOURCE_COVER = ("source_country", "date", "target_country", "event_type", "quad_class", "polarity", "goldstein")
TARGET_COVER = ("target_country", "date", "source_country", "event_type", "quad_class", "polarity", "goldstein")
DATE_COVER = ("date", "source_country", "target_country", "quad_class", "goldstein", "location_country", "location_name",
              "lat", "lon")
QUAD_COVER = ("quad_class", "date", "goldstein")
TYPE_COVER = ("event_type", "date", "source_country", "target_country")
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
    Index("ix_clusters_dyad", "source_code", "target_code", "event_type"),
)

progress = Table(
    "progress", metadata,
    Column("source", String(1000), primary_key=True),  # an input file (or <stdin>)
    Column("articles", Integer, nullable=False, default=0),  # articles of it stored, duplicates and edits included
    Column("updated_at", DateTime, nullable=False),
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


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from --db (path or URL), TACITUS_DATABASE_URL, or tacitus.db here."""
    value = db or os.environ.get("TACITUS_DATABASE_URL") or DEFAULT_DB
    if "://" in value:
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://"):]
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL waits for other connections' locks
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_store(db: str | None = None, migrate: bool = True) -> Engine:
    """An engine on the store, its schema brought up to date by the migrations."""
    url = database_url(db)
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except Exception as exc:  # bad URL or missing driver
        raise StoreError(f"cannot open store {url!r}: {exc}; give a file path or a URL such as "
                         "sqlite:///events.db or postgresql+psycopg://user@host/db") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        from .migrate import upgrade

        upgrade(engine)
    return engine


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


def event_row(event: Event, article_pk: int) -> dict[str, Any]:
    record = event.to_dict()
    loc = event.location
    return {
        "event_id": event.event_id, "article_pk": article_pk, "article_id": event.article_id,
        "sentence_index": event.sentence_index, "sentence": event.sentence,
        "source_code": event.source.code if event.source else None,
        "source_country": event.source.key if event.source else None,
        "source_sector": event.source.sector if event.source else None,
        "target_code": event.target.code if event.target else None,
        "target_country": event.target.key if event.target else None,
        "target_sector": event.target.sector if event.target else None,
        "event_type": event.event_type, "cameo": event.cameo, "cameo_root": event.cameo[:2],
        "cameo_base": event.cameo[:3], "quad_class": event.quad_class,
        "goldstein": event.goldstein, "polarity": event.polarity, "modality": event.modality,
        "location_name": loc.name if loc else None, "location_country": loc.country if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "date": dt.date.fromisoformat(event.date) if event.date else None,
        "date_precision": event.date_precision, "confidence": event.confidence, "record": record,
    }


def _actor(data: dict | None) -> Actor | None:
    return Actor(**data) if data else None


def event_from_record(record: dict[str, Any]) -> Event:
    """The Event back from its stored record."""
    loc = record.get("location")
    return Event(
        event_id=record["event_id"], article_id=record["article_id"], sentence_index=record["sentence_index"],
        sentence=record["sentence"], source=_actor(record.get("source")), target=_actor(record.get("target")),
        event_type=record["event_type"], mode=record.get("mode"), cameo=record["cameo"],
        quad_class=record["quad_class"], goldstein=record["goldstein"], trigger=Span(**record["trigger"]),
        polarity=record["polarity"], modality=record["modality"], intended_type=record.get("intended_type"),
        attributed_to=_actor(record.get("attributed_to")), location=Location(**loc) if loc else None,
        date=record.get("date"), date_precision=record["date_precision"], date_text=record.get("date_text"),
        confidence=record["confidence"], rule=record["rule"], sentence_start=record.get("sentence_start", 0),
    )


@dataclass(frozen=True)
class EventFilter:
    """The filters of `tacitus query`, the API and the exports."""

    source: str | None = None  # actor code or country, as source
    target: str | None = None
    actor: str | None = None  # either side
    event_type: str | None = None
    cameo: str | None = None  # prefix
    quad_class: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: str | None = None  # place name or country
    text: str | None = None  # search in evidence
    min_confidence: float | None = None
    modality: str | None = None
    polarity: str | None = None


def _actor_clause(code_col, country_col, value: str):
    value = value.upper()
    if len(value) == 3:
        return country_col == value
    return code_col.like(value + "%")


def filtered(flt: EventFilter):
    """A SELECT over events with every filter as a bound parameter (never string-built SQL)."""
    query = select(events)
    conditions = []
    if flt.source:
        conditions.append(_actor_clause(events.c.source_code, events.c.source_country, flt.source))
    if flt.target:
        conditions.append(_actor_clause(events.c.target_code, events.c.target_country, flt.target))
    if flt.actor:
        from sqlalchemy import or_

        conditions.append(or_(_actor_clause(events.c.source_code, events.c.source_country, flt.actor),
                              _actor_clause(events.c.target_code, events.c.target_country, flt.actor)))
    if flt.event_type:
        conditions.append(events.c.event_type == flt.event_type.upper())
    if flt.cameo:
        # equality on the root, base or full code (never LIKE), so a (code, date) index serves it
        column = {2: events.c.cameo_root, 3: events.c.cameo_base}.get(len(flt.cameo), events.c.cameo)
        conditions.append(column == flt.cameo)
    if flt.quad_class:
        conditions.append(events.c.quad_class == flt.quad_class)
    if flt.date_from:
        conditions.append(events.c.date >= flt.date_from)
    if flt.date_to:
        conditions.append(events.c.date <= flt.date_to)
    if flt.place:
        from sqlalchemy import or_

        conditions.append(or_(events.c.location_name == flt.place, events.c.location_country == flt.place.upper()))
    if flt.text:
        conditions.append(events.c.sentence.ilike(f"%{flt.text}%"))
    if flt.min_confidence is not None:
        conditions.append(events.c.confidence >= flt.min_confidence)
    if flt.modality:
        conditions.append(events.c.modality == flt.modality)
    if flt.polarity:
        conditions.append(events.c.polarity == flt.polarity)
    return query.where(*conditions) if conditions else query


def query_events(engine: Engine, flt: EventFilter | None = None, limit: int | None = None) -> Iterator[Event]:
    """Stored events matching a filter, oldest first."""
    flt = flt or EventFilter()
    statement = filtered(flt).order_by(events.c.date, events.c.id)
    if limit:
        statement = statement.limit(limit)
    with engine.connect() as conn:
        for row in conn.execute(statement):
            record = row.record if isinstance(row.record, dict) else json.loads(row.record)
            yield event_from_record(record)


def reactions(engine: Engine, target: str, date_from: dt.date | None = None, date_to: dt.date | None = None,
              min_confidence: float | None = None) -> list[dict[str, Any]]:
    """Who did what toward a target in a window: counts by source and type, affirmed events only."""
    flt = EventFilter(target=target, date_from=date_from, date_to=date_to, polarity="affirmed",
                      min_confidence=min_confidence)
    c = events.c
    statement = (filtered(flt)
                 .with_only_columns(c.source_country, c.event_type, func.count().label("events"),
                                    func.avg(c.goldstein).label("goldstein"), func.min(c.date).label("first"),
                                    func.max(c.date).label("last"))
                 .group_by(c.source_country, c.event_type)
                 .order_by(func.count().desc(), c.source_country))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of every table: what a re-ingest must leave unchanged."""
    with engine.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (articles, events, clusters, actors, signatures)}


def upsert_actors(conn, found: Iterable[Actor]) -> None:
    seen: dict[str, Actor] = {}
    for actor in found:
        if actor is not None and actor.code and actor.code not in seen:
            seen[actor.code] = actor
    if not seen:
        return
    existing = set(conn.execute(select(actors.c.code).where(actors.c.code.in_(list(seen)))).scalars())
    rows = [{"code": a.code, "name": a.name, "country": a.country, "sector": a.sector}
            for code, a in seen.items() if code not in existing]
    if rows:
        conn.execute(actors.insert(), rows)


def article_row(article: Article, text_hash: str) -> dict[str, Any]:
    return {"article_id": article.id, "url": article.url, "title": article.title, "source_name": article.source,
            "published": article.date, "text": article.text, "text_hash": text_hash, "origin": article.origin,
            "ingested_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}


def events_frame(db: str | Engine | None = None, **filters: Any):
    """Stored events as a pandas DataFrame for notebooks: `events_frame("tacitus.db", target="AZE")`."""
    from .export import events_frame as frame

    engine = db if isinstance(db, Engine) else open_store(db)
    return frame(engine, EventFilter(**filters))
