"""The map's marks: places drawn by the precision they were coded at, countries shaded and linked.

A city is a filled dot, a region a ring, a country-level event a hollow
square at the country's point with the country itself shaded; every country
holding located events is a link to them (`/events?place=ISO3`), so an
event known only to be "in Azerbaijan" is never drawn as if it were in Baku.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from ..store.crisis import located
from .params import EventQuery
from .worldmap import MapDataError, country_shapes, project

MAX_COUNTRIES = 80  # shaded countries per page: each is a path of its own in the page


def map_marks(engine, params: EventQuery, limit: int = 1000) -> dict[str, Any]:
    """Points (with precision), countries (shaded, linked) and their counts for a filter."""
    places = located(engine, params.event_filter(), limit)
    peak = max((place["events"] for place in places), default=1)
    points, countries = [], {}
    for place in places:
        x, y = project(place["lon"], place["lat"])
        points.append(place | {"x": x, "y": y, "r": round(0.8 + 4 * math.sqrt(place["events"] / peak), 2),
                               "tone": "coop" if place["goldstein"] > 0 else "conflict",
                               "href": "/events?" + urlencode(params.query_string(place=place["name"], unit="event"))})
        if place["country"]:
            country = countries.setdefault(place["country"], {"code": place["country"], "events": 0, "mentions": 0,
                                                              "country_level": 0, "name": place["country"]})
            country["events"] += place["events"]
            country["mentions"] += place["mentions"]
            country["country_level"] += place["events"] if place["precision"] == "country" else 0
    try:
        shapes = country_shapes()
    except MapDataError:  # the outline image says so; the points and tables still show
        shapes = {}
    ranked = sorted(countries.values(), key=lambda c: (-c["events"], c["code"]))
    for rank, country in enumerate(ranked):
        name, path = shapes.get(country["code"], (country["code"], ""))
        country.update(name=name, path=path if rank < MAX_COUNTRIES else "",
                       href="/events?" + urlencode(params.query_string(place=country["code"], unit="event")))
    return {"points": points, "countries": ranked}
