"""Chart geometry for the dashboard's SVGs: the timeline, the reactions matrix and the network.

The templates only draw what these functions compute; every bar, cell and
edge carries the link to the events behind it, and every axis its labels.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import urlencode

from ..knowledge.lexicon import PLOVER_TYPES
from ..store import views as analysis
from ..store.views import bucket
from .params import EventQuery


def following(day: dt.date, interval: str) -> dt.date:
    """The start of the next period."""
    if interval == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=7 if interval == "week" else 1)


def periods(first: dt.date, last: dt.date, interval: str) -> list[dt.date]:
    """Every period start from first to last, so that quiet weeks show as gaps, not vanish."""
    found, day = [], bucket(first, interval)
    while day <= last:
        found.append(day)
        day = following(day, interval)
    return found


def interval_for(first: dt.date | None, last: dt.date | None, daily: int = 31) -> str:
    """Day bars up to `daily` days (a month), week bars up to about six months, month bars beyond."""
    span = (last - first).days if first and last else 10_000
    if span <= daily:
        return "day"
    return "week" if span <= 183 else "month"


def nice_step(peak: float, ticks: int = 3) -> int:
    """A round tick step (1, 2, 5 times a power of ten) giving about `ticks` ticks up to the peak."""
    raw = max(peak / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def shifted(first: dt.date, last: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The windows before, after and around one: the timeline's brush-free zoom."""
    length = (last - first).days + 1
    low, high = analysis.EARLIEST, analysis.horizon()
    return {"previous": (max(first - dt.timedelta(days=length), low), first - dt.timedelta(days=1)),
            "next": (last + dt.timedelta(days=1), min(last + dt.timedelta(days=length), high)),
            "wider": (max(first - dt.timedelta(days=length // 2 + 1), low), min(last + dt.timedelta(days=length // 2 + 1), high))}


def timeline(series: list[dict[str, Any]], params: EventQuery, interval: str, first: dt.date | None, last: dt.date | None,
             quads: tuple[int, ...] = (1, 2, 3, 4), page: str = "/", width: int = 860, height: int = 240) -> dict[str, Any]:
    """Diverging bars per period over the window: cooperation up, conflict down, with a y-axis of event counts,
    dated x ticks that zoom the page into their period, and each bar linking to its period's events."""
    low, high = analysis.EARLIEST, analysis.horizon()
    series = [row for row in series if low.isoformat() <= row["period"] <= high.isoformat() and row["quad_class"] in quads]
    cells = {(row["period"], row["quad_class"]): row["events"] for row in series}
    dated = sorted({row["period"] for row in series})
    first = max(first or (dt.date.fromisoformat(dated[0]) if dated else high), low)
    last = min(last or (dt.date.fromisoformat(dated[-1]) if dated else low), high)
    keys = periods(first, last, interval) if first <= last else []
    up = max((sum(cells.get((k.isoformat(), q), 0) for q in quads if q <= 2) for k in keys), default=0)
    down = max((sum(cells.get((k.isoformat(), q), 0) for q in quads if q > 2) for k in keys), default=0)
    left, bottom, top = 44, 22, 8
    plot = width - left - 6
    middle = top + (height - top - bottom) / 2
    step_y = nice_step(max(up, down, 1))
    reach = step_y * math.ceil(max(up, down, 1) / step_y)
    scale = (middle - top) / reach
    step = plot / max(len(keys), 1)
    yticks = [{"y": round(middle - sign * v * scale, 1), "label": v}
              for v in range(0, reach + 1, step_y) for sign in ((1, -1) if v else (1,))]
    bars, columns, xticks = [], [], []
    every = max(1, math.ceil(len(keys) / 8))
    for i, start in enumerate(keys):
        end = following(start, interval) - dt.timedelta(days=1)
        x = round(left + i * step, 2)
        span = {"from": start.isoformat(), "to": end.isoformat()}
        total = sum(cells.get((start.isoformat(), q), 0) for q in quads)
        if total:
            columns.append({"x": x, "w": round(max(step, 0.5), 2), "n": total, "period": start.isoformat(),
                            "href": "/events?" + urlencode(params.query_string(**span, unit="event"))})
        offsets = {1: 0.0, 3: 0.0}
        for quad in quads:
            n = cells.get((start.isoformat(), quad), 0)
            if not n:
                continue
            side = 1 if quad <= 2 else 3
            h = n * scale
            y = middle - offsets[side] - h if side == 1 else middle + offsets[side]
            offsets[side] += h
            bars.append({"x": round(x + 0.5, 2), "y": round(y, 1), "w": round(max(step - 1, 0.5), 2), "h": round(h, 1),
                         "quad": quad, "n": n, "period": start.isoformat(),
                         "href": "/events?" + urlencode(params.query_string(**span, quad_class=quad, unit="event"))})
        if i % every == 0:
            label = start.strftime("%Y-%m") if interval == "month" else start.isoformat()
            xticks.append({"x": x, "label": label, "href": page + "?" + urlencode(params.query_string(**span))})
    zoom = {name: page + "?" + urlencode(params.query_string(**{"from": a.isoformat(), "to": b.isoformat()}))
            for name, (a, b) in (shifted(first, last).items() if keys else ())}
    return {"width": width, "height": height, "left": left, "right": width - 6, "top": top, "middle": middle,
            "bottom": height - bottom, "bars": bars, "columns": columns, "yticks": yticks, "xticks": xticks,
            "interval": interval, "zoom": zoom, "first": first if keys else None, "last": last if keys else None,
            "quads": quads}


def matrix(rows: list[dict[str, Any]], params: EventQuery, target: str) -> dict[str, Any]:
    """Sources (a country, or an organisation's own code) x event types with counts of events, most active first;
    each cell says how many of its events are only claimed, intended, threatened or requested."""
    totals: dict[str, int] = {}
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    polarity = params.polarity or "affirmed"
    for row in rows:
        source = row.get("source") or row["source_country"] or "?"
        totals[source] = totals.get(source, 0) + row["events"]
        link = params.query_string(target=target, source=source if source != "?" else None, type=row["event_type"],
                                   unit="event", polarity=polarity)
        cell = cells.setdefault((source, row["event_type"]), {"n": 0, "mentions": 0, "weight": 0.0, "modes": [],
                                                              "href": "/events?" + urlencode(link)})
        cell["n"] += row["events"]
        cell["mentions"] += int(row["mentions"] or 0)
        cell["weight"] += (row["goldstein"] or 0.0) * row["events"]
        if row["modality"] != "actual":
            cell["modes"].append({"modality": row["modality"], "n": row["events"],
                                  "href": "/events?" + urlencode(link | {"modality": row["modality"]})})
    peak = max((cell["n"] for cell in cells.values()), default=1)
    for cell in cells.values():
        cell["goldstein"] = cell["weight"] / cell["n"]
        cell["heat"] = min(5, 1 + int(4 * math.log1p(cell["n"]) / math.log1p(peak)))
    sources = sorted(totals, key=lambda s: (-totals[s], s))
    present = {row["event_type"] for row in rows}
    types = [t for t in PLOVER_TYPES if t in present] + sorted(present - set(PLOVER_TYPES))
    source_links = {s: "/events?" + urlencode(params.query_string(target=target, source=s, unit="event", polarity=polarity))
                    for s in sources if s != "?"}
    return {"sources": sources, "types": types, "cells": cells, "totals": totals, "source_links": source_links}


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
