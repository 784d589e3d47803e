"""The HTTP server: a read-only JSON API under /api/ and the dashboard, one FastAPI app.

`create_app(db)` opens the store once; every endpoint is a plain function
over `tacitus.analysis`, run in the server's thread pool. Errors are JSON
(`{"message": ..., "field": ...}`) with the status that fits; unknown query
parameters are refused with 422. Every response, a 500 included, carries a
Content-Security-Policy that allows only the app's own scripts, styles and
images. Hostile clients meet `guard.Guard` first (Host names, NUL, sizes, the
token before any body, body deadline, database slots: 503 with Retry-After);
on PostgreSQL every statement stops after TACITUS_STATEMENT_TIMEOUT seconds.
"""

from __future__ import annotations

import os
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import TacitusError
from ..store import views as analysis
from ..store.extent import count_events
from ..store.queries import counts, reactions
from ..store.schema import open_store
from ..store.views import BadCursor, NotFound
from .actor_names import StoreContext, lookup, name_index, suggestions
from .downloads import (
    API_PLACE_COLUMNS,
    EVENT_COLUMNS,
    SERIES_COLUMNS,
    flat_event,
    network_file,
    place_rows,
    table,
)
from .guard import CSP, LOCAL_HOSTS, MAX_BODY, SECURITY_HEADERS, Guard, pool_capacity
from .params import (
    FORMS,
    ActorsParams,
    ApiEventsParams,
    ApiPlacesParams,
    ArticlesParams,
    EventQuery,
    NetworkParams,
    NoParams,
    ReactionsParams,
    TimeSeriesParams,
    Window,
)

REACTION_COLUMNS = ("source", "source_country", "event_type", "events", "mentions", "goldstein", "first", "last", "places")
FILE = {"description": "with `format=csv` (or `gexf`): the same rows as a streamed attachment",
        "content": {"text/csv": {}, "application/gexf+xml": {}}}


class ErrorBody(BaseModel):
    """What every error answer holds."""

    message: str
    field: str | None = None
    errors: list[dict[str, Any]] = []


ERRORS = {404: {"model": ErrorBody, "description": "not in the store"},
          422: {"model": ErrorBody, "description": "unknown parameter or bad value (a NUL included); `field` names it"},
          503: {"model": ErrorBody, "description": "busy (database saturated or a statement timed out): "
                                                   "try again after Retry-After seconds"}}

router = APIRouter(prefix="/api", responses=ERRORS)


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


Store = Annotated[Engine, Depends(engine_of)]


def _field(error: dict[str, Any]) -> str:
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    return ".".join(location) or "request"


def _describe(error: dict[str, Any]) -> str:
    """A message naming the field, in words (a pattern is described, never shown)."""
    kind, field = error.get("type"), _field(error)
    if kind == "unknown_actor":
        return error.get("msg", "unknown actor")
    if kind == "extra_forbidden":
        return f"unknown parameter {field!r}"
    if kind == "string_pattern_mismatch":
        return f"{field}: {error.get('input')!r} is not {FORMS.get(field, 'in the expected form')}"
    if kind == "value_error" and error.get("ctx", {}).get("error"):
        return f"{field}: {error['ctx']['error']}"
    return f"{field}: {error.get('msg', 'invalid value')}"


def validation_errors(exc: RequestValidationError) -> ErrorBody:
    details = [{"field": _field(e), "message": _describe(e), "type": e.get("type")} for e in exc.errors()]
    return ErrorBody(message="; ".join(d["message"] for d in details) or "invalid request",
                     field=details[0]["field"] if details else None, errors=details)


def json_error(status: int, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(message=message, field=field).model_dump(), status_code=status)


def filters(params: EventQuery) -> dict[str, str]:
    return params.query_string()


@router.get("/events", summary="Events matching filters, a page at a time (format=csv: all of them)",
            responses={200: FILE})
def list_events(store: Store, params: Annotated[ApiEventsParams, Query()]) -> Response:
    """Pages are keyset-paginated: pass `next_cursor` back as `cursor` for the next page.

    `total` is the number of events matching the filters, on all pages (`total_exact` false: at least that
    many; counting stops at 100,000); `page_count` (and `count`, its older name) the number on this page.
    `format=csv` streams every matching row (the flat columns of `tacitus query --format csv` with the event's
    counts), whatever their number, in `sort` order.
    """
    flt = params.event_filter()
    if params.format == "csv":
        rows = (flat_event(r) for r in analysis.all_events(store, flt, params.sort))
        return table("events", "csv", rows, EVENT_COLUMNS, filters(params))
    page = analysis.event_page(store, flt, params.limit, params.cursor, params.sort)
    total, exact = count_events(store, flt)
    # records are JSON-ready: skip FastAPI's recursive encoder, which costs more than the query on a full page
    return JSONResponse({"events": page.records, "count": len(page.records), "page_count": len(page.records),
                         "total": total, "total_exact": exact, "next_cursor": page.next_cursor})


@router.get("/events/{event_id}", summary="One event with its article, cluster, mentions and evidence")
def get_event(store: Store, event_id: str, _: Annotated[NoParams, Query()]) -> dict[str, Any]:
    return analysis.event_detail(store, event_id)


@router.get("/articles", summary="Articles, newest first")
def list_articles(store: Store, params: Annotated[ArticlesParams, Query()]) -> dict[str, Any]:
    return {"articles": analysis.article_page(store, params.limit, params.offset, params.q)}


@router.get("/articles/{article_id:path}", summary="One article's text with the spans of every event marked")
def get_article(store: Store, article_id: str, _: Annotated[NoParams, Query()]) -> dict[str, Any]:
    return analysis.article_detail(store, article_id)


@router.get("/actors", summary="Search actors by code, name, alias or country")
def list_actors(store: Store, params: Annotated[ActorsParams, Query()]) -> dict[str, Any]:
    """`q` matches codes and stored names, and names and aliases the actor knowledge resolves ("Blinken":
    USAGOV, "Turkish government": TURGOV; `resolved` says to what). When nothing is found, `suggestions`
    lists the nearest known names with their codes."""
    resolved = lookup(store, " ".join(params.q.split())) if params.q else None
    found = analysis.actor_search(store, params.q, params.limit, (resolved,) if resolved else ())
    answer: dict[str, Any] = {"actors": found, "resolved": resolved}
    if params.q and not found and not resolved:
        answer["suggestions"] = [{"name": name, "code": code} for name, code in suggestions(store, params.q)]
    return answer


@router.get("/actors/{code}", summary="One actor with its events by type, as source and as target")
def get_actor(store: Store, code: str, params: Annotated[Window, Query()]) -> dict[str, Any]:
    return analysis.actor_detail(store, code, params.date_from, params.date_to)


@router.get("/reactions", summary="Who did what toward a target in a window: events by source and type, with their mentions",
            responses={200: FILE})
def get_reactions(store: Store, params: Annotated[ReactionsParams, Query()]) -> Any:
    """`places` lists the places of each cell's events, most frequent first; `format=csv` gives the same rows."""
    rows = reactions(store, params.target, params.date_from, params.date_to, params.min_confidence, params.modality)
    for row in rows:
        row["goldstein"] = round(row["goldstein"], 3)
        row["first"] = row["first"].isoformat() if row["first"] else None
        row["last"] = row["last"].isoformat() if row["last"] else None
    if params.format == "csv":
        flat = [row | {"places": "; ".join(row["places"])} for row in rows]
        return table("reactions", "csv", flat, REACTION_COLUMNS, params.model_dump(by_alias=True, exclude={"format"}))
    return {"target": params.target.upper(), "from": params.date_from, "to": params.date_to, "reactions": rows}


@router.get("/timeseries", summary="Events, their mentions and mean Goldstein per day, week or month by QuadClass",
            responses={200: FILE})
def get_time_series(store: Store, params: Annotated[TimeSeriesParams, Query()]) -> Any:
    series = analysis.time_series(store, params.event_filter(), params.interval)
    if params.format == "csv":
        return table("timeseries", "csv", series, SERIES_COLUMNS, filters(params) | {"interval": params.interval})
    return {"interval": params.interval, "series": series}


@router.get("/network", summary="Actors and weighted edges (events, their mentions, mean Goldstein) for a filter",
            responses={200: FILE})
def get_network(store: Store, params: Annotated[NetworkParams, Query()]) -> Any:
    """`format=csv` gives the edges, `format=gexf` the graph (GEXF 1.2: labelled nodes with their events,
    edges weighted by events), as attachments."""
    graph = analysis.network(store, params.event_filter(), params.limit)
    if params.format == "json":
        return graph
    return network_file("network", params.format, graph, filters(params))


@router.get("/places", summary="Located events (and their mentions) grouped by place, as GeoJSON", responses={200: FILE})
def get_places(store: Store, params: Annotated[ApiPlacesParams, Query()]) -> Any:
    collection = analysis.places(store, params.event_filter(), params.limit)
    if params.format == "csv":
        return table("places", "csv", place_rows(collection), API_PLACE_COLUMNS, filters(params))
    return collection


@router.get("/stats", summary="Row counts of the store")
def get_stats(store: Store, _: Annotated[NoParams, Query()]) -> dict[str, int]:
    return counts(store)


STATEMENT_SECONDS = float(os.environ.get("TACITUS_STATEMENT_TIMEOUT", 15))  # PostgreSQL stops a query after this


def bound_statements(engine: Engine, seconds: float = STATEMENT_SECONDS) -> None:
    """On PostgreSQL, every connection the server takes from the pool stops a statement after `seconds`
    (a 503 with Retry-After, never a pool held by one slow scan)."""
    if engine.dialect.name != "postgresql" or getattr(engine, "_tacitus_bounded", False):
        return

    @event.listens_for(engine, "checkout")
    def limit(dbapi_connection, record, proxy) -> None:
        if record.info.get("statement_timeout") != seconds:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
            dbapi_connection.commit()
            record.info["statement_timeout"] = seconds

    engine._tacitus_bounded = True


def create_app(db: str | None = None, engine: Engine | None = None, token: str | None = None,
               allowed_hosts: list[str] | tuple[str, ...] | None = None, warm: bool = False) -> FastAPI:
    """The app over a store (a path or URL, or an open engine); read-only unless given a token.

    Only requests whose Host header names one of `allowed_hosts` are answered (default: the loopback
    names and "testserver", the name of Starlette's test client; "*" turns the check off). With `warm`
    (`tacitus serve`) it returns once a first page has been answered in-process (`tacitus.web.warmup`),
    so the first client's request is as fast as the next; else the indexes are built in the background."""
    from .dashboard import mount_dashboard

    description = "Political event data with its evidence." + ("" if token else " Read-only.")
    app = FastAPI(title="tacitus", version="1", description=description,
                  docs_url=None, redoc_url=None)  # the stock docs pages load scripts from a CDN
    app.state.engine = engine or open_store(db)
    bound_statements(app.state.engine)
    app.include_router(router)
    from .downloads import router as downloads_router
    from .status import router as status_router

    app.include_router(downloads_router)
    app.include_router(status_router)
    if token:
        from .writes import enable_writes

        enable_writes(app, token)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        body = validation_errors(exc)
        if not request.url.path.startswith("/api/"):
            from .dashboard import error_page

            return error_page(request, 422, body.message)
        return JSONResponse(body.model_dump(), status_code=422)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        if not request.url.path.startswith("/api/"):
            from .dashboard import error_page

            return error_page(request, 404, str(exc))
        return json_error(404, str(exc))

    @app.exception_handler(BadCursor)
    async def bad_cursor(request: Request, exc: BadCursor):
        return json_error(422, str(exc), "cursor")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if not request.url.path.startswith("/api/") and exc.status_code == 404:
            from .dashboard import error_page

            return error_page(request, 404, "no such page")
        return json_error(exc.status_code, str(exc.detail))

    @app.exception_handler(TacitusError)
    async def tacitus_error(request: Request, exc: TacitusError):
        return json_error(400, str(exc))

    app.add_middleware(StoreContext, engine=app.state.engine)  # names only the store knows resolve too
    if not warm:
        threading.Thread(target=name_index, daemon=True).start()  # the first name look-up need not build it
    hosts = [*LOCAL_HOSTS, "testserver"] if allowed_hosts is None else list(allowed_hosts)
    app.add_middleware(Guard, state=app.state, allowed_hosts=hosts, capacity=pool_capacity(app.state.engine))
    mount_dashboard(app, background=not warm)
    if warm:
        from .warmup import warm_up

        warm_up(app)
    return app


__all__ = ["create_app", "EventQuery", "CSP", "MAX_BODY", "SECURITY_HEADERS"]
