"""Query parameters of the API and dashboard: validated, bounded, unknown names refused.

Each model forbids extra fields, so `/api/events?tagret=AZE` is a 422 that
names `tagret` instead of a silently unfiltered answer. Empty strings (what an
HTML form sends for a blank field) mean "not given".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from ..knowledge.lexicon import PLOVER_TYPES
from ..store.queries import EventFilter
from ..store.views import MAX_PAGE
from .actor_names import UnknownActor, current_store, resolve_actor

# A code (AZE, USAGOV) or a name ("Blinken", "Islamic State", "Côte d'Ivoire", "Turkey's government"):
# letters, digits, spaces and . ' ’ & ( ) - only, so no quote or operator of SQL or markup gets through.
ACTOR = r"^[\w][\w .'’&()-]{1,99}$"
ACTOR_FORM = "a country's three letters (AZE), an actor code (USAGOV, IGOEUREEC) or a name (Azerbaijan, Blinken)"
# What a value that fails its pattern should look like, in words: error messages never show the regex.
FORMS = {"source": ACTOR_FORM, "target": ACTOR_FORM, "actor": ACTOR_FORM,
         "cameo": "a CAMEO code of 2 to 4 digits (19, 190, 0256)"}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


def actor_code(value: str | None) -> str | None:
    """A source/target/actor value as the code it names ("Blinken": USAGOV); an unknown name is an error
    (type `unknown_actor`) whose message suggests the nearest known names."""
    if value is None:
        return None
    try:
        return resolve_actor(current_store(), value)
    except UnknownActor as exc:
        raise PydanticCustomError("unknown_actor", "{message}", {"message": str(exc)}) from exc


class NoParams(Params):
    """Endpoints that take no query parameters still refuse unknown ones."""


class Window(Params):
    date_from: dt.date | None = Field(None, alias="from", description="first day, YYYY-MM-DD")
    date_to: dt.date | None = Field(None, alias="to", description="last day, YYYY-MM-DD; not before `from`")

    @field_validator("date_to")
    @classmethod
    def not_before_from(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        first = info.data.get("date_from")
        if value is not None and first is not None and value < first:
            raise ValueError(f"to ({value}) is before from ({first}); swap them")
        return value


class EventQuery(Window):
    """The filters of `tacitus query`."""

    source: str | None = Field(None, pattern=ACTOR, description="source country (3 letters), actor code prefix, or a "
                                                                "name or alias (Blinken, Islamic State, Turkish government)")
    target: str | None = Field(None, pattern=ACTOR, description="target country (3 letters), actor code prefix, or a name")
    actor: str | None = Field(None, pattern=ACTOR, description="either side: a country, code or name")
    type: str | None = Field(None, pattern=r"^[A-Za-z_]{3,20}$", description="PLOVER event type, e.g. ACCUSE")
    cameo: str | None = Field(None, pattern=r"^\d{2,4}$", description="CAMEO root (2 digits), base (3) or code (4)")
    quad_class: int | None = Field(None, ge=1, le=4)
    place: str | None = Field(None, max_length=200, description="place name or its country's 3 letters")
    text: str | None = Field(None, max_length=200, description="words in the evidence sentence")
    min_confidence: float | None = Field(None, ge=0, le=1)
    modality: Literal["actual", "claimed", "intended", "threatened", "requested", "hypothetical"] | None = None
    polarity: Literal["affirmed", "negated"] | None = None

    @field_validator("source", "target", "actor")
    @classmethod
    def named_actor(cls, value: str | None) -> str | None:
        return actor_code(value)

    @field_validator("type")
    @classmethod
    def plover_type(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in PLOVER_TYPES:
            raise ValueError(f"{value!r} is not a PLOVER event type; use one of {', '.join(PLOVER_TYPES)}")
        return value.upper() if value else value

    def event_filter(self, **override: Any) -> EventFilter:
        values = {"source": self.source, "target": self.target, "actor": self.actor, "event_type": self.type,
                  "cameo": self.cameo, "quad_class": self.quad_class, "date_from": self.date_from,
                  "date_to": self.date_to, "place": self.place, "text": self.text,
                  "min_confidence": self.min_confidence, "modality": self.modality, "polarity": self.polarity,
                  "unit": getattr(self, "unit", "mention")}
        return EventFilter(**(values | override))

    def query_string(self, **override: Any) -> dict[str, str]:
        """The non-empty filters as URL parameters (for links to the events behind a number, and downloads: an
        `interval` override is kept for the timeline's)."""
        values = self.model_dump(by_alias=True, exclude_none=True)
        values.update({k: v for k, v in override.items() if v is not None})
        return {k: str(v) for k, v in values.items()
                if k in EventQuery.model_fields or k in ("from", "to", "unit", "interval")}


class EventsParams(EventQuery):
    unit: Literal["mention", "event"] = Field(
        "mention", description="`event`: one row per event (its best mention, with its mention counts), as every "
                               "count of the API and the dashboard counts; `mention`: every mention")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    sort: Literal["date", "-date", "goldstein", "-goldstein", "confidence", "-confidence"] = "date"


Tabular = Literal["json", "csv"]


class ApiEventsParams(EventsParams):
    format: Tabular = Field("json", description="`json`: one page; `csv`: every matching row, streamed (limit and "
                                                "cursor ignored)")


class ReactionsParams(Window):
    target: str = Field(..., pattern=ACTOR, description="a country, actor code or name")
    min_confidence: float | None = Field(None, ge=0, le=1)
    modality: Literal["actual", "claimed", "intended", "threatened", "requested", "hypothetical"] | None = None
    format: Tabular = Field("json", description="`json` or `csv` (one row per source and type)")

    @field_validator("target")
    @classmethod
    def named_actor(cls, value: str) -> str:
        return actor_code(value)


class TimeSeriesParams(EventQuery):
    interval: Literal["day", "week", "month"] = "day"
    format: Tabular = Field("json", description="`json` or `csv` (one row per period and QuadClass)")


class NetworkParams(EventQuery):
    limit: int = Field(200, ge=1, le=MAX_PAGE)
    format: Literal["json", "csv", "gexf"] = Field("json", description="`json`, `csv` (the edges) or `gexf` (GEXF 1.2)")


class PlacesParams(EventQuery):
    limit: int = Field(1000, ge=1, le=MAX_PAGE)


class ApiPlacesParams(PlacesParams):
    format: Tabular = Field("json", description="`json` (GeoJSON) or `csv` (one row per place)")


class ArticlesParams(Params):
    q: str | None = Field(None, max_length=200, description="words in the title")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=1_000_000)


class ActorsParams(Params):
    q: str | None = Field(None, max_length=200, description="code, name or country")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
