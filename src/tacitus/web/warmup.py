"""Everything a server's first requests would pay for, paid before it listens.

A fresh `tacitus serve` answered its first `events?target=X` in about 500 ms
(20 ms afterwards): two threads were still building the actor name index and
the world outline, holding the interpreter while the request waited, and the
request itself paid for the first database connections, lazy imports, the
middleware stack, and SQLAlchemy compiling its statements. `warm_up` does all
of that first: the name index and the outline are built (the outline read
from the cache folder), the pool's connections are opened, and a first page
of the API's usual requests is answered in-process through the whole app, its
middleware included, so the first client's request costs what any later one
does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.engine import Engine

log = logging.getLogger("tacitus.web")
# first pages an analyst asks for first (each reads at most a page and counts at most TOTAL_LIMIT rows)
WARM_REQUESTS = ("/api/events?target=USA", "/api/events?source=USA&type=ACCUSE", "/api/events?target=USA&sort=-date")
WARM_CONNECTIONS = 4  # the requests a dashboard page sends at once, about


def open_connections(engine: Engine, count: int = WARM_CONNECTIONS) -> None:
    """Open `count` pooled connections (each with its per-connection settings), each having planned a first page
    once (a new PostgreSQL backend first loads the catalogue of every table and index it plans with; the pool
    hands its connections out in turn), and return them to the pool."""
    from ..store.queries import EventFilter, filtered, with_clusters
    from ..store.schema import events

    page = with_clusters(filtered(EventFilter(target="USA"))).order_by(events.c.date, events.c.id).limit(1)
    held = []
    try:
        for _ in range(max(1, count)):
            held.append(engine.connect())
            held[-1].execute(page).all()
    finally:
        for connection in held:
            connection.close()


async def _get(app: Any, target: str) -> int:
    """One GET through the ASGI app as a loopback client would send it; its status."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 80)}
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _requests(app: Any, targets: tuple[str, ...]) -> list[int]:
    return [await _get(app, target) for target in targets]


def warm_up(app: Any, requests: tuple[str, ...] = WARM_REQUESTS) -> None:
    """Build the indexes, open the pool and answer `requests` in-process (see the module's docstring).

    A failure is logged and the server starts anyway: warming is an optimisation, never a condition."""
    from .actor_names import name_index
    from .worldmap import world_svg

    name_index()
    try:
        world_svg()
    except Exception:  # noqa: BLE001 - reported when the map page asks for it
        pass
    try:
        open_connections(app.state.engine)
        statuses = asyncio.run(_requests(app, requests))
    except Exception as exc:  # noqa: BLE001 - the server must still start
        log.warning("warming up failed: %s: %s", type(exc).__name__, exc)
        return
    if any(status != 200 for status in statuses):
        log.warning("warming up: %s answered %s", ", ".join(requests), statuses)
