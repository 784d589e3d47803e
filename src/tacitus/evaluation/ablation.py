"""Rules only, model only and hybrid on one gold file: what the learned layer adds (`tacitus eval --ablation`).

Rules only and hybrid are scored as `tacitus eval` scores the coder: (source, type, target) triples,
sentence relevance. The model alone has no actors, so it is scored where it can stand alone: sentence
relevance (p(any event) >= 0.5) and the types of each sentence (p(type) >= 0.5), both against the gold
types of the sentence; the coders are scored on the same two for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..coding.learned import EVENT, HybridLayer
from ..coding.pipeline import Pipeline
from ..knowledge.lexicon import PLOVER_TYPES
from .articles import evaluate_articles, read_articles_gold
from .events import DEFAULT_MIN_CONFIDENCE, GoldRecord, Triple, evaluate, read_gold

MODEL_THRESHOLD = 0.5


@dataclass
class Counts:
    """Precision and recall of a set of predictions against a set of gold items, summed over sentences."""

    right: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: set, gold: set) -> None:
        self.right += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)

    def text(self) -> str:
        p = self.right / self.predicted if self.predicted else 0.0
        r = self.right / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"p={p:.3f} r={r:.3f} f1={f:.3f}"


def sentence_scores(sentences: list[tuple[set[str], set[str]]]) -> tuple[Counts, Counts]:
    """(relevance, types) from (predicted types, gold types) per sentence."""
    relevance, types = Counts(), Counts()
    for predicted, gold in sentences:
        relevance.add({1} if predicted else set(), {1} if gold else set())
        types.add(predicted, gold)
    return relevance, types


def coder_line(name: str, score, details: list[tuple[GoldRecord, set[Triple]]]) -> str:
    relevance, types = sentence_scores([({t[1] for t in predicted}, {t[1] for t in record.triples})
                                        for record, predicted in details])
    return (f"{name:<7} triples p={score.precision():.3f} r={score.recall():.3f} f1={score.f1():.3f}; "
            f"relevance {relevance.text()}; types per sentence {types.text()}")


def model_types(probabilities: dict[str, float]) -> set[str]:
    if probabilities[EVENT] < MODEL_THRESHOLD:
        return set()
    return {kind for kind in PLOVER_TYPES if probabilities[kind] >= MODEL_THRESHOLD}


def model_line(layer: HybridLayer, pipeline: Pipeline, path: Path, kind: str) -> str:
    """The model alone on every gold sentence (the pre-filter's skipped ones too)."""
    sentences: list[tuple[set[str], set[str]]] = []
    if kind == "articles":
        gold = list(read_articles_gold(path))
        for record, doc in zip(gold, pipeline.nlp.pipe(g.text for g in gold), strict=True):
            for (start, end), triples in zip(record.spans, record.triples, strict=True):
                span = doc.char_span(start, end, alignment_mode="expand")
                found = model_types(layer.probabilities(span)) if span is not None else set()
                sentences.append((found, {t[1] for t in triples}))
    else:
        records = list(read_gold(path))
        for record, doc in zip(records, pipeline.nlp.pipe(r.text for r in records), strict=True):
            sentences.append((model_types(layer.probabilities(doc)), {t[1] for t in record.triples}))
    relevance, types = sentence_scores(sentences)
    return f"{'model':<7} triples n/a (no actors); relevance {relevance.text()}; types per sentence {types.text()}"


def ablation(path: Path, kind: str, pipeline: Pipeline, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> str:
    """Three lines: rules only, model only, hybrid."""
    layer = pipeline.model or HybridLayer.load(pipeline.triggers)
    lines = []
    for name, model in (("rules", None), ("hybrid", layer)):
        configured = replace(pipeline, model=model)
        if kind == "articles":
            score, _, details = evaluate_articles(path, configured, min_confidence)
        else:
            score, details = evaluate(path, configured, min_confidence)
        lines.append(coder_line(name, score, details))
    lines.insert(1, model_line(layer, pipeline, path, kind))
    settings = layer.model.settings
    lines.append(f"(hybrid: emit at p>={layer.emit:.2f}, demote x{layer.factor:.1f} under p<{layer.demote:.2f}; "
                 f"model trained on {settings.get('training_sentences')}; shipped {'on' if settings.get('default_on') else 'off'})")
    return "\n".join(lines)

