"""The crisis page: one printable page about one actor in one window.

`/crisis?actor=AZE&from=&to=` puts together what an analyst sends on: the
escalation (material conflict against material cooperation per day, or per
week or month for long windows), who condemned, supported, threatened,
mediated or aided the actor (the /reactions matrix), where it happened (the
map) and the sentences reported most often. Every count is of events
(clusters, not mentions) and links to them; the print stylesheet drops the
controls.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..store import crisis as reads
from ..store import views as analysis
from .charts import interval_for, matrix, timeline
from .mapview import map_marks
from .pages import actor_title, page, window
from .params import EventQuery

router = APIRouter(include_in_schema=False)
# What the matrix's PLOVER types mean in an analyst's words (CONSULT holds mediation, as PLOVER codes it).
PLAIN = {"ACCUSE": "accused, condemned", "SUPPORT": "supported", "THREATEN": "threatened", "CONSULT": "met, mediated",
         "AID": "aided", "AGREE": "agreed, promised", "REQUEST": "called on", "REJECT": "rejected", "PROTEST": "protested",
         "SANCTION": "sanctioned", "COERCE": "coerced", "ASSAULT": "attacked", "MOBILIZE": "mobilised",
         "COOPERATE": "cooperated", "CONCEDE": "conceded", "RETREAT": "retreated"}
DAILY = 92  # days up to which the escalation is drawn per day


@router.get("/crisis", response_class=HTMLResponse)
def crisis_page(request: Request, params: Annotated[EventQuery, Query()]) -> HTMLResponse:
    engine = request.app.state.engine
    actor = (params.actor or params.target or "").upper()
    params = window(engine, params.model_copy(update={"target": actor or None, "actor": None, "source": None}))
    actor = actor or (analysis.most_targeted(engine, params.event_filter()) or "")
    params = params.model_copy(update={"actor": actor or None, "target": None})
    if not actor:
        return page(request, "crisis.html", params=params, actor="", title="", empty=True)
    toward = params.model_copy(update={"actor": None, "target": actor})
    first, last = (params.date_from, params.date_to)
    if not (first and last):
        found = analysis.plausible_dates(engine)
        first, last = first or found[0], last or found[1]
    interval = interval_for(first, last, DAILY)
    series = analysis.time_series(engine, params.event_filter(), interval)
    counts = reads.by_quad(engine, params.event_filter())
    links = {quad: "/events?" + urlencode(params.query_string(quad_class=quad, unit="event")) for quad in counts}
    rows = reads.reactions(engine, toward.event_filter())
    quotes = reads.top_quotes(engine, params.event_filter(), 8)
    return page(request, "crisis.html", params=params, actor=actor, title=actor_title(actor, None), empty=False,
                chart=timeline(series, params, interval, first, last, quads=(2, 4), page="/crisis"),
                counts=counts, links=links, all_link="/events?" + urlencode(params.query_string(unit="event")),
                matrix=matrix(rows, toward, actor), plain=PLAIN, quotes=quotes, first=first, last=last,
                toward=toward, **map_marks(engine, params))
