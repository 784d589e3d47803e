"""What every dashboard page shares: the templates, the default window and confidence, download links.

Kept apart from the routes so that the overview, map, reactions and crisis
modules use one definition of "the page's filters" (and of the links built
from them) without importing one another.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..knowledge.actor_base import code_names
from ..store import views as analysis
from ..store.extent import RECENT_DAYS, is_small
from ..store.queries import DEFAULT_MIN_CONFIDENCE  # one default for the dashboard, the CLI and exports
from .params import EventQuery

PACKAGE = resources.files("tacitus.web")
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
MODALITIES = ("actual", "claimed", "intended", "threatened", "requested", "hypothetical")
POLARITIES = ("affirmed", "negated")
Q = TypeVar("Q", bound=EventQuery)
DOWNLOADS = {"events": ("csv", "json"), "reactions": ("csv", "json"), "evidence": ("csv", "json"),
             "places": ("csv", "json"), "timeseries": ("csv", "json"), "network": ("csv", "json", "gexf"),
             "dyads": ("csv", "json")}
TOP_DYADS = 12  # the overview's table of the busiest source-target pairs, and its download


def qs(values: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(str(PACKAGE / "templates")), autoescape=True))
templates.env.filters["qs"] = qs
templates.env.globals["marked"] = lambda record: analysis.segments(record["sentence"], analysis.event_spans(record, relative=True))
templates.env.globals.update(quads=QUADS, modalities=MODALITIES, polarities=POLARITIES, downloads=DOWNLOADS,
                             default_confidence=DEFAULT_MIN_CONFIDENCE)


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context | {"quads": QUADS}, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status, status=status, message=message)


def confident(params: Q) -> Q:
    """The page's filters with the default confidence threshold when none is given (0 shows everything)."""
    if params.min_confidence is not None:
        return params
    return params.model_copy(update={"min_confidence": DEFAULT_MIN_CONFIDENCE})


def window(engine, params: Q) -> Q:
    """Filters with the default window and confidence when none is given: the whole store when it is small,
    else the last 90 days that hold data (for the chosen target, if any) up to a year from today, so that a
    typo'd future date (2203) does not move the window away from all the real data."""
    params = confident(params)
    if params.date_from or params.date_to or is_small(engine):
        return params
    start, end = analysis.recent_window(engine, RECENT_DAYS, params.target)
    return params.model_copy(update={"date_from": start, "date_to": end})


def download_query(params: EventQuery, **extra: Any) -> str:
    """The query string of a page's download links: the filters the page applied (defaults included), so the
    file holds exactly the page's rows whatever defaults the download route would pick."""
    values: dict[str, Any] = params.query_string()
    for name in ("limit", "sort"):
        value = getattr(params, name, None)
        if value is not None:
            values[name] = value
    return qs(values | extra)


templates.env.globals["download_query"] = download_query


def actor_title(code: str, stored: str | None) -> str:
    """Whom an actor page is about: the country's or organisation's name (USA: United States, not the first
    mention stored with the code), a country's sector ("United States GOV"), else the stored name."""
    names = code_names()
    if code in names:
        return names[code]
    if len(code) > 3 and code[:3] in names:
        return f"{names[code[:3]]} {code[3:]}"
    return stored or code
