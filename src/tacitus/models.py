"""Frozen records passed between pipeline stages, and the event record contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One input article; only `text` is required."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date: dt.date | None = None
    origin: str = ""  # file (and line) it came from, for messages


@dataclass(frozen=True)
class Span:
    """Words in the article text, with character offsets into it."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Actor:
    """A mention resolved to a coded actor (country ISO3 + sector)."""

    text: str
    start: int
    end: int
    name: str | None
    code: str | None
    country: str | None
    sector: str | None

    @property
    def key(self) -> str | None:
        """Country for states, the code's first three letters for IGOs/NGOs."""
        if self.country:
            return self.country
        return self.code[:3] if self.code else None


@dataclass(frozen=True)
class Location:
    """Where an event happened."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str  # city | region | country
    fips: str | None = None  # FIPS 10-4 country code, as GDELT writes it


@dataclass(frozen=True)
class Event:
    """The event record (see DESIGN.md): fields may be added, none removed."""

    event_id: str
    article_id: str
    sentence_index: int
    sentence: str
    source: Actor | None
    target: Actor | None
    event_type: str
    mode: str | None
    cameo: str
    quad_class: int
    goldstein: float
    trigger: Span
    polarity: str
    modality: str
    intended_type: str | None
    attributed_to: Actor | None
    location: Location | None
    date: str | None
    date_precision: str
    date_text: str | None
    confidence: float
    rule: str
    sentence_start: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready record, in contract field order."""
        record = asdict(self)
        record.pop("extra")
        return record


EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "article_id", "sentence_index", "sentence", "source", "target",
    "event_type", "mode", "cameo", "quad_class", "goldstein", "trigger",
    "polarity", "modality", "intended_type", "attributed_to", "location",
    "date", "date_precision", "date_text", "confidence", "rule",
)
