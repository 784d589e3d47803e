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

    def __post_init__(self) -> None:
        """An ISO string or a datetime as `date` is converted to a date; anything else is refused here, not later."""
        if not isinstance(self.text, str):
            raise TypeError(f"Article text must be a str, not {type(self.text).__name__}")
        object.__setattr__(self, "date", as_date(self.date))


def as_date(value: object) -> dt.date | None:
    """A date from a date, a datetime or an ISO string ("2023-09-19", "2023-09-19T08:00:00Z")."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # type: ignore[return-value]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        raise ValueError(f"Article date {value!r} is not a date; give a datetime.date or an ISO date such as '2023-09-19'")
    raise TypeError(f"Article date must be a datetime.date or an ISO date string, not {type(value).__name__}")


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
