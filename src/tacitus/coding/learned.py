"""The learned layer beside the rules: PLOVER event types per sentence, and a hybrid step over the coder.

A linear multi-label classifier (one logistic model per PLOVER type, plus "any event") over binary
features of a parsed sentence: words, lemmas and their bigrams, the trigger lexicon's types, the
named-entity labels. Its scores are calibrated (Platt) on held-out real news. The weights live in
`coding/model/event_types.npz` and its settings in `event_types.json`, both written by
`training/build_model.py`; only numpy is needed to run it.

The hybrid step (`HybridLayer.revise`) runs after the rule coder on each sentence: (a) a type the
model is confident of that the rules did not code becomes an event, its source and target read from
the parse by the coder's own argument rules, with `rule` "model:TYPE" and the calibrated probability
as its confidence; (b) a rule event whose type the model finds implausible has its confidence lowered.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..knowledge.lexicon import PLOVER_TYPES, TriggerIndex, cameo_table
from ..knowledge.names import NameReader, entity_labels
from .coded import CodedEvent, pairs
from .coder import Coder

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_NAME = "event_types"
EVENT = "EVENT"  # the "any event" label; 1 - p(EVENT) is p(no event)
PREFERRED_CAMEO = {"SUPPORT": "050", "ACCUSE": "112", "SANCTION": "160", "RETREAT": "087", "CONCEDE": "080"}
CONTENT_POS = {"VERB", "NOUN", "PROPN", "ADJ", "ADV", "AUX", "NUM", "ADP", "PART", "PRON", "DET", "CCONJ", "SCONJ"}
VERBAL_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})


def sentence_features(sent: Span | Doc, triggers: TriggerIndex, names: NameReader | None = None) -> list[str]:
    """The binary features of one parsed sentence, the same at training and at run time; `names` reads the
    doc's proper names (people, places, other names) when the actor matcher has not already."""
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    lower = [t.lower_ for t in words]
    lemmas = [t.lemma_.lower() for t in words]
    found = {f"w:{w}" for w in lower}
    found.update(f"l:{w}" for w in lemmas)
    found.update(f"b:{a} {b}" for a, b in zip(lower, lower[1:], strict=False))
    found.update(f"lb:{a} {b}" for a, b in zip(lemmas, lemmas[1:], strict=False))
    for token, lemma in zip(words, lemmas, strict=True):
        index = triggers.verbs if token.pos_ in ("VERB", "AUX") else triggers.nouns if token.pos_ in ("NOUN", "PROPN") else None
        for pattern in (index or {}).get(lemma, ()):
            if not pattern.others:
                found.add(f"t:{pattern.event_type}")
                if token.dep_ == "ROOT" or token.head.dep_ == "ROOT":
                    found.add(f"tr:{pattern.event_type}")
        if token.dep_ == "ROOT":
            found.add(f"root:{lemma}")
        if token.dep_ == "neg":
            found.add("neg")
    if names is not None:
        names.read(sent)
    found.update(f"ent:{label}" for label in entity_labels(sent))
    return sorted(found)


@dataclass(frozen=True)
class EventTypeModel:
    """Weights, calibration and settings of the sentence classifier."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray  # features x labels
    bias: np.ndarray  # labels
    slope: np.ndarray  # Platt calibration per label: p = sigmoid(slope * score + intercept)
    intercept: np.ndarray
    settings: dict = field(default_factory=dict)

    def scores(self, features: list[str]) -> np.ndarray:
        rows = [self.vocabulary[f] for f in features if f in self.vocabulary]
        total = self.bias.astype(np.float64)
        if rows:
            total = total + self.weights[rows].astype(np.float64).sum(axis=0)
        return total

    def calibrated(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * scores + self.intercept)))

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """Label -> calibrated probability that the sentence reports it."""
        return dict(zip(self.labels, (float(p) for p in self.calibrated(self.scores(features))), strict=True))

    def weight(self, feature: str, label: str) -> float:
        row = self.vocabulary.get(feature)
        return 0.0 if row is None else float(self.weights[row, self.labels.index(label)])

    def save(self, directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> tuple[Path, Path]:
        """Write the arrays (.npz) and the readable settings (.json); deterministic bytes for the same model."""
        directory.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        arrays = directory / f"{name}.npz"
        members = {"vocabulary": np.frombuffer("\n".join(ordered).encode("utf-8"), dtype=np.uint8),
                   "weights": self.weights.astype(np.float16), "bias": self.bias.astype(np.float32)}
        with zipfile.ZipFile(arrays, "w") as archive:  # an .npz with fixed timestamps: same model, same bytes
            for key, array in members.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, array, allow_pickle=False)
                archive.writestr(zipfile.ZipInfo(f"{key}.npy", (1980, 1, 1, 0, 0, 0)), buffer.getvalue(), zipfile.ZIP_DEFLATED)
        meta = directory / f"{name}.json"
        settings = {**self.settings, "labels": list(self.labels), "slope": [round(float(x), 6) for x in self.slope],
                    "intercept": [round(float(x), 6) for x in self.intercept]}
        meta.write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return arrays, meta


@lru_cache(maxsize=4)
def load_model(directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> EventTypeModel:
    """The shipped model, loaded once per process (offline: two files in the package)."""
    settings = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    with np.load(directory / f"{name}.npz", allow_pickle=False) as arrays:
        words = arrays["vocabulary"].tobytes().decode("utf-8").split("\n")
        weights, bias = arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32)
    labels = tuple(settings.pop("labels"))
    slope, intercept = np.array(settings.pop("slope")), np.array(settings.pop("intercept"))
    return EventTypeModel(labels, {w: i for i, w in enumerate(words)}, weights, bias, slope, intercept, settings)


def model_available(directory: Path = MODEL_DIR) -> bool:
    return (directory / f"{MODEL_NAME}.npz").is_file() and (directory / f"{MODEL_NAME}.json").is_file()


def model_enabled(setting: bool | None = None) -> bool:
    """The setting given, else env TACITUS_MODEL (0/1), else the shipped model's default (on only if it earned it)."""
    if setting is not None:
        return setting
    env = os.environ.get("TACITUS_MODEL", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    return model_available() and bool(load_model().settings.get("default_on", False))


@lru_cache(maxsize=1)
def default_cameo() -> dict[str, str]:
    """The generic CAMEO code of each PLOVER type, for events the model adds."""
    table = cameo_table()
    found = {}
    for kind in PLOVER_TYPES:
        codes = sorted((c for c, e in table.items() if e.plover == kind), key=lambda c: (len(c), c))
        preferred = PREFERRED_CAMEO.get(kind)
        found[kind] = preferred if preferred in table and table[preferred].plover == kind else codes[0]
    return found


class HybridLayer:
    """Adds the events the model is sure of and the rules missed; lowers rule events it finds implausible."""

    def __init__(self, model: EventTypeModel, triggers: TriggerIndex, emit: float | None = None,
                 demote: float | None = None, factor: float | None = None, only_uncoded: bool | None = None,
                 names: NameReader | None = None) -> None:
        self.model = model
        self.triggers = triggers
        self.names = names
        settings = model.settings
        self.emit = settings.get("emit_threshold", 0.7) if emit is None else emit
        self.demote = settings.get("demote_threshold", 0.0) if demote is None else demote
        self.factor = settings.get("demote_factor", 1.0) if factor is None else factor
        # add events only to sentences where the rules found none
        self.only_uncoded = settings.get("emit_only_uncoded", False) if only_uncoded is None else only_uncoded

    @classmethod
    def load(cls, triggers: TriggerIndex, names: NameReader | None = None) -> HybridLayer:
        """The shipped model; `names`: the pipeline's name reader (by default the default actor base's)."""
        if names is None:
            from ..knowledge.actor_matcher import actor_matcher
            from .nlp import load_nlp
            names = actor_matcher(load_nlp()).names
        return cls(load_model(), triggers, names=names)

    def probabilities(self, sent: Span | Doc) -> dict[str, float]:
        return self.model.probabilities(sentence_features(sent, self.triggers, self.names))

    def revise(self, sent: Span, coded: list[CodedEvent], coder: Coder) -> list[CodedEvent]:
        """The rule events of a sentence, demoted where implausible, plus the model's own."""
        probs = self.probabilities(sent)
        for event in coded:
            if probs.get(event.event_type, 1.0) < self.demote:
                event.confidence *= self.factor
        have = {e.event_type for e in coded}
        if self.only_uncoded and coded:
            return coded
        added = []
        for kind in PLOVER_TYPES:
            if probs[kind] >= self.emit and kind not in have:
                added.extend(self.model_events(sent, kind, probs[kind], coder))
        return coded + added

    def anchor(self, sent: Span, kind: str) -> Token:
        """The verb or noun that weighs most for the type (its word or lemma; a trigger of the type in the
        lexicon counts double), else the sentence's root."""
        best, best_weight = sent.root, 0.0
        for token in sent:
            if token.pos_ not in ("VERB", "NOUN") or token.dep_ in ("compound", "amod"):
                continue
            lemma = token.lemma_.lower()
            weight = max(self.model.weight(f"l:{lemma}", kind), self.model.weight(f"w:{token.lower_}", kind))
            index = self.triggers.verbs if token.pos_ == "VERB" else self.triggers.nouns
            if any(p.event_type == kind for p in index.get(lemma, ())):
                weight = 2 * weight + 1.0
            if weight > best_weight:
                best, best_weight = token, weight
        return best

    def model_events(self, sent: Span, kind: str, probability: float, coder: Coder) -> list[CodedEvent]:
        token = self.anchor(sent, kind)
        verb = token
        while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
            verb = verb.head  # a noun ("the bombing of ...") is carried by the clause it is in
        sources, passive_targets = coder.args.sources_of(verb)
        if not sources and kind in VERBAL_TYPES:
            current = verb
            while not sources and current.head != current:
                current = current.head
                if current.pos_ in ("VERB", "AUX"):
                    sources, passive_targets = coder.args.sources_of(current)
        targets = passive_targets or coder.args.targets_of(token, set()) or coder.args.targets_of(verb, set())
        if not targets and kind in VERBAL_TYPES:
            targets = coder.args.clause_subjects(verb)
        if not targets:
            targets = coder.args.locative_actor(token) or coder.args.locative_actor(verb)
        if not sources:
            return []
        events = []
        negated = coder.reader.negated(verb)
        speaker = coder.reader.attribution(verb)[0]
        for source, target in pairs(sources, targets):
            source, target, _ = coder.args.fill_domestic(source, target, kind)
            event = CodedEvent(source, target, kind, None, default_cameo()[kind], (token,), verb,
                               polarity="negated" if negated else "affirmed", attributed_to=speaker,
                               confidence=round(probability, 3), rule=f"model:{kind}")
            events.append(event)
        return events
