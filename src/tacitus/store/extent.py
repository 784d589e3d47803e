"""How much data there is: the store's dates, a dashboard page's default window, a filter's total."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from .queries import EventFilter, filtered
from .schema import events

SMALL_STORE = 50_000  # events; a store this small is shown whole
RECENT_DAYS = 90
TOTAL_LIMIT = 100_000  # events an API total counts exactly


def store_dates(engine: Engine) -> tuple[dt.date | None, dt.date | None]:
    """The first and last event dates in the store."""
    with engine.connect() as conn:
        first, last = conn.execute(select(func.min(events.c.date), func.max(events.c.date))).one()
    return first, last


def is_small(engine: Engine, limit: int | None = None) -> bool:
    """At most `limit` (SMALL_STORE) events, counted no further than limit + 1, so the cost is bounded."""
    limit = SMALL_STORE if limit is None else limit
    some = select(events.c.id).limit(limit + 1).subquery()
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(some)).scalar_one() <= limit


def default_window(engine: Engine, target: str | None = None,
                   days: int = RECENT_DAYS) -> tuple[dt.date | None, dt.date | None]:
    """(None, None), the whole store, when it is small; else the last `days` days that hold data
    (data toward `target`, when one is chosen), so the default never shows an empty page."""
    if is_small(engine):
        return None, None
    with engine.connect() as conn:
        statement = filtered(EventFilter(target=target)) if target else select(events)
        last = conn.execute(statement.with_only_columns(func.max(events.c.date))).scalar()
    if last is None:
        return None, None
    return last - dt.timedelta(days=days - 1), last


def count_events(engine: Engine, flt: EventFilter, limit: int | None = None) -> tuple[int, bool]:
    """(how many stored events match a filter, on all pages; exact?). Counting stops after `limit`
    (TOTAL_LIMIT; then the answer is `limit`, not exact), so a free-text filter over a large store stays fast."""
    limit = TOTAL_LIMIT if limit is None else limit
    some = filtered(flt).with_only_columns(events.c.id).limit(limit + 1).subquery()
    with engine.connect() as conn:
        found = conn.execute(select(func.count()).select_from(some)).scalar_one()
    return min(found, limit), found <= limit
