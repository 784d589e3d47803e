"""Score the coder on a gold file in the PLOVER gold-standard format.

An event is a (source country, PLOVER type, target country) triple, one per
source-target pair. A predicted triple is right when a gold triple of the
same sentence has its type and countries (a gold event without target
matches any target; IGO/NGO actors match on their first three letters).
Precision is over distinct predicted triples, recall over gold triples.
Negated events are not predictions that something happened, so they are left out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..coding.pipeline import Pipeline
from ..errors import GoldFileError
from ..knowledge.lexicon import PLOVER_TYPES
from ..models import Article, Event

Triple = tuple[str, str, str | None]
T = TypeVar("T")


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    date: dt.date | None
    triples: tuple[Triple, ...]
    locations: tuple[tuple[str, str | None], ...] = ()  # (place name, ISO2 country code or None)


def _country(actor: dict) -> str:
    return (actor.get("code") or "")[:3].upper()


def gold_records(path: Path, shape: str, parse: Callable[[int, Any], T]) -> Iterator[T]:
    """`parse(line number, record)` of each non-blank JSON line; a malformed line is an error naming the
    line and the shape a record should have (`shape`)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise GoldFileError(f"{path}:{number}: not UTF-8 text (byte {exc.start}); a gold file is JSON lines "
                                    "in UTF-8") from exc
            if not line.strip():
                continue
            try:
                parsed = parse(number, json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, IndexError, AttributeError,
                    RecursionError) as exc:
                raise GoldFileError(f"{path}:{number}: not a gold record ({exc}); expected {shape}") from exc
            yield parsed


def gold_text(record: dict) -> str:
    """A gold record's text, which must be a non-empty string."""
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise TypeError(f'"text" must be a non-empty string, not {type(text).__name__} {str(text)[:40]!r}')
    return text


def gold_date(value: object) -> dt.date | None:
    """A gold record's date: an ISO date string or nothing."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise TypeError(f'"date" must be a YYYY-MM-DD string, not {type(value).__name__}')
    return dt.date.fromisoformat(value)


def no_gold_events(path: Path, records: int) -> GoldFileError:
    return GoldFileError(f"{path}: {records} records but no gold events in any of them; nothing to score (an F1 over "
                         "no events would be 0.000 and mean nothing)")


def _gold_record(number: int, record: dict) -> GoldRecord:
    triples: list[Triple] = []
    for event in record["events"]:
        sources = [_country(a) for a in event.get("source") or []] or [""]
        targets: list[str | None] = [_country(a) for a in event.get("target") or []] or [None]
        for source in sources:
            for target in targets:
                triples.append((source, event["code"].upper(), target))
    locations = tuple((e["location"]["name"], e["location"].get("country code"))
                      for e in record["events"] if isinstance(e.get("location"), dict) and e["location"].get("name"))
    return GoldRecord(str(record.get("id", number)), gold_text(record), gold_date(record.get("date")), tuple(triples),
                      locations)


def read_gold(path: Path) -> Iterator[GoldRecord]:
    """Gold records; a malformed line is an error naming the line."""
    return gold_records(path, '{"id", "text", "events": [{"source": [...], "target": [...], "code"}]}', _gold_record)


DEFAULT_MIN_CONFIDENCE = 0.3


def predicted_triples(events: list[Event], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> set[Triple]:
    triples: set[Triple] = set()
    for event in events:
        if event.polarity != "affirmed" or event.confidence < min_confidence:
            continue
        source = (event.source.key or "") if event.source else ""
        target = event.target.key if event.target else None
        triples.add((source[:3], event.event_type, target[:3] if target else None))
    return triples


def matches(predicted: Triple, gold: Triple) -> bool:
    return predicted[0] == gold[0] and predicted[1] == gold[1] and (gold[2] is None or predicted[2] == gold[2])


@dataclass
class Score:
    """Counts for precision and recall, overall and per type."""

    true_pred: Counter = field(default_factory=Counter)
    all_pred: Counter = field(default_factory=Counter)
    found_gold: Counter = field(default_factory=Counter)
    all_gold: Counter = field(default_factory=Counter)
    records: int = 0
    locations: LocationScore | None = None

    def add(self, predicted: set[Triple], gold: tuple[Triple, ...]) -> None:
        self.records += 1
        for triple in predicted:
            self.all_pred[triple[1]] += 1
            if any(matches(triple, g) for g in gold):
                self.true_pred[triple[1]] += 1
        for triple in gold:
            self.all_gold[triple[1]] += 1
            if any(matches(p, triple) for p in predicted):
                self.found_gold[triple[1]] += 1

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    def precision(self, kind: str | None = None) -> float:
        if kind:
            return self._ratio(self.true_pred[kind], self.all_pred[kind])
        return self._ratio(sum(self.true_pred.values()), sum(self.all_pred.values()))

    def recall(self, kind: str | None = None) -> float:
        if kind:
            return self._ratio(self.found_gold[kind], self.all_gold[kind])
        return self._ratio(sum(self.found_gold.values()), sum(self.all_gold.values()))

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    def report(self) -> str:
        lines = [f"{'type':<10} {'pred':>5} {'gold':>5} {'precision':>9} {'recall':>7}"]
        for kind in PLOVER_TYPES:
            if self.all_pred[kind] or self.all_gold[kind]:
                lines.append(f"{kind:<10} {self.all_pred[kind]:>5} {self.all_gold[kind]:>5} "
                             f"{self.precision(kind):>9.3f} {self.recall(kind):>7.3f}")
        lines.append(f"records={self.records} predicted={sum(self.all_pred.values())} gold={sum(self.all_gold.values())}")
        if self.locations is not None and self.locations.total:
            lines.append(self.locations.report())
        lines.append(f"precision={self.precision():.3f} recall={self.recall():.3f} f1={self.f1():.3f}")
        return "\n".join(lines)


@dataclass
class LocationScore:
    """How often an event of a sentence is placed where the gold says (by name, or by country)."""

    total: int = 0
    by_name: int = 0
    by_country: int = 0
    coded: int = 0  # gold locations whose sentence got at least one event
    coded_by_country: int = 0

    @property
    def country_rate_when_coded(self) -> float:
        return self.coded_by_country / self.coded if self.coded else 0.0

    def report(self) -> str:
        if not self.total:
            return "locations: no gold locations"
        return (f"locations={self.total} name_match={self.by_name / self.total:.3f} "
                f"country_match={self.by_country / self.total:.3f} "
                f"country_match_when_coded={self.country_rate_when_coded:.3f} ({self.coded_by_country}/{self.coded})")


def gold_place_country(name: str, iso2: str | None) -> str | None:
    """ISO3 of a gold place: its country code when given, else our gazetteer's best reading."""
    import pycountry

    from ..knowledge.places import gazetteer

    if iso2:
        country = pycountry.countries.get(alpha_2=iso2.upper())
        if country:
            return country.alpha_3
    places = gazetteer()
    for form in (name, name.split(" of ")[-1], name.split()[-1]):
        if form in places:
            return places[form][0].country
    close = difflib.get_close_matches(name, [n for n in places if n[:1] == name[:1]], n=1, cutoff=0.85)
    return places[close[0]][0].country if close else None  # gold typos: "Algers"


def score_locations(score: LocationScore, record: GoldRecord, events: list[Event]) -> None:
    """Location is judged on every event coded in the sentence, whatever its confidence."""
    placed = [e.location for e in events if e.location is not None]
    for name, iso2 in record.locations:
        score.total += 1
        country = gold_place_country(name, iso2)
        if any(loc.name.lower() in name.lower() or name.lower() in loc.name.lower() for loc in placed):
            score.by_name += 1
        hit = bool(country) and any(loc.country == country for loc in placed)
        score.by_country += hit
        if events:
            score.coded += 1
            score.coded_by_country += hit


def evaluate(path: Path, pipeline: Pipeline, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
             use_dates: bool = True) -> tuple[Score, list[tuple[GoldRecord, set[Triple]]]]:
    """Code every gold sentence and score it; also return the per-record predictions."""
    records = list(read_gold(path))
    if not any(r.triples for r in records):
        raise no_gold_events(path, len(records))
    articles = [Article(text=r.text, id=r.id, date=r.date if use_dates else None) for r in records]
    score = Score()
    details = []
    score.locations = LocationScore()
    for record, (_, events) in zip(records, pipeline.extract_articles(articles), strict=True):
        predicted = predicted_triples(events, min_confidence)
        score.add(predicted, record.triples)
        score_locations(score.locations, record, events)
        details.append((record, predicted))
    return score, details
