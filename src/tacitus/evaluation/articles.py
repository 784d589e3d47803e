"""Score the coder on article-level gold: real news read by hand (`realnews_dev.jsonl`).

Each record is an article with sentence spans and the events of each sentence.
The article is coded as one text (with its date); a predicted event belongs to
the sentence whose span holds the first character of its trigger. Then, per
sentence, as for the PLOVER set: (source country, type, target country)
triples; negated events are left out on both sides, predictions under the
confidence threshold too; a gold event without target matches any target;
IGO/NGO/IMG codes match on their first three letters. Sentence relevance is
scored too: of the sentences with a gold event, how many get a prediction
(recall), and of those with a prediction, how many have a gold event (precision).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..coding.pipeline import Pipeline
from ..errors import GoldFileError
from ..models import Article
from .events import (
    DEFAULT_MIN_CONFIDENCE,
    GoldRecord,
    Score,
    Triple,
    gold_date,
    gold_records,
    gold_text,
    no_gold_events,
    predicted_triples,
)

GROUP_PREFIXES = ("IGO", "NGO", "IMG")


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    date: dt.date | None
    spans: tuple[tuple[int, int], ...]
    triples: tuple[tuple[Triple, ...], ...]  # per sentence


def is_article_gold(first_line: str) -> bool:
    """Whether a gold file's first record is in the article-level format."""
    try:
        record = json.loads(first_line)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and "sentences" in record and "events" in record


def _key(actor: dict) -> str:
    code = (actor.get("code") or "").upper()
    if code.startswith(GROUP_PREFIXES):
        return code[:3]
    return (actor.get("country") or code[:3] or "").upper()


def _gold_article(number: int, record: dict) -> GoldArticle:
    spans = tuple((int(a), int(b)) for a, b in record["sentences"])
    per_sentence: list[list[Triple]] = [[] for _ in spans]
    for event in record["events"]:
        if event.get("polarity") == "negated":
            continue
        sources = [_key(a) for a in event.get("source") or []] or [""]
        targets: list[str | None] = [_key(a) for a in event.get("target") or []] or [None]
        for source in sources:
            for target in targets:
                per_sentence[int(event["sentence"])].append((source, event["code"].upper(), target))
    return GoldArticle(str(record.get("id", number)), gold_text(record), gold_date(record.get("date")),
                       spans, tuple(tuple(t) for t in per_sentence))


def read_articles_gold(path: Path) -> Iterator[GoldArticle]:
    """Article records; a malformed line is an error naming the line and the expected shape."""
    return gold_records(path, '{"id", "text", "sentences": [[start, end], ...], "events": [{"sentence", "source", '
                              '"target", "code"}]}', _gold_article)


@dataclass
class Relevance:
    """Sentence relevance: does a sentence with an event get a prediction, and the reverse."""

    gold: int = 0
    predicted: int = 0
    both: int = 0

    def recall(self) -> float:
        return self.both / self.gold if self.gold else 0.0

    def precision(self) -> float:
        return self.both / self.predicted if self.predicted else 0.0

    def report(self) -> str:
        return (f"sentence relevance: recall={self.recall():.3f} ({self.both}/{self.gold}) "
                f"precision={self.precision():.3f} ({self.both}/{self.predicted})")


def evaluate_articles(path: Path, pipeline: Pipeline, min_confidence: float = DEFAULT_MIN_CONFIDENCE
                      ) -> tuple[Score, Relevance, list[tuple[GoldRecord, set[Triple]]]]:
    """Code every gold article; score triples per sentence and sentence relevance."""
    gold = list(read_articles_gold(path))
    if not gold:
        raise GoldFileError(f"{path}: no gold records; nothing to score")
    if not any(any(g.triples) for g in gold):
        raise no_gold_events(path, len(gold))
    articles = [Article(text=g.text, id=g.id, date=g.date) for g in gold]
    score, relevance, details = Score(), Relevance(), []
    for record, (_, events) in zip(gold, pipeline.extract_articles(articles), strict=True):
        starts = [start for start, _ in record.spans]
        by_sentence: list[list] = [[] for _ in record.spans]
        for event in events:
            at = bisect.bisect_right(starts, event.trigger.start) - 1
            if 0 <= at < len(record.spans) and event.trigger.start < record.spans[at][1]:
                by_sentence[at].append(event)
        for index, ((start, end), triples) in enumerate(zip(record.spans, record.triples, strict=True)):
            predicted = predicted_triples(by_sentence[index], min_confidence)
            score.add(predicted, triples)
            relevance.gold += bool(triples)
            relevance.predicted += bool(predicted)
            relevance.both += bool(triples) and bool(predicted)
            details.append((GoldRecord(f"{record.id}#{index}", record.text[start:end], record.date, triples), predicted))
    return score, relevance, details
