"""Reads for the dashboard's glance views: reactions split by modality, places with their precision, top quotes.

Each is one aggregate query (plus, for places, one primary-key lookup for the
shown places), never a query per row, and counts events (clusters), not mentions.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from .keys import actor_key
from .queries import MENTIONS, EventFilter, filtered
from .schema import clusters, events
from .views import MAX_PAGE, grouped

PRECISIONS = ("city", "region", "country")


def reactions(engine: Engine, flt: EventFilter) -> list[dict[str, Any]]:
    """Who did what toward `flt.target`: events by source, type and modality (affirmed unless the filter says
    otherwise), mentions and mean Goldstein beside; the /reactions matrix and the crisis page read it."""
    flt = replace(flt, unit="event", polarity=flt.polarity or "affirmed")
    c = events.c
    source = actor_key(c.source_country, c.source_code)
    statement = (filtered(flt)
                 .with_only_columns(source.label("source"), c.source_country, c.event_type, c.modality,
                                    func.count().label("events"), func.sum(MENTIONS).label("mentions"),
                                    func.avg(c.goldstein).label("goldstein"))
                 .group_by(source, c.source_country, c.event_type, c.modality)
                 .order_by(func.count().desc(), source, c.event_type, c.modality))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]


def located(engine: Engine, flt: EventFilter, limit: int = 1000) -> list[dict[str, Any]]:
    """Located events grouped by place, each place with the precision (city, region, country) it was coded at.

    The precision lives in the stored record; it is read from one event per place (by primary key), so the
    grouping itself stays on the covering index."""
    c = events.c
    statement = (filtered(replace(flt, unit="event")).where(c.lat.is_not(None), c.lon.is_not(None))
                 .with_only_columns(c.location_name, c.location_country, c.lat, c.lon, func.count(),
                                    func.avg(c.goldstein), func.sum(MENTIONS), func.min(c.id))
                 .group_by(c.location_name, c.location_country, c.lat, c.lon)
                 .order_by(func.count().desc(), c.location_name).limit(min(limit, MAX_PAGE)))
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
        ids = [row[7] for row in rows]
        records = {pk: record for pk, record in conn.execute(select(c.id, c.record).where(c.id.in_(ids)))} if ids else {}
    found = []
    for name, country, lat, lon, n, goldstein, mentions, first in rows:
        record = records.get(first)
        record = json.loads(record) if isinstance(record, str) else record or {}
        precision = (record.get("location") or {}).get("precision")
        found.append({"name": name, "country": country, "lat": lat, "lon": lon, "events": n, "mentions": int(mentions),
                      "goldstein": round(goldstein, 3), "precision": precision if precision in PRECISIONS else "region"})
    return found


def top_quotes(engine: Engine, flt: EventFilter, limit: int = 8) -> list[dict[str, Any]]:
    """The events reported most often (by mentions, then articles), each as its best mention's record."""
    statement = (filtered(replace(flt, unit="event"))
                 .add_columns(clusters.c.num_mentions, clusters.c.num_articles, clusters.c.num_sources)
                 .order_by(MENTIONS.desc(), func.coalesce(clusters.c.num_articles, 1).desc(),
                           events.c.confidence.desc(), events.c.id)
                 .limit(limit))
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return [(row.record if isinstance(row.record, dict) else json.loads(row.record))
            | {"num_mentions": row.num_mentions or 1, "num_articles": row.num_articles or 1,
               "num_sources": row.num_sources or 1} for row in rows]


def actor_counts(engine: Engine, code: str, flt: EventFilter) -> dict[str, dict[str, int]]:
    """An actor's events by type as source and as target (mentions beside) under a page's filters."""
    result: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for side in ("source", "target"):
            part = replace(flt, **{"unit": "event", "actor": None, "source": None, "target": None, side: code})
            statement = filtered(part).with_only_columns(events.c.event_type, func.count(), func.sum(MENTIONS)).group_by(
                events.c.event_type)
            by_type = sorted(conn.execute(statement).all(), key=lambda item: (-item[1], item[0]))
            result[f"as_{side}"] = {kind: n for kind, n, _ in by_type}
            result[f"mentions_as_{side}"] = {kind: int(m) for kind, _, m in by_type}
    return result


def by_quad(engine: Engine, flt: EventFilter) -> dict[int, int]:
    """Events per QuadClass under a filter (an `actor` filter counted once per event, whichever side)."""
    cells = grouped(engine, flt, [events.c.quad_class])
    return {quad: int(cells.get((quad,), [0])[0]) for quad in (1, 2, 3, 4)}
