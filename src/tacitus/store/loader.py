"""Write coded articles into the store: idempotent, near-duplicate aware, clustered.

Re-ingesting an article (same URL and text, or same normalised text) adds
nothing; an edited version of a known URL replaces its events in one
transaction. The same URL twice in one input is decided by input order: the
later record wins, within a batch and across batches, however many times the
input is ingested. Each mention joins its event's cluster (`tacitus.store.clustering`),
whose GDELT-style counts and best mention are recomputed from its mentions.

Every batch is one transaction holding the store's write lock
(`tacitus.store.schema.write`), in which the "already stored?" check runs, so
any number of concurrent ingests end with the store of running them one after another.
A Loader on a store made with another MinHash scheme or trafilatura version warns
(`StoreSchemeWarning`, naming both and what to do) instead of mis-matching silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata as package_metadata

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from ..models import Article, Event
from .clustering import assign, recount
from .dedup import NearDuplicateIndex, scheme, signature
from .rows import article_row, dialect_insert, event_row, upsert_actors
from .schema import articles, events, progress, store_info, write

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
    superseded: int = 0  # a record followed by another of the same URL in its batch: the later one is stored
    skipped: list[str] = field(default_factory=list)


class StoreSchemeWarning(UserWarning):
    """The store was made with another MinHash scheme or trafilatura version than this install's."""


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
        self._pending: Counter[str] = Counter()  # URLs of articles being coded, not yet written
        self.scheme_warnings = scheme_changes(engine)
        for message in self.scheme_warnings:
            warnings.warn(message, StoreSchemeWarning, stacklevel=2)

    def known(self, article: Article) -> tuple[str, int | None]:
        """("new" | "same" | "edited", stored pk) for an incoming article."""
        with self.engine.connect() as conn:
            return self._state(conn, article, normalised_hash(article.text))

    def needs_coding(self, article: Article) -> bool:
        """False when the article is already stored as it is (nothing to parse).

        An article whose URL an earlier record of this run (coded, not yet written) shares is always coded: the
        store may hold its text from a previous run, but the earlier record will replace it first.
        """
        if not (article.url and self._pending[article.url]):
            state, _ = self.known(article)
            if state == "same":
                self.stats.articles += 1
                self.stats.unchanged += 1
                return False
        if article.url:
            self._pending[article.url] += 1
        return True

    def write(self, article: Article, coded: list[Event]) -> None:
        """Store one article and its events in a transaction of its own."""
        self.write_batch([(article, coded)])

    def write_batch(self, batch: list[tuple[Article, list[Event]]]) -> None:
        """Store a batch of articles in one transaction, with the progress of their sources.

        Killed at any point, the store holds whole batches only; a new run skips what is stored and
        ends where an uninterrupted run would. A transaction that fails for a passing reason (another
        writer's deadlock, a busy database) is tried again from the start.
        """
        last = {article.url: n for n, (article, _) in enumerate(batch) if article.url}
        before = dataclasses.replace(self.stats, skipped=list(self.stats.skipped))

        def restart() -> None:  # the counts as they were before this batch (the same object: callers hold it)
            for item in dataclasses.fields(before):
                value = getattr(before, item.name)
                setattr(self.stats, item.name, list(value) if isinstance(value, list) else value)

        def work(conn: Connection) -> None:
            written = []
            for n, (article, coded) in enumerate(batch):
                if article.url and last[article.url] != n:  # the later record of its URL wins
                    self.stats.articles += 1
                    self.stats.superseded += 1
                elif self._write(conn, article, coded):
                    written.append((article, coded))
            record_progress(conn, written)

        write(self.engine, work, on_retry=restart)
        for article, _ in batch:
            if article.url and self._pending[article.url]:
                self._pending[article.url] -= 1
                if not self._pending[article.url]:
                    del self._pending[article.url]

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
            conn.execute(update(articles).where(articles.c.id == pk).values(  # the later record wins, its id too
                article_id=self._unique_id(conn, article.id, text_hash, exclude=pk), text=article.text,
                text_hash=text_hash, title=article.title, published=article.date, source_name=article.source, origin=article.origin,
                ingested_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
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
        self.near.add(conn, pk, article.date, minhash, original=original is None)
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
        """Remove an article, its events and its signature; clusters it touched are recounted. False if unknown.

        Its near-duplicates become originals (and are indexed as such).
        """
        def work(conn: Connection) -> bool:
            pk = conn.execute(select(articles.c.id).where(articles.c.article_id == article_id)).scalar()
            if pk is None:
                return False
            touched = self._drop_events(conn, pk)
            copies = list(conn.execute(select(articles.c.id).where(articles.c.duplicate_of == pk)).scalars())
            conn.execute(update(articles).where(articles.c.duplicate_of == pk).values(duplicate_of=None, similarity=None))
            self.near.forget(conn, pk)
            self.near.promote(conn, copies)
            conn.execute(delete(articles).where(articles.c.id == pk))
            recount(conn, touched)
            return True

        return write(self.engine, work)

    @staticmethod
    def _state(conn: Connection, article: Article, text_hash: str) -> tuple[str, int | None]:
        """The incoming article against the store: "new", "same" (stored as it is) or "edited" (its URL, another text).

        An edited text that another stored article already has is "same": that text is stored (and the text
        hash is unique), so the record adds nothing.
        """
        if article.url:
            row = conn.execute(select(articles.c.id, articles.c.text_hash).where(articles.c.url == article.url)
                               .order_by(articles.c.id)).first()
            if row is not None and row.text_hash == text_hash:
                return "same", row.id
            if row is not None:
                other = conn.execute(select(articles.c.id).where(articles.c.text_hash == text_hash)).scalar()
                return ("same", other) if other is not None else ("edited", row.id)
        row = conn.execute(select(articles.c.id).where(articles.c.text_hash == text_hash)).first()
        return ("same", row.id) if row is not None else ("new", None)

    @staticmethod
    def _unique_id(conn: Connection, wanted: str, text_hash: str, exclude: int | None = None) -> str:
        candidate = wanted or text_hash[:16]
        if len(candidate) > MAX_ID:  # a feed's entry ids can be long URLs; keep them unique and within the column
            candidate = f"{candidate[:MAX_ID - 13]}-{hashlib.sha1(candidate.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"
        query = select(articles.c.id).where(articles.c.article_id == candidate)
        if exclude is not None:
            query = query.where(articles.c.id != exclude)
        return f"{candidate}-{text_hash[:8]}" if conn.execute(query).first() is not None else candidate

    @staticmethod
    def _drop_events(conn: Connection, pk: int) -> set[int]:
        old = set(conn.execute(select(events.c.cluster_id).where(events.c.article_pk == pk, events.c.cluster_id.is_not(None))).scalars())
        conn.execute(delete(events).where(events.c.article_pk == pk))
        return old


MAX_ID = 190  # articles.article_id is 200 characters; a "-<hash8>" suffix may follow
_LINE_SUFFIX = re.compile(r":\d+$")  # "corpus.jsonl:12" -> "corpus.jsonl"; a URL's "https:" stays


def record_progress(conn: Connection, batch: list[tuple[Article, list[Event]]]) -> None:
    """How many articles of each input file are stored, written in the same transaction as they are."""
    done: dict[str, int] = {}
    for article, _ in batch:
        source = _LINE_SUFFIX.sub("", (article.origin or "<unnamed>").split("#entry")[0])[:1000]
        done[source] = done.get(source, 0) + 1
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for source, count in sorted(done.items()):
        added = dialect_insert(conn, progress).values(source=source, articles=count, updated_at=now)
        conn.execute(added.on_conflict_do_update(index_elements=["source"], set_={
            "articles": progress.c.articles + added.excluded.articles, "updated_at": added.excluded.updated_at}))


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


def installed_versions() -> dict[str, str]:
    """What this install would record in a new store (table store_info)."""
    try:
        trafilatura = package_metadata.version("trafilatura")
    except package_metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        trafilatura = "not installed"
    return {"minhash_scheme": scheme(), "trafilatura": trafilatura}


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def scheme_changes(engine: Engine) -> list[str]:
    """Warnings for an ingest into a store made with another MinHash scheme or trafilatura version.

    A missing record is written (a store from before they were kept); a new trafilatura version is recorded once
    reported; the MinHash scheme is never overwritten, since the stored signatures keep the old one.
    """
    installed = installed_versions()
    with engine.connect() as conn:
        stored = dict(conn.execute(select(store_info.c.name, store_info.c.value)).all())
    warnings = []
    old = stored.get("minhash_scheme", installed["minhash_scheme"])
    if old != installed["minhash_scheme"]:
        warnings.append(
            f"this store's near-duplicate signatures were made with {old!r}, this install makes "
            f"{installed['minhash_scheme']!r}: new articles will not be matched with stored copies. Ingest into a new "
            "store (--db), or install the datasketch and tacitus versions that made this one.")
    old = stored.get("trafilatura", installed["trafilatura"])
    changed = {name: value for name, value in installed.items() if name not in stored}
    if _minor(old) != _minor(installed["trafilatura"]):
        warnings.append(
            f"this store's HTML articles were read with trafilatura {old}, this install has {installed['trafilatura']}: "
            "a page read again may give a slightly different text and be stored as an edited version of itself. "
            f"Install trafilatura=={old} to avoid it; the new version is recorded now.")
        changed["trafilatura"] = installed["trafilatura"]
    if changed:
        def record(conn) -> None:
            present = set(conn.execute(select(store_info.c.name).where(store_info.c.name.in_(list(changed)))).scalars())
            for name, value in changed.items():
                if name in present:
                    conn.execute(update(store_info).where(store_info.c.name == name).values(value=value))
                else:
                    conn.execute(store_info.insert().values(name=name, value=value))

        write(engine, record)
    return warnings
