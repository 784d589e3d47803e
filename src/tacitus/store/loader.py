"""Write coded articles into the store: idempotent, near-duplicate aware, clustered.

Re-ingesting an article (same URL and text, or same normalised text) adds
nothing; an edited version of a known URL replaces its events in one
transaction. Each mention joins its event's cluster (`tacitus.store.clustering`),
whose GDELT-style counts and best mention are recomputed from its mentions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from ..models import Article, Event
from .clustering import assign, recount
from .dedup import NearDuplicateIndex, signature
from .rows import article_row, event_row, upsert_actors
from .schema import articles, events, progress

BATCH = 16  # articles per transaction


def normalised_hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


@dataclass
class IngestStats:
    """What one run did: the counts a progress line and the summary print."""

    articles: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)


class Loader:
    """Writes (article, events) pairs, a transaction per batch."""

    def __init__(self, engine: Engine, threshold: float | None = None, window_days: int | None = None) -> None:
        self.engine = engine
        kwargs = {}
        if threshold is not None:
            kwargs["threshold"] = threshold
        if window_days is not None:
            kwargs["window_days"] = window_days
        self.near = NearDuplicateIndex(**kwargs)
        self.stats = IngestStats()

    def known(self, article: Article) -> tuple[str, int | None]:
        """("new" | "same" | "edited", stored pk) for an incoming article."""
        with self.engine.connect() as conn:
            return self._state(conn, article, normalised_hash(article.text))

    def needs_coding(self, article: Article) -> bool:
        """False when the article is already stored as it is (nothing to parse)."""
        state, _ = self.known(article)
        if state == "same":
            self.stats.articles += 1
            self.stats.unchanged += 1
            return False
        return True

    def write(self, article: Article, coded: list[Event]) -> None:
        """Store one article and its events in a transaction of its own."""
        self.write_batch([(article, coded)])

    def write_batch(self, batch: list[tuple[Article, list[Event]]]) -> None:
        """Store a batch of articles in one transaction, with the progress of their sources.

        Killed at any point, the store holds whole batches only; a new run skips what is stored and
        ends where an uninterrupted run would.
        """
        with self.engine.begin() as conn:
            written = [(article, coded) for article, coded in batch if self._write(conn, article, coded)]
            record_progress(conn, written)

    def _write(self, conn: Connection, article: Article, coded: list[Event]) -> bool:
        """Store one article in an open transaction; False when it was already stored as it is."""
        self.stats.articles += 1
        text_hash = normalised_hash(article.text)
        minhash = signature(article.text)
        state, pk = self._state(conn, article, text_hash)
        if state == "same":
            self.stats.unchanged += 1
            return False
        touched: set[int] = set()
        if state == "edited":
            touched.update(self._drop_events(conn, pk))
            conn.execute(update(articles).where(articles.c.id == pk).values(
                text=article.text, text_hash=text_hash, title=article.title, published=article.date,
                source_name=article.source, ingested_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
            self.near.forget(conn, pk)
            self.stats.replaced += 1
        else:
            row = article_row(article, text_hash)
            row["article_id"] = self._unique_id(conn, article.id, text_hash)
            pk = conn.execute(articles.insert().values(**row)).inserted_primary_key[0]
            self.stats.added += 1
        original = self.near.original_of(conn, minhash, article.date, exclude=pk)
        conn.execute(update(articles).where(articles.c.id == pk).values(
            duplicate_of=original[0] if original else None, similarity=original[1] if original else None))
        if original:
            self.stats.duplicates += 1
        self.near.add(conn, pk, article.date, minhash)
        article_id = conn.execute(select(articles.c.article_id).where(articles.c.id == pk)).scalar_one()
        rows = []
        for coded_event in coded:
            row = event_row(coded_event, pk)
            row["article_id"] = article_id
            row["record"] = {**row["record"], "article_id": article_id}
            rows.append(row)
        if rows:
            conn.execute(events.insert(), rows)
            upsert_actors(conn, [a for e in coded for a in (e.source, e.target, e.attributed_to) if a])
        touched.update(assign(conn, pk))
        recount(conn, touched)
        self.stats.events += len(rows)
        return True

    def delete(self, article_id: str) -> bool:
        """Remove an article, its events and its signature; clusters it touched are recounted. False if unknown."""
        with self.engine.begin() as conn:
            pk = conn.execute(select(articles.c.id).where(articles.c.article_id == article_id)).scalar()
            if pk is None:
                return False
            touched = self._drop_events(conn, pk)
            conn.execute(update(articles).where(articles.c.duplicate_of == pk).values(duplicate_of=None, similarity=None))
            self.near.forget(conn, pk)
            conn.execute(delete(articles).where(articles.c.id == pk))
            recount(conn, touched)
        return True

    @staticmethod
    def _state(conn: Connection, article: Article, text_hash: str) -> tuple[str, int | None]:
        if article.url:
            row = conn.execute(select(articles.c.id, articles.c.text_hash).where(articles.c.url == article.url)).first()
            if row is not None:
                return ("same" if row.text_hash == text_hash else "edited"), row.id
        row = conn.execute(select(articles.c.id).where(articles.c.text_hash == text_hash)).first()
        return ("same", row.id) if row is not None else ("new", None)

    @staticmethod
    def _unique_id(conn: Connection, wanted: str, text_hash: str) -> str:
        candidate = wanted or text_hash[:16]
        taken = conn.execute(select(articles.c.id).where(articles.c.article_id == candidate)).first()
        return f"{candidate}-{text_hash[:8]}" if taken is not None else candidate

    @staticmethod
    def _drop_events(conn: Connection, pk: int) -> set[int]:
        old = set(conn.execute(select(events.c.cluster_id).where(events.c.article_pk == pk, events.c.cluster_id.is_not(None))).scalars())
        conn.execute(delete(events).where(events.c.article_pk == pk))
        return old


def record_progress(conn: Connection, batch: list[tuple[Article, list[Event]]]) -> None:
    """How many articles of each input file are stored, written in the same transaction as they are."""
    done: dict[str, int] = {}
    for article, _ in batch:
        source = (article.origin or "<unnamed>").rsplit(":", 1)[0].split("#entry")[0][:1000]
        done[source] = done.get(source, 0) + 1
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for source, count in done.items():
        updated = conn.execute(update(progress).where(progress.c.source == source).values(
            articles=progress.c.articles + count, updated_at=now)).rowcount
        if not updated:
            conn.execute(progress.insert().values(source=source, articles=count, updated_at=now))


def ingest(engine: Engine, pipeline, items: Iterable[Article], loader: Loader | None = None,
           batch_size: int = BATCH) -> Iterator[IngestStats]:
    """Code and store articles, a transaction per batch, yielding the running stats after each batch."""
    loader = loader or Loader(engine)
    todo = (article for article in items if loader.needs_coding(article))
    batch: list[tuple[Article, list[Event]]] = []
    for pair in pipeline.extract_articles(todo):
        batch.append(pair)
        if len(batch) >= batch_size:
            loader.write_batch(batch)
            batch = []
            yield loader.stats
    if batch:
        loader.write_batch(batch)
    yield loader.stats
