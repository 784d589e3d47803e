"""Read-side views of the store that the API and the dashboard share.

Pages of events with a stable keyset cursor, one event with its mentions,
articles with the spans of their events, actors with counts in and out, time
series by QuadClass, the actor network and located events. Every aggregate
counts events (clusters: a near-duplicate article never adds one) with their
mentions beside them. Every value goes into SQL as a bound parameter.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.engine import Connection, Engine

from ..errors import TacitusError
from .keys import actor_key
from .queries import MENTIONS, EventFilter, contains, filtered, with_clusters
from .schema import actors, articles, clusters, events

SORTS = {"date": events.c.date, "goldstein": events.c.goldstein, "confidence": events.c.confidence}
MAX_PAGE = 1000
INTERVALS = ("day", "week", "month")
PRECISE_ENOUGH = {"day": ("day",), "week": ("day",), "month": ("day", "month")}


class NotFound(TacitusError):
    """A requested event, article or actor is not in the store."""


class BadCursor(TacitusError):
    """A pagination cursor that this store did not hand out."""


@dataclass(frozen=True)
class Page:
    """One page of stored event records and the cursor of the next one."""

    records: list[dict[str, Any]]
    next_cursor: str | None


def _record(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else json.loads(value)


def _encode(value: Any, pk: int) -> str:
    if isinstance(value, dt.date):
        value = value.isoformat()
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


def _decode(cursor: str, sort_key: str) -> tuple[Any, int]:
    """(sort value, id) of a cursor; anything else, however it was tampered with, is a BadCursor (422)."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(decoded, list) or len(decoded) != 2:
            raise ValueError("shape")
        value, pk = decoded
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 <= pk < 2**63:
            raise ValueError("id")
        if value is not None:
            if sort_key == "date":
                value = dt.date.fromisoformat(value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300:
                value = float(value)
            else:
                raise ValueError("value")
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not one this server handed out; start again without it") from exc
    return value, pk


def _after(column, value: Any, pk: int, ascending: bool, nulls_high: bool):
    """Rows after (value, pk) in ORDER BY column, id (both one direction), nulls where the dialect puts them."""
    id_after = events.c.id > pk if ascending else events.c.id < pk
    nulls_later = nulls_high if ascending else not nulls_high
    if value is None:
        return or_(and_(column.is_(None), id_after), column.is_not(None) if not nulls_later else false())
    beyond = column > value if ascending else column < value
    return or_(beyond, and_(column == value, id_after), column.is_(None) if nulls_later else false())


def event_page(engine: Engine, flt: EventFilter, limit: int = 100, cursor: str | None = None,
               sort: str = "date") -> Page:
    """A page of events: keyset pagination, so pages stay stable while new events arrive."""
    ascending = not sort.startswith("-")
    key = sort.lstrip("-")
    column = SORTS[key]
    statement = filtered(flt)
    if flt.unit != "event":
        statement = with_clusters(statement)
    statement = statement.add_columns(clusters.c.num_mentions, clusters.c.num_articles, clusters.c.num_sources)
    if cursor:
        value, pk = _decode(cursor, key)
        statement = statement.where(_after(column, value, pk, ascending, engine.dialect.name == "postgresql"))
    order = (column.asc(), events.c.id.asc()) if ascending else (column.desc(), events.c.id.desc())
    statement = statement.order_by(*order).limit(min(limit, MAX_PAGE) + 1)
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    more = len(rows) > limit
    rows = rows[:limit]
    records = [_record(row.record) | {"store_id": row.id, "cluster_id": row.cluster_id, "num_mentions": row.num_mentions or 1,
                                      "num_articles": row.num_articles or 1, "num_sources": row.num_sources or 1}
               for row in rows]
    next_cursor = _encode(getattr(rows[-1], key), rows[-1].id) if more and rows else None
    return Page(records, next_cursor)


def all_events(engine: Engine, flt: EventFilter, sort: str = "date", page_size: int = MAX_PAGE) -> Iterator[dict[str, Any]]:
    """Every record `event_page` would list for a filter, a keyset page at a time (memory stays flat
    whatever the store holds): what downloads and `format=csv` stream."""
    cursor: str | None = None
    while True:
        page = event_page(engine, flt, page_size, cursor, sort)
        yield from page.records
        cursor = page.next_cursor
        if not cursor:
            return


def _article_summary(row: Any) -> dict[str, Any]:
    return {"article_id": row.article_id, "title": row.title, "url": row.url, "source": row.source_name,
            "date": row.published.isoformat() if row.published else None,
            "duplicate_of": row.duplicate_of}


def event_detail(engine: Engine, event_id: str) -> dict[str, Any]:
    """One event, its article, its cluster and every mention of the same event."""
    with engine.connect() as conn:
        row = conn.execute(select(events).where(events.c.event_id == event_id)).first()
        if row is None:
            raise NotFound(f"no event {event_id!r} in the store; list events with /api/events")
        article = conn.execute(select(articles).where(articles.c.id == row.article_pk)).one()
        cluster = None
        mentions = []
        if row.cluster_id is not None:
            cluster = dict(conn.execute(select(clusters).where(clusters.c.id == row.cluster_id)).one()._mapping)
            for key in ("first_seen", "last_seen"):
                cluster[key] = cluster[key].isoformat() if cluster[key] else None
            statement = (select(events.c.event_id, events.c.sentence, events.c.date, articles.c.article_id,
                                articles.c.title, articles.c.url, articles.c.source_name)
                         .join(articles, events.c.article_pk == articles.c.id)
                         .where(events.c.cluster_id == row.cluster_id).order_by(events.c.date, events.c.id).limit(200))
            mentions = [{"event_id": m.event_id, "sentence": m.sentence, "date": m.date.isoformat() if m.date else None,
                         "article_id": m.article_id, "title": m.title, "url": m.url, "source": m.source_name}
                        for m in conn.execute(statement)]
    record = _record(row.record)
    return {"event": record | {"store_id": row.id, "cluster_id": row.cluster_id},
            "article": _article_summary(article), "cluster": cluster, "mentions": mentions,
            "evidence": {"sentence": record["sentence"], "spans": event_spans(record, relative=True)}}


def event_spans(record: dict[str, Any], relative: bool = False) -> list[dict[str, Any]]:
    """Source, trigger and target spans of an event, as offsets into the article (or its sentence)."""
    shift = record.get("sentence_start", 0) if relative else 0
    spans = []
    for role in ("source", "trigger", "target"):
        part = record.get(role)
        if part and part.get("end", 0) > part.get("start", -1) >= 0:
            spans.append({"role": role, "start": part["start"] - shift, "end": part["end"] - shift,
                          "text": part["text"], "event_id": record["event_id"]})
    return spans


def valid_spans(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans whose offsets point at their own words, without overlaps (first one wins)."""
    kept: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if not (0 <= span["start"] < span["end"] <= len(text)) or text[span["start"]:span["end"]] != span["text"]:
            continue
        if kept and span["start"] < kept[-1]["end"]:
            continue
        kept.append(span)
    return kept


def segments(text: str, spans: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    """The text cut into (words, role, event_id) pieces, role None between spans; the caller escapes."""
    pieces: list[tuple[str, str | None, str | None]] = []
    position = 0
    for span in valid_spans(text, spans):
        if span["start"] > position:
            pieces.append((text[position:span["start"]], None, None))
        pieces.append((text[span["start"]:span["end"]], span["role"], span["event_id"]))
        position = span["end"]
    if position < len(text):
        pieces.append((text[position:], None, None))
    return pieces


def article_detail(engine: Engine, article_id: str) -> dict[str, Any]:
    """An article's text, its events and the spans of every event in the text."""
    with engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.article_id == article_id)).first()
        if row is None:
            raise NotFound(f"no article {article_id!r} in the store; list articles with /api/articles")
        records = [_record(r.record) for r in conn.execute(
            select(events.c.record).where(events.c.article_pk == row.id).order_by(events.c.sentence_index, events.c.id))]
    spans = [span for record in records for span in event_spans(record)]
    return {"article": _article_summary(row) | {"text": row.text}, "events": records,
            "spans": valid_spans(row.text, spans)}


def article_page(engine: Engine, limit: int = 50, offset: int = 0, q: str | None = None) -> list[dict[str, Any]]:
    """Articles, newest first, optionally those whose title contains q."""
    counted = (select(events.c.article_pk, func.count().label("events")).group_by(events.c.article_pk).subquery())
    statement = (select(articles, func.coalesce(counted.c.events, 0).label("events"))
                 .outerjoin(counted, counted.c.article_pk == articles.c.id))
    if q:
        statement = statement.where(contains(articles.c.title, q))
    statement = statement.order_by(articles.c.published.desc(), articles.c.id.desc()).limit(min(limit, MAX_PAGE)).offset(offset)
    with engine.connect() as conn:
        return [_article_summary(row) | {"events": row.events} for row in conn.execute(statement)]


def actor_search(engine: Engine, q: str | None = None, limit: int = 50, codes: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Actors whose code, name or country matches q, or whose code is one of `codes` (what a name or alias
    such as "Blinken" resolves to: the store keeps one name per code)."""
    statement = select(actors)
    if q:
        statement = statement.where(or_(contains(actors.c.code, q), contains(actors.c.name, q),
                                        actors.c.country == q.upper(), actors.c.code.in_(codes), actors.c.country.in_(codes)))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement.order_by(actors.c.code).limit(min(limit, MAX_PAGE)))]


def actor_detail(engine: Engine, code: str, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Any]:
    """An actor (a code, or a country's three letters) with its events by type, as source and as target (and the
    mentions of those events)."""
    code = code.upper()
    with engine.connect() as conn:
        row = conn.execute(select(actors).where(actors.c.code == code)).first()
        result: dict[str, Any] = {"actor": dict(row._mapping) if row else {"code": code, "name": None, "country": code if len(code) == 3 else None, "sector": None}}
        for side in ("source", "target"):
            flt = EventFilter(**{side: code, "date_from": date_from, "date_to": date_to, "unit": "event"})
            statement = (filtered(flt).with_only_columns(events.c.event_type, func.count(), func.sum(MENTIONS))
                         .group_by(events.c.event_type))
            by_type = sorted(conn.execute(statement).all(), key=lambda item: (-item[1], item[0]))
            result[f"as_{side}"] = {kind: n for kind, n, _ in by_type}
            result[f"mentions_as_{side}"] = {kind: int(m) for kind, _, m in by_type}
    if row is None and not (result["as_source"] or result["as_target"]):
        raise NotFound(f"no actor {code!r} in the store; search actors with /api/actors?q=")
    return result


def bucket(day: dt.date, interval: str) -> dt.date:
    """The start of the period holding a day (weeks start on Monday)."""
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def sides(flt: EventFilter) -> list[tuple[EventFilter, int]]:
    """An `actor` filter (either side) as signed one-side filters, each served by a covering index:
    as source + as target - as both."""
    if not flt.actor or flt.source or flt.target:
        return [(flt, 1)]
    base = replace(flt, actor=None)
    return [(replace(base, source=flt.actor), 1), (replace(base, target=flt.actor), 1),
            (replace(base, source=flt.actor, target=flt.actor), -1)]


def grouped(engine: Engine, flt: EventFilter, keys: list, where: list | None = None) -> dict[tuple, list[float]]:
    """{key values: [events, sum of Goldstein, mentions]} for a filter, an actor filter summed side by side.

    An event is a cluster, counted once through its best mention (whose date, place and CAMEO code are the
    event's), whatever the number of articles that report it."""
    totals: dict[tuple, list[float]] = defaultdict(lambda: [0, 0.0, 0])
    with engine.connect() as conn:
        for part, sign in sides(replace(flt, unit="event")):
            statement = filtered(part).where(*(where or [])).with_only_columns(
                *keys, func.count(), func.sum(events.c.goldstein), func.sum(MENTIONS)).group_by(*keys)
            for *values, n, total, mentions in conn.execute(statement):
                cell = totals[tuple(values)]
                cell[0] += sign * n
                cell[1] += sign * (total or 0.0)
                cell[2] += sign * (mentions or 0)
    return {key: cell for key, cell in totals.items() if cell[0] > 0}


def time_series(engine: Engine, flt: EventFilter, interval: str = "day") -> list[dict[str, Any]]:
    """Events, their mentions and mean Goldstein per period and QuadClass (weeks start on Monday).

    Only events dated at least as precisely as the period are placed: an event known only by its year is
    not a spike on January 1st, nor one known by its month on its first day."""
    folded: dict[tuple[dt.date, int], list[float]] = defaultdict(lambda: [0, 0.0, 0])
    placed = PRECISE_ENOUGH[interval]
    cells = grouped(engine, flt, [events.c.date, events.c.date_precision, events.c.quad_class])
    for (day, precision, quad), (n, total, mentions) in cells.items():
        if day is None or precision not in placed:  # undated or vaguely dated events have no place on this axis
            continue
        cell = folded[(bucket(day, interval), quad)]
        cell[0] += n
        cell[1] += total
        cell[2] += mentions
    return [{"period": period.isoformat(), "quad_class": quad, "events": int(n), "mentions": int(m),
             "goldstein": round(g / n, 3)} for (period, quad), (n, g, m) in sorted(folded.items())]


def network(engine: Engine, flt: EventFilter, limit: int = 200) -> dict[str, Any]:
    """Actors (by country, or IGO code) and the edges between them for a filter, weighted by events (mentions beside)."""
    c = events.c
    cells = grouped(engine, flt, [actor_key(c.source_country, c.source_code), actor_key(c.target_country, c.target_code)],
                    [c.source_country.is_not(None), c.target_country.is_not(None)])  # the EU, UN and NATO stay apart
    ranked = sorted(cells.items(), key=lambda item: (-item[1][0], item[0]))[:min(limit, MAX_PAGE)]
    edges = [{"source": s, "target": t, "weight": int(n), "mentions": int(m), "goldstein": round(g / n, 3)}
             for (s, t), (n, g, m) in ranked]
    totals: dict[str, int] = defaultdict(int)
    for edge in edges:
        totals[edge["source"]] += edge["weight"]
        totals[edge["target"]] += edge["weight"]
    nodes = [{"id": node, "events": n} for node, n in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
    return {"nodes": nodes, "edges": edges}


def places(engine: Engine, flt: EventFilter, limit: int = 1000) -> dict[str, Any]:
    """Located events (at their best mention's place) grouped by place, as a GeoJSON FeatureCollection (lon, lat)."""
    c = events.c
    statement = (filtered(replace(flt, unit="event")).where(c.lat.is_not(None), c.lon.is_not(None))
                 .with_only_columns(c.location_name, c.location_country, c.lat, c.lon, func.count(), func.avg(c.goldstein),
                                    func.sum(MENTIONS))
                 .group_by(c.location_name, c.location_country, c.lat, c.lon)
                 .order_by(func.count().desc(), c.location_name).limit(min(limit, MAX_PAGE)))
    with engine.connect() as conn:
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                     "properties": {"name": name, "country": country, "events": n, "mentions": int(m), "goldstein": round(g, 3)}}
                    for name, country, lat, lon, n, g, m in conn.execute(statement)]
    return {"type": "FeatureCollection", "features": features}


def latest_date(conn: Connection) -> dt.date | None:
    return conn.execute(select(func.max(events.c.date))).scalar()


def top_dyads(engine: Engine, flt: EventFilter, limit: int = 10) -> list[dict[str, Any]]:
    return network(engine, flt, limit)["edges"]


def most_targeted(engine: Engine, flt: EventFilter) -> str | None:
    """The actor that most events are directed at: the reactions page's default."""
    c = events.c
    statement = (filtered(replace(flt, unit="event")).where(c.target_country.is_not(None)).with_only_columns(c.target_country)
                 .group_by(c.target_country).order_by(func.count().desc(), c.target_country).limit(1))
    with engine.connect() as conn:
        return conn.execute(statement).scalar()


def horizon() -> dt.date:
    """The last day a default window or a chart's axis reaches: a year from today, so that one typo'd date
    (2203, 9999-12-31) neither hides every real event nor overflows date arithmetic."""
    return dt.date.today() + dt.timedelta(days=365)


EARLIEST = dt.date(1900, 1, 1)  # the first day a chart's axis reaches


def plausible_dates(engine: Engine, target: str | None = None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last event dates (toward `target`, if given) between EARLIEST and the horizon."""
    c = events.c
    statement = filtered(EventFilter(target=target)) if target else select(events)
    statement = statement.where(c.date >= EARLIEST, c.date <= horizon())
    with engine.connect() as conn:
        return tuple(conn.execute(statement.with_only_columns(func.min(c.date), func.max(c.date))).one())


def recent_window(engine: Engine, days: int = 90, target: str | None = None) -> tuple[dt.date | None, dt.date | None]:
    """The last `days` days of the store's data up to the horizon: what a page shows unless told otherwise."""
    last = plausible_dates(engine, target)[1]
    return (last - dt.timedelta(days=days - 1), last) if last else (None, None)
