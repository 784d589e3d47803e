"""The event store: schema and migrations, loading, near-duplicates, read-side views and exports.

`tacitus.store` keeps the names it had when it was one module, so
`from tacitus.store import open_store, events_frame` still works.
"""

from .export import CSV_DTYPES, events_frame
from .queries import EventFilter, counts, filtered, query_events, reactions
from .rows import article_row, event_from_record, event_row, upsert_actors
from .schema import (
    DATE_COVER,
    DEFAULT_DB,
    QUAD_COVER,
    SOURCE_COVER,
    TARGET_COVER,
    TYPE_COVER,
    StoreError,
    actors,
    articles,
    clusters,
    database_url,
    events,
    lsh_buckets,
    metadata,
    open_store,
    progress,
    signatures,
    temporary_schema,
)

__all__ = [
    "CSV_DTYPES", "DATE_COVER", "DEFAULT_DB", "QUAD_COVER", "SOURCE_COVER", "TARGET_COVER", "TYPE_COVER", "EventFilter",
    "StoreError", "actors", "article_row", "articles", "clusters", "counts", "database_url", "event_from_record",
    "event_row", "events", "events_frame", "filtered", "lsh_buckets", "metadata", "open_store", "progress",
    "query_events", "reactions", "signatures", "temporary_schema", "upsert_actors",
]
