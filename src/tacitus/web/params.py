"""Query parameters of the API and dashboard: validated, bounded, unknown names refused.

Each model forbids extra fields, so `/api/events?tagret=AZE` is a 422 that
names `tagret` instead of a silently unfiltered answer. Empty strings (what an
HTML form sends for a blank field) mean "not given".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ..knowledge.lexicon import PLOVER_TYPES
from ..store.queries import EventFilter
from ..store.views import MAX_PAGE

ACTOR = r"^[A-Za-z]{3}[A-Za-z0-9]{0,37}$"
ACTOR_FORM = "a country's three letters (AZE) or an actor code (USAGOV, IGOEUREEC)"
# What a value that fails its pattern should look like, in words: error messages never show the regex.
FORMS = {"source": ACTOR_FORM, "target": ACTOR_FORM, "actor": ACTOR_FORM,
         "cameo": "a CAMEO code of 2 to 4 digits (19, 190, 0256)"}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


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

    source: str | None = Field(None, pattern=ACTOR, description="source country (3 letters) or actor code prefix")
    target: str | None = Field(None, pattern=ACTOR, description="target country (3 letters) or actor code prefix")
    actor: str | None = Field(None, pattern=ACTOR, description="either side")
    type: str | None = Field(None, pattern=r"^[A-Za-z_]{3,20}$", description="PLOVER event type, e.g. ACCUSE")
    cameo: str | None = Field(None, pattern=r"^\d{2,4}$", description="CAMEO root (2 digits), base (3) or code (4)")
    quad_class: int | None = Field(None, ge=1, le=4)
    place: str | None = Field(None, max_length=200, description="place name or its country's 3 letters")
    text: str | None = Field(None, max_length=200, description="words in the evidence sentence")
    min_confidence: float | None = Field(None, ge=0, le=1)
    modality: Literal["actual", "claimed", "intended", "threatened", "requested", "hypothetical"] | None = None
    polarity: Literal["affirmed", "negated"] | None = None

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
        """The non-empty filters as URL parameters (for links to the events behind a number)."""
        values = self.model_dump(by_alias=True, exclude_none=True)
        values.update({k: v for k, v in override.items() if v is not None})
        return {k: str(v) for k, v in values.items() if k in EventQuery.model_fields or k in ("from", "to", "unit")}


class EventsParams(EventQuery):
    unit: Literal["mention", "event"] = Field(
        "mention", description="`event`: one row per event (its best mention, with its mention counts), as every "
                               "count of the API and the dashboard counts; `mention`: every mention")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    sort: Literal["date", "-date", "goldstein", "-goldstein", "confidence", "-confidence"] = "date"


class ReactionsParams(Window):
    target: str = Field(..., pattern=ACTOR)
    min_confidence: float | None = Field(None, ge=0, le=1)


class TimeSeriesParams(EventQuery):
    interval: Literal["day", "week", "month"] = "day"


class NetworkParams(EventQuery):
    limit: int = Field(200, ge=1, le=MAX_PAGE)


class PlacesParams(EventQuery):
    limit: int = Field(1000, ge=1, le=MAX_PAGE)


class ArticlesParams(Params):
    q: str | None = Field(None, max_length=200, description="words in the title")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=1_000_000)


class ActorsParams(Params):
    q: str | None = Field(None, max_length=200, description="code, name or country")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
