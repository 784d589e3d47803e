"""The dashboard: server-rendered pages over `tacitus.analysis`, no scripts at all.

Charts are SVG drawn by the templates from numbers computed here; every
number is a link to the events behind it, every event to its article. All
text goes through Jinja's autoescaping (evidence is untrusted input), styles
come from the app's own stylesheet, and the world outline is built from
installed data (`tacitus.worldmap`).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from dataclasses import replace
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..knowledge.actor_base import code_names
from ..knowledge.lexicon import PLOVER_TYPES
from ..store import views as analysis
from ..store.extent import RECENT_DAYS, is_small
from ..store.queries import reactions as reactions_query
from .params import EventQuery, EventsParams, NoParams, PlacesParams
from .worldmap import project, world_svg

PACKAGE = resources.files("tacitus.web")
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(str(PACKAGE / "templates")), autoescape=True))
templates.env.filters["qs"] = lambda values: urlencode({k: v for k, v in values.items() if v not in (None, "")})
templates.env.globals["marked"] = lambda record: analysis.segments(record["sentence"], analysis.event_spans(record, relative=True))
router = APIRouter(include_in_schema=False)
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context | {"quads": QUADS}, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status, status=status, message=message)


def window(engine, params: EventQuery) -> EventQuery:
    """Filters with the default window when none is given: the whole store when it is small, else the
    last 90 days that hold data (for the chosen target, if any) up to a year from today, so that a typo'd
    future date (2203) does not move the window away from all the real data."""
    if params.date_from or params.date_to or is_small(engine):
        return params
    start, end = analysis.recent_window(engine, RECENT_DAYS, params.target)
    return params.model_copy(update={"date_from": start, "date_to": end})


def periods(first: dt.date, last: dt.date, interval: str) -> list[dt.date]:
    """Every period start from first to last, so that quiet weeks show as gaps, not vanish."""
    found, day = [], first
    while day <= last:
        found.append(day)
        day = day + dt.timedelta(days=7) if interval == "week" else (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return found


def timeline(series: list[dict[str, Any]], params: EventQuery, interval: str, width: int = 860, height: int = 220) -> dict[str, Any]:
    """Diverging bars per period: cooperation (QuadClass 1, 2) up, conflict (3, 4) down, each piece a link."""
    low, high = analysis.EARLIEST.isoformat(), analysis.horizon().isoformat()
    series = [row for row in series if low <= row["period"] <= high]  # the axis stops at plausible dates
    cells = {(row["period"], row["quad_class"]): row["events"] for row in series}
    starts = sorted({row["period"] for row in series})
    keys = [p.isoformat() for p in periods(dt.date.fromisoformat(starts[0]), dt.date.fromisoformat(starts[-1]), interval)] if starts else []
    up = max((cells.get((k, 1), 0) + cells.get((k, 2), 0) for k in keys), default=0)
    down = max((cells.get((k, 3), 0) + cells.get((k, 4), 0) for k in keys), default=0)
    scale = (height / 2 - 10) / max(up, down, 1)
    middle = height / 2
    step = width / max(len(keys), 1)
    bars = []
    for i, key in enumerate(keys):
        start = dt.date.fromisoformat(key)
        end = periods(start, start + dt.timedelta(days=40), interval)[1] - dt.timedelta(days=1)
        offsets = {1: 0.0, 3: 0.0}
        for quad in (1, 2, 3, 4):
            n = cells.get((key, quad), 0)
            if not n:
                continue
            side = 1 if quad <= 2 else 3
            h = n * scale
            y = middle - offsets[side] - h if side == 1 else middle + offsets[side]
            offsets[side] += h
            bars.append({"x": round(i * step + 0.5, 2), "y": round(y, 1), "w": round(max(step - 1, 0.5), 2), "h": round(h, 1),
                         "quad": quad, "n": n, "period": key,
                         "href": "/events?" + urlencode(params.query_string(**{"from": start, "to": end, "quad_class": quad, "unit": "event"}))})
    return {"width": width, "height": height, "middle": middle, "bars": bars, "interval": interval,
            "first": keys[0] if keys else None, "last": keys[-1] if keys else None}


def matrix(rows: list[dict[str, Any]], params: EventQuery, target: str) -> dict[str, Any]:
    """Sources (a country, or an organisation's own code) x event types with counts, most active first."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[_source(row)] = totals.get(_source(row), 0) + row["events"]
    sources = sorted(totals, key=lambda s: (-totals[s], s))
    present = {row["event_type"] for row in rows}
    types = [t for t in PLOVER_TYPES if t in present] + sorted(present - set(PLOVER_TYPES))
    peak = max((row["events"] for row in rows), default=1)
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        source = _source(row)
        heat = min(5, 1 + int(4 * math.log1p(row["events"]) / math.log1p(peak))) if peak else 0
        link = params.query_string(target=target, source=source if source != "?" else None, type=row["event_type"], unit="event")
        cells[(source, row["event_type"])] = {"n": row["events"], "mentions": row["mentions"], "heat": heat, "goldstein": row["goldstein"],
                                              "href": "/events?" + urlencode(link | {"polarity": "affirmed"})}
    return {"sources": sources, "types": types, "cells": cells, "totals": totals}


def _source(row: dict[str, Any]) -> str:
    return row.get("source") or row["source_country"] or "?"


def network_layout(graph: dict[str, Any], centre: str, size: int = 460) -> dict[str, Any]:
    """The centre actor in the middle, the others on a circle; edge width by events, colour by Goldstein."""
    others = [node["id"] for node in graph["nodes"] if node["id"] != centre][:24]
    radius = size / 2 - 40
    positions = {centre: (size / 2, size / 2)}
    for i, node in enumerate(others):
        angle = 2 * math.pi * i / max(len(others), 1) - math.pi / 2
        positions[node] = (round(size / 2 + radius * math.cos(angle), 1), round(size / 2 + radius * math.sin(angle), 1))
    peak = max((edge["weight"] for edge in graph["edges"]), default=1)
    edges = []
    for edge in graph["edges"]:
        if edge["source"] in positions and edge["target"] in positions and edge["source"] != edge["target"]:
            (x1, y1), (x2, y2) = positions[edge["source"]], positions[edge["target"]]
            edges.append(edge | {"x1": x1, "y1": y1, "x2": x2, "y2": y2,
                                 "width": round(0.5 + 5 * edge["weight"] / peak, 2),
                                 "tone": "coop" if edge["goldstein"] > 0 else "conflict" if edge["goldstein"] < 0 else "neutral"})
    nodes = [{"id": node, "x": x, "y": y, "centre": node == centre} for node, (x, y) in positions.items()]
    return {"size": size, "nodes": nodes, "edges": edges}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = window(engine, params)
    flt = params.event_filter()
    first, last = (params.date_from, params.date_to) if params.date_from or params.date_to else analysis.plausible_dates(engine)
    span = (last - first).days if first and last else 0
    interval = "month" if span > 3 * 365 else "week"
    series = analysis.time_series(engine, flt, interval)
    latest = analysis.event_page(engine, replace(flt, unit="event"), 15, sort="-date").records
    dyads = analysis.top_dyads(engine, flt, 12)
    for dyad in dyads:
        dyad["href"] = "/events?" + urlencode(params.query_string(source=dyad["source"], target=dyad["target"], unit="event"))
    return page(request, "overview.html", params=params, chart=timeline(series, params, interval), dyads=dyads, latest=latest,
                total=sum(row["events"] for row in series), first=first, last=last)


@router.get("/reactions", response_class=HTMLResponse)
def reactions_page(request: Request, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = window(engine, params)
    target = (params.target or analysis.most_targeted(engine, params.event_filter()) or "").upper()
    rows = reactions_query(engine, target, params.date_from, params.date_to, params.min_confidence) if target else []
    graph = analysis.network(engine, params.event_filter(target=None, actor=target), 60) if target else {"nodes": [], "edges": []}
    for edge in graph["edges"]:
        edge["href"] = "/events?" + urlencode(params.query_string(source=edge["source"], target=edge["target"], unit="event"))
    evidence = analysis.event_page(engine, params.event_filter(target=target, polarity="affirmed", unit="event"), 40,
                                   sort="-date").records if target else []
    return page(request, "reactions.html", params=params, target=target, matrix=matrix(rows, params, target),
                network=network_layout(graph, target), evidence=evidence)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, params: Annotated[PlacesParams, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    params = window(engine, params)
    collection = analysis.places(engine, params.event_filter(), params.limit)
    peak = max((f["properties"]["events"] for f in collection["features"]), default=1)
    points = []
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        x, y = project(lon, lat)
        props = feature["properties"]
        points.append(props | {"x": x, "y": y, "r": round(0.8 + 4 * math.sqrt(props["events"] / peak), 2),
                               "tone": "coop" if props["goldstein"] > 0 else "conflict",
                               "href": "/events?" + urlencode(params.query_string(place=props["name"], unit="event"))})
    return page(request, "map.html", params=params, points=points)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, params: Annotated[EventsParams, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
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
    pieces = analysis.segments(text, detail["spans"])
    return page(request, "article.html", article=detail["article"], pieces=pieces, events=detail["events"], focus=event)


def actor_title(code: str, stored: str | None) -> str:
    """Whom an actor page is about: the country's or organisation's name (USA: United States, not the first
    mention stored with the code), a country's sector ("United States GOV"), else the stored name."""
    names = code_names()
    if code in names:
        return names[code]
    if len(code) > 3 and code[:3] in names:
        return f"{names[code[:3]]} {code[3:]}"
    return stored or code


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    detail = analysis.actor_detail(request.app.state.engine, code, params.date_from, params.date_to)
    code = code.upper()
    return page(request, "actor.html", detail=detail, code=code, params=params,
                title=actor_title(code, detail["actor"].get("name")))


@router.get("/assets/world.svg")
def world_outline() -> Response:
    return Response(world_svg(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


def mount_dashboard(app: FastAPI) -> None:
    """Pages, the stylesheet and the world outline (built in the background as the server starts)."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    threading.Thread(target=_warm_outline, daemon=True).start()


def _warm_outline() -> None:
    try:
        world_svg()
    except Exception:  # reported when the map page asks for it
        pass
