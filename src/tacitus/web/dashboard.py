"""The dashboard: server-rendered pages over `tacitus.analysis`, no scripts at all.

Charts are SVG drawn by the templates from numbers computed here; every
number is a link to the events behind it, every event to its article. All
text goes through Jinja's autoescaping (evidence is untrusted input), styles
come from the app's own stylesheet, and the world outline is built from
installed data (`tacitus.worldmap`).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from ..knowledge.lexicon import PLOVER_TYPES
from ..store import crisis as reads
from ..store import views as analysis
from .charts import interval_for, matrix, network_layout, timeline
from .crisis import router as crisis_router
from .mapview import map_marks
from .pages import PACKAGE, TOP_DYADS, actor_title, confident, error_page, page, templates, window
from .params import EventQuery, EventsParams, NoParams, PlacesParams
from .worldmap import world_svg

router = APIRouter(include_in_schema=False)
__all__ = ["error_page", "mount_dashboard", "router", "templates"]


def span_of(engine, params: EventQuery, target: str | None = None) -> tuple[dt.date | None, dt.date | None]:
    """The window a chart's axis covers: the dates asked for, the store's plausible dates filling a missing end."""
    if params.date_from and params.date_to:
        return params.date_from, params.date_to
    first, last = analysis.plausible_dates(engine, target)
    return params.date_from or first, params.date_to or last


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = window(engine, params)
    flt = params.event_filter()
    first, last = span_of(engine, params)
    interval = interval_for(first, last)
    series = analysis.time_series(engine, flt, interval)
    latest = analysis.event_page(engine, params.event_filter(unit="event"), 15, sort="-date").records
    dyads = analysis.top_dyads(engine, flt, TOP_DYADS)
    for dyad in dyads:
        dyad["href"] = "/events?" + urlencode(params.query_string(source=dyad["source"], target=dyad["target"], unit="event"))
    return page(request, "overview.html", params=params, chart=timeline(series, params, interval, first, last), dyads=dyads,
                latest=latest, total=sum(row["events"] for row in series), first=first, last=last)


@router.get("/reactions", response_class=HTMLResponse)
def reactions_page(request: Request, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = window(engine, params)
    target = (params.target or analysis.most_targeted(engine, params.event_filter()) or "").upper()
    params = params.model_copy(update={"target": target or None})
    rows = reads.reactions(engine, params.event_filter()) if target else []
    graph = analysis.network(engine, params.event_filter(target=None, actor=target), 60) if target else {"nodes": [], "edges": []}
    for edge in graph["edges"]:
        edge["href"] = "/events?" + urlencode(params.query_string(source=edge["source"], target=edge["target"], unit="event"))
    evidence = analysis.event_page(engine, params.event_filter(unit="event"), 40, sort="-date").records if target else []
    crisis = {k: v for k, v in params.query_string().items() if k != "target"} | {"actor": target}
    return page(request, "reactions.html", params=params, target=target, matrix=matrix(rows, params, target),
                network=network_layout(graph, target), evidence=evidence, crisis_link="/crisis?" + urlencode(crisis))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, params: Annotated[PlacesParams, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = window(engine, params)
    return page(request, "map.html", params=params, **map_marks(engine, params, params.limit))


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, params: Annotated[EventsParams, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = confident(params)
    result = analysis.event_page(engine, params.event_filter(), min(params.limit, 200), params.cursor, params.sort)
    next_link = None
    if result.next_cursor:
        next_link = "/events?" + urlencode(params.query_string() | {"sort": params.sort, "cursor": result.next_cursor})
    return page(request, "events.html", params=params, events=result.records, next_link=next_link,
                types=PLOVER_TYPES)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, _: Annotated[NoParams, Query()]) -> HTMLResponse:
    detail = analysis.event_detail(request.app.state.engine, event_id)
    sentence = analysis.segments(detail["event"]["sentence"], detail["evidence"]["spans"])
    return page(request, "event.html", detail=detail, event=detail["event"], sentence=sentence)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, event: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    detail = analysis.article_detail(request.app.state.engine, article_id)
    text = detail["article"]["text"]
    # the focused event's words win where events share them ("France and Germany ... have condemned")
    records = sorted(detail["events"], key=lambda record: record["event_id"] != event)
    pieces = analysis.segments(text, [span for record in records for span in analysis.event_spans(record)])
    return page(request, "article.html", article=detail["article"], pieces=pieces, events=detail["events"], focus=event)


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = confident(params)
    detail = analysis.actor_detail(engine, code, params.date_from, params.date_to)  # NotFound for an unknown actor
    code = code.upper()
    detail |= reads.actor_counts(engine, code, params.event_filter())
    return page(request, "actor.html", detail=detail, code=code, params=params,
                title=actor_title(code, detail["actor"].get("name")))


@router.get("/assets/world.svg")
def world_outline() -> Response:
    return Response(world_svg(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


def mount_dashboard(app: FastAPI, background: bool = True) -> None:
    """Pages, the stylesheet and the world outline (read or built in the background as the server starts,
    unless the caller warms it up itself)."""
    app.include_router(router)
    app.include_router(crisis_router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    if background:
        threading.Thread(target=_warm_outline, daemon=True).start()


def _warm_outline() -> None:
    try:
        world_svg()
    except Exception:  # reported when the map page asks for it
        pass
