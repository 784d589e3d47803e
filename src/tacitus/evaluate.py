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
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GoldFileError
from .lexicon import PLOVER_TYPES
from .models import Article, Event
from .pipeline import Pipeline

Triple = tuple[str, str, str | None]


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    date: dt.date | None
    triples: tuple[Triple, ...]


def _country(actor: dict) -> str:
    return (actor.get("code") or "")[:3].upper()


def read_gold(path: Path) -> Iterator[GoldRecord]:
    """Gold records; a malformed line is an error naming the line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                triples: list[Triple] = []
                for event in record["events"]:
                    sources = [_country(a) for a in event.get("source") or []] or [""]
                    targets: list[str | None] = [_country(a) for a in event.get("target") or []] or [None]
                    for source in sources:
                        for target in targets:
                            triples.append((source, event["code"].upper(), target))
                date = record.get("date")
                yield GoldRecord(str(record.get("id", number)), record["text"],
                                 dt.date.fromisoformat(date) if date else None, tuple(triples))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise GoldFileError(f"{path}:{number}: not a gold record ({exc}); expected "
                                    '{"id", "text", "events": [{"source": [...], "target": [...], "code"}]}') from exc


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
        lines.append(f"precision={self.precision():.3f} recall={self.recall():.3f} f1={self.f1():.3f}")
        return "\n".join(lines)


def evaluate(path: Path, pipeline: Pipeline, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
             use_dates: bool = True) -> tuple[Score, list[tuple[GoldRecord, set[Triple]]]]:
    """Code every gold sentence and score it; also return the per-record predictions."""
    records = list(read_gold(path))
    articles = [Article(text=r.text, id=r.id, date=r.date if use_dates else None) for r in records]
    score = Score()
    details = []
    for record, (_, events) in zip(records, pipeline.extract_articles(articles), strict=True):
        predicted = predicted_triples(events, min_confidence)
        score.add(predicted, record.triples)
        details.append((record, predicted))
    return score, details
