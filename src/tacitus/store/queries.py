"""Filtered reads of stored events: the filters shared by the CLI, the API and exports.

A stored event row is a mention; the event itself is its cluster. With
`unit="event"` a filter keeps one row per event, the cluster's best mention
(a mention without a cluster stands for itself), so counting rows counts
events, never the copies of one report; `MENTIONS` sums their mentions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..models import Event
from .keys import actor_key
from .rows import event_from_record
from .schema import actors, articles, clusters, events, signatures


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
    unit: str = "mention"  # or "event": one row per event (its best mention)


UNITS = ("mention", "event")
# The confidence threshold the dashboard, `tacitus query` and `tacitus export` apply unless told otherwise:
# events the coder is at least even odds on (0 gives everything; the API's default stays "no threshold").
DEFAULT_MIN_CONFIDENCE = 0.5
MENTIONS = func.coalesce(clusters.c.num_mentions, 1)  # the mentions of an event row (with_clusters)


def with_clusters(statement):
    """A SELECT over events joined to each row's cluster (absent for a mention without one)."""
    return statement.outerjoin(clusters, events.c.cluster_id == clusters.c.id)


def like_literal(value: str) -> str:
    """A value for LIKE in which `%`, `_` and the escape character are themselves (ESCAPE '\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, value: str):
    """Case-insensitive substring match with `%` and `_` as literal characters."""
    return column.ilike(f"%{like_literal(value)}%", escape="\\")


class _indexed_text(FunctionElement):
    """On SQLite, events whose sentence holds every trigram of a phrase (the FTS5 index of migration 0008): a
    superset of the `contains` match, which is applied too. Elsewhere always true (PostgreSQL's trigram index
    serves ILIKE itself)."""

    type = Boolean()
    inherit_cache = True
    name = "indexed_text"


@compiles(_indexed_text)
def _anywhere(element, compiler, **kw) -> str:
    return "1 = 1"


@compiles(_indexed_text, "sqlite")
def _sqlite_fts(element, compiler, **kw) -> str:
    if getattr(compiler.dialect.dbapi, "sqlite_version_info", (0,)) < FTS_SQLITE:
        return "1 = 1"
    return (f"{compiler.process(events.c.id, **kw)} IN (SELECT rowid FROM events_fts WHERE events_fts MATCH "
            f"{compiler.process(element.clauses, **kw)})")


FTS_SQLITE = (3, 34, 0)  # the trigram tokenizer


def text_clause(value: str):
    """Evidence sentences containing `value` (a literal substring, any case), through the full-text index."""
    if len(value) < 3:  # shorter than a trigram: a scan (the server lets few run at once)
        return contains(events.c.sentence, value)
    phrase = '"' + value.replace('"', '""') + '"'
    return _indexed_text(phrase) & contains(events.c.sentence, value)


def _actor_clause(code_col, country_col, value: str):
    value = value.upper()
    if len(value) == 3:
        return country_col == value
    return code_col.like(like_literal(value) + "%", escape="\\")


def filtered(flt: EventFilter):
    """A SELECT over events with every filter as a bound parameter (never string-built SQL).

    With `unit="event"` the rows are joined to their clusters and only each event's best mention is kept.
    """
    query = select(events)
    conditions = []
    if flt.unit == "event":
        query = with_clusters(query)
        conditions.append(or_(events.c.cluster_id.is_(None), clusters.c.best_event == events.c.id))
    elif flt.unit != "mention":
        raise ValueError(f"unit {flt.unit!r}: use one of {', '.join(UNITS)}")
    if flt.source:
        conditions.append(_actor_clause(events.c.source_code, events.c.source_country, flt.source))
    if flt.target:
        conditions.append(_actor_clause(events.c.target_code, events.c.target_country, flt.target))
    if flt.actor:
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
        conditions.append(or_(events.c.location_name == flt.place, events.c.location_country == flt.place.upper()))
    if flt.text:
        conditions.append(text_clause(flt.text))
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
              min_confidence: float | None = None, modality: str | None = None) -> list[dict[str, Any]]:
    """Who did what toward a target in a window: events (not mentions) by source and type, affirmed only,
    with their mentions beside them and `places`, the places of those events, most frequent first."""
    flt = EventFilter(target=target, date_from=date_from, date_to=date_to, polarity="affirmed",
                      min_confidence=min_confidence, modality=modality, unit="event")
    c = events.c
    source = actor_key(c.source_country, c.source_code)
    statement = (filtered(flt)
                 .with_only_columns(source.label("source"), c.source_country, c.event_type, func.count().label("events"),
                                    func.sum(MENTIONS).label("mentions"), func.avg(c.goldstein).label("goldstein"),
                                    func.min(c.date).label("first"), func.max(c.date).label("last"))
                 .group_by(source, c.source_country, c.event_type)
                 .order_by(func.count().desc(), func.sum(MENTIONS).desc(), source, c.event_type))
    located = (filtered(flt).where(c.location_name.is_not(None))
               .with_only_columns(source, c.source_country, c.event_type, c.location_name, func.count())
               .group_by(source, c.source_country, c.event_type, c.location_name))
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(statement)]
        where: dict[tuple, list[tuple[int, str]]] = {}
        for key, country, kind, place, n in conn.execute(located):
            where.setdefault((key, country, kind), []).append((-n, place))
    for row in rows:
        row["places"] = [place for _, place in sorted(where.get((row["source"], row["source_country"], row["event_type"]), []))]
    return rows


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of every table: what a re-ingest must leave unchanged."""
    with engine.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (articles, events, clusters, actors, signatures)}
