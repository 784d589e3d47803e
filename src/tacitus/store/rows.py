"""Rows to and from the store's tables: events, articles, actors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..models import Actor, Article, Event, Location, Span
from .schema import actors


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


def dialect_insert(conn: Connection, table: Table):
    """An INSERT with the dialect's ON CONFLICT clauses (SQLite and PostgreSQL spell them alike)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def upsert_actors(conn: Connection, found: Iterable[Actor]) -> None:
    """Add actors not yet known; one known already (stored by this or another writer) is kept as it is."""
    seen: dict[str, Actor] = {}
    for actor in found:
        if actor is not None and actor.code and actor.code not in seen:
            seen[actor.code] = actor
    if not seen:
        return
    rows = [{"code": a.code, "name": a.name, "country": a.country, "sector": a.sector} for a in seen.values()]
    conn.execute(dialect_insert(conn, actors).on_conflict_do_nothing(index_elements=["code"]), rows)


def article_row(article: Article, text_hash: str) -> dict[str, Any]:
    return {"article_id": article.id, "url": article.url, "title": article.title, "source_name": article.source,
            "published": article.date, "text": article.text, "text_hash": text_hash, "origin": article.origin,
            "ingested_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}
