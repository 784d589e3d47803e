"""Downloads of what each dashboard view shows: `GET /download/{view}.{fmt}`, and the same files for the API.

Each view takes the query parameters of its page and builds its rows with the
functions the page uses (after the page's default window and confidence), so a
file holds exactly the page's rows; a table shown a page at a time (events, the
evidence) is downloaded whole, a keyset page of the store at a time, so memory
stays flat whatever the store holds.

| view | page | one row per |
|---|---|---|
| events | /events | event record (mention, or event with `unit=event`) in the page's sort; limit and cursor ignored |
| reactions | /reactions | source x type x modality cell of the matrix |
| evidence | /reactions | event behind the matrix (the page lists the latest 40) |
| places | /map | place, with its precision |
| timeseries | / | period x QuadClass bar of the timeline (`interval` as the page picks it, unless given) |
| network | /reactions | edge of the network around the target (`gexf`: nodes and edges) |

CSV cells are neutralised against formulas as exports are (`store.export.csv_stream`); JSON is one object,
`{"view", "filters", "rows": [...]}`, written a row at a time. Pages link here through `pages.download_query`;
this module imports the pages' helpers, so a page module must not import it (the layout test forbids cycles).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import Field
from sqlalchemy.engine import Engine

from ..knowledge.actor_base import code_names
from ..output import CSV_COLUMNS, csv_row
from ..store import crisis as reads
from ..store import views as analysis
from ..store.export import csv_stream, gexf_stream, json_stream
from ..store.rows import event_from_record
from ..store.views import NotFound
from .charts import interval_for
from .pages import TOP_DYADS, confident, window
from .params import EventQuery, EventsParams, PlacesParams

EVENT_COLUMNS = (*CSV_COLUMNS, "cluster_id", "num_mentions", "num_articles", "num_sources")
REACTION_COLUMNS = ("source", "source_country", "event_type", "modality", "events", "mentions", "goldstein")
PLACE_COLUMNS = ("name", "country", "lat", "lon", "precision", "events", "mentions", "goldstein")
API_PLACE_COLUMNS = tuple(c for c in PLACE_COLUMNS if c != "precision")  # /api/places knows no precision
SERIES_COLUMNS = ("period", "quad_class", "events", "mentions", "goldstein")
EDGE_COLUMNS = ("source", "target", "weight", "mentions", "goldstein")
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "gexf": "application/gexf+xml"}
VIEWS = ("events", "reactions", "evidence", "places", "timeseries", "network", "dyads")
NETWORK_EDGES = 60  # the edges the reactions page draws around its target
MAX_NAME = 120  # characters of the filters part of a file name
SAFE = re.compile(r"[^A-Za-z0-9._-]+")
PLAIN = {("unit", "mention"), ("sort", "date")}  # defaults that would only lengthen a file name

router = APIRouter(prefix="/download", tags=["downloads"])
Tabular = Literal["csv", "json"]


class SeriesQuery(EventQuery):
    """The overview's filters, with the interval its timeline drew (links pass it; absent: chosen as the page does)."""

    interval: Literal["day", "week", "month"] | None = Field(None, description="day, week or month bars")


def flat_event(record: dict[str, Any]) -> dict[str, Any]:
    """An event record as the flat CSV columns of `tacitus query --format csv`, with its event's counts."""
    return csv_row(event_from_record(record)) | {k: record.get(k) for k in EVENT_COLUMNS[len(CSV_COLUMNS):]}


def reaction_row(row: dict[str, Any]) -> dict[str, Any]:
    """A reactions cell with its mean Goldstein rounded as the API rounds it."""
    return row | {"goldstein": round(row["goldstein"], 3) if row.get("goldstein") is not None else None}


def place_rows(features: dict[str, Any]) -> list[dict[str, Any]]:
    """GeoJSON features (`views.places`) as flat rows."""
    return [f["properties"] | {"lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
            for f in features["features"]]


def node_rows(graph: dict[str, Any]) -> list[dict[str, Any]]:
    names = code_names()
    return [node | {"label": names.get(node["id"], node["id"])} for node in graph["nodes"]]


def file_name(view: str, fmt: str, values: dict[str, str], order: Iterable[str] = ()) -> str:
    """`tacitus-<view>-<filters>.<fmt>`: the non-empty filters (those the request named first, in its order),
    only [A-Za-z0-9._-], the filters part at most MAX_NAME characters."""
    keys = [k for k in dict.fromkeys([*order, *values]) if values.get(k) not in (None, "") and (k, values[k]) not in PLAIN]
    parts = [SAFE.sub("_", f"{key}-{values[key]}").strip("._") for key in keys]
    filters = "-".join(p for p in parts if p)[:MAX_NAME].rstrip("-._")
    return f"tacitus-{view}{'-' + filters if filters else ''}.{fmt}"


def streamed(chunks: Iterator[str], fmt: str, name: str) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=MEDIA[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def table(view: str, fmt: str, rows: Iterable[dict[str, Any]], columns: tuple[str, ...], filters: dict[str, str],
          order: Iterable[str] = (), json_rows: Iterable[Any] | None = None) -> StreamingResponse:
    """Rows as a streamed CSV or JSON attachment named by the view and its filters."""
    name = file_name(view, fmt, filters, order)
    if fmt == "csv":
        return streamed(csv_stream(rows, columns), fmt, name)
    return streamed(json_stream({"view": view, "filters": filters}, rows if json_rows is None else json_rows), fmt, name)


def network_file(view: str, fmt: str, graph: dict[str, Any], filters: dict[str, str],
                 order: Iterable[str] = ()) -> StreamingResponse:
    """A network as GEXF (nodes and edges), CSV (its edges) or JSON (`nodes` and `rows`, the edges)."""
    if fmt == "gexf":
        return streamed(gexf_stream(graph["nodes"], graph["edges"], code_names()), fmt, file_name(view, fmt, filters, order))
    if fmt == "json":
        head = {"view": view, "filters": filters, "nodes": node_rows(graph)}
        return streamed(json_stream(head, graph["edges"]), fmt, file_name(view, fmt, filters, order))
    return table(view, fmt, graph["edges"], EDGE_COLUMNS, filters, order)


def _engine(request: Request) -> Engine:
    return request.app.state.engine


def _asked(request: Request) -> list[str]:
    return [key for key, value in request.query_params.multi_items() if value]


def _reaction_target(engine: Engine, params: EventQuery) -> EventQuery:
    """The reactions page's filters: its window, and its target (the most targeted actor when none is given)."""
    params = window(engine, params)
    target = (params.target or analysis.most_targeted(engine, params.event_filter()) or "").upper()
    return params.model_copy(update={"target": target or None})


Fmt = Annotated[Tabular, Path(description="csv or json")]


def event_table(view: str, fmt: str, records: Iterator[dict[str, Any]], params: EventQuery, request: Request) -> StreamingResponse:
    """Event records as JSON (whole records) or CSV (flat columns), streamed."""
    if fmt == "json":
        return table(view, fmt, (), EVENT_COLUMNS, params.query_string(), _asked(request), json_rows=records)
    return table(view, fmt, (flat_event(r) for r in records), EVENT_COLUMNS, params.query_string(), _asked(request))


@router.get("/events.{fmt}", summary="The events table's rows (all pages) as CSV or JSON")
def download_events(request: Request, fmt: Fmt, params: Annotated[EventsParams, Query()]) -> StreamingResponse:
    params = confident(params)
    records = analysis.all_events(_engine(request), params.event_filter(), params.sort)
    return event_table("events", fmt, records, params, request)


@router.get("/reactions.{fmt}", summary="The reactions matrix's cells as CSV or JSON")
def download_reactions(request: Request, fmt: Fmt, params: Annotated[EventQuery, Query()]) -> StreamingResponse:
    engine = _engine(request)
    params = _reaction_target(engine, params)
    rows = reads.reactions(engine, params.event_filter()) if params.target else []
    return table("reactions", fmt, [reaction_row(r) for r in rows], REACTION_COLUMNS, params.query_string(), _asked(request))


@router.get("/evidence.{fmt}", summary="The events behind the reactions matrix, newest first, as CSV or JSON")
def download_evidence(request: Request, fmt: Fmt, params: Annotated[EventQuery, Query()]) -> StreamingResponse:
    engine = _engine(request)
    params = _reaction_target(engine, params)
    records: Iterator[dict[str, Any]] = (analysis.all_events(engine, params.event_filter(unit="event"), "-date")
                                         if params.target else iter(()))
    return event_table("evidence", fmt, records, params, request)


@router.get("/places.{fmt}", summary="The map's places as CSV or JSON")
def download_places(request: Request, fmt: Fmt, params: Annotated[PlacesParams, Query()]) -> StreamingResponse:
    engine = _engine(request)
    params = window(engine, params)
    rows = reads.located(engine, params.event_filter(), params.limit)
    return table("places", fmt, rows, PLACE_COLUMNS, params.query_string(), _asked(request))


def series_rows(engine: Engine, params: SeriesQuery) -> tuple[str, list[dict[str, Any]]]:
    """The overview timeline's interval and bars (periods inside the chart's axis)."""
    interval = params.interval
    if interval is None:
        first, last = params.date_from, params.date_to
        if not (first and last):
            known = analysis.plausible_dates(engine)
            first, last = first or known[0], last or known[1]
        interval = interval_for(first, last)
    low, high = analysis.EARLIEST.isoformat(), analysis.horizon().isoformat()
    rows = [row for row in analysis.time_series(engine, params.event_filter(), interval) if low <= row["period"] <= high]
    return interval, rows


@router.get("/timeseries.{fmt}", summary="The overview timeline's bars as CSV or JSON")
def download_series(request: Request, fmt: Fmt, params: Annotated[SeriesQuery, Query()]) -> StreamingResponse:
    engine = _engine(request)
    params = window(engine, params)
    interval, rows = series_rows(engine, params)
    filters = params.query_string() | {"interval": interval}
    return table("timeseries", fmt, rows, SERIES_COLUMNS, filters, _asked(request))


@router.get("/dyads.{fmt}", summary="The overview's top dyads as CSV or JSON")
def download_dyads(request: Request, fmt: Fmt, params: Annotated[EventQuery, Query()]) -> StreamingResponse:
    engine = _engine(request)
    params = window(engine, params)
    rows = analysis.top_dyads(engine, params.event_filter(), TOP_DYADS)
    return table("dyads", fmt, rows, EDGE_COLUMNS, params.query_string(), _asked(request))


@router.get("/network.{fmt}", summary="The network around the reactions page's target as CSV (edges), JSON or GEXF")
def download_network(request: Request, fmt: Annotated[Literal["csv", "json", "gexf"], Path(description="csv, json or gexf")],
                     params: Annotated[EventQuery, Query()]) -> StreamingResponse:
    engine = _engine(request)
    params = _reaction_target(engine, params)
    graph = (analysis.network(engine, params.event_filter(target=None, actor=params.target), NETWORK_EDGES)
             if params.target else {"nodes": [], "edges": []})
    return network_file("network", fmt, graph, params.query_string(), _asked(request))


@router.get("/{name}", include_in_schema=False)
def unknown_download(name: str) -> None:
    known = ", ".join(f"{view}.csv" for view in VIEWS)
    raise NotFound(f"no download {name!r}; the views are {known} (and .json; the network also .gexf)")

