"""Rebuild the learned layer (issue 19) from the training data: `python training/build_model.py`.

Reads whatever is under training/ when it runs:
  - training/wikinews/annotated_*.jsonl: real news read by hand (article records, sentence spans, events);
    the articles of annotated_d.jsonl are held out (with their later sentences in other files: the figures
    printed, the hybrid thresholds), the others train;
  - training/synthetic/synthetic_*.jsonl: synthetic sentences written by hand (all train).
Never the shared dev sets (../shared/eval/*.jsonl): every figure on them stays a held-out figure.

Trains one logistic model per PLOVER type plus "any event" (scikit-learn, liblinear, fixed seeds) on
the features of `tacitus.coding.learned.sentence_features`, calibrates each (Platt scaling) on
out-of-fold scores of the training real news (5 folds by article), picks the hybrid thresholds on the
held-out articles, prints the figures and writes src/tacitus/coding/model/event_types.{npz,json}.
Needs the `train` extra (scikit-learn); the package needs only numpy to use the result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from tacitus.coding.learned import EVENT, MODEL_DIR, EventTypeModel, HybridLayer, load_model, sentence_features
from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_matcher import actor_matcher
from tacitus.knowledge.lexicon import PLOVER_TYPES, default_triggers

HERE = Path(__file__).resolve().parent
LABELS = (*PLOVER_TYPES, EVENT)
HELD_OUT = "annotated_d.jsonl"
FOLDS = 5
MIN_COUNT = 2
BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def labels_of(events) -> set[str]:
    """The types a sentence reports as happening or said (negated events are no report of the type)."""
    found = {e["code"].upper() for e in events if e.get("polarity", "affirmed") != "negated" and e.get("code")}
    found &= set(PLOVER_TYPES)
    return found | ({EVENT} if found else set())


def read_jsonl(path: Path) -> list[dict]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                print(f"  {path.name}:{number}: skipped, not JSON ({exc.msg})", file=sys.stderr)
    return records


def real_examples(paths: list[Path], nlp, triggers) -> list[dict]:
    """One example per sentence span of each article, its features read from the article's parse."""
    articles = [(path, r) for path in paths for r in read_jsonl(path)]
    examples, names = [], actor_matcher(nlp).names  # proper names read as at run time (no entity recogniser)
    for doc, (path, record) in nlp.pipe(((r["text"], (p, r)) for p, r in articles), as_tuples=True, batch_size=16):
        by_sentence: dict[int, list] = {}
        for event in record.get("events", []):
            by_sentence.setdefault(int(event["sentence"]), []).append(event)
        for index, (start, end) in enumerate(record["sentences"]):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not span.text.strip():
                continue
            examples.append({"group": str(record["id"]).split("-part")[0], "file": path.name, "real": True, "text": span.text,
                             "features": sentence_features(span, triggers, names), "labels": labels_of(by_sentence.get(index, []))})
    return examples


def synthetic_examples(paths: list[Path], nlp, triggers) -> list[dict]:
    records, seen = [], set()
    for path in paths:
        for record in read_jsonl(path):
            text = record.get("text")
            if isinstance(text, str) and text.strip() and text not in seen and isinstance(record.get("events"), list):
                seen.add(text)
                records.append((path, record))
    examples, names = [], actor_matcher(nlp).names
    for doc, (path, record) in nlp.pipe(((r["text"], (p, r)) for p, r in records), as_tuples=True, batch_size=64):
        examples.append({"group": record.get("id", ""), "file": path.name, "real": False, "text": record["text"],
                         "features": sentence_features(doc, triggers, names), "labels": labels_of(record["events"])})
    return examples


def fold_of(group: str) -> int:
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % FOLDS


def matrix(examples: list[dict], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for i, example in enumerate(examples):
        for feature in example["features"]:
            col = vocabulary.get(feature)
            if col is not None:
                rows.append(i)
                cols.append(col)
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(examples), len(vocabulary)))


def targets(examples: list[dict]) -> np.ndarray:
    return np.array([[label in e["labels"] for label in LABELS] for e in examples], dtype=np.int8)


def fit(examples: list[dict], c: float, real_weight: float) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """(vocabulary, weights features x labels, bias) of one logistic model per label."""
    counts = Counter(f for e in examples for f in e["features"])
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    x, y = matrix(examples, vocabulary), targets(examples)
    weight = np.array([real_weight if e["real"] else 1.0 for e in examples])
    weights = np.zeros((len(vocabulary), len(LABELS)), dtype=np.float64)
    bias = np.full(len(LABELS), -8.0)
    for j in range(len(LABELS)):
        if y[:, j].sum() < 2:
            continue  # a type with no examples is never predicted
        model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000)
        model.fit(x, y[:, j], sample_weight=weight)
        weights[:, j], bias[j] = model.coef_[0], model.intercept_[0]
    return vocabulary, weights, bias


def raw_scores(examples: list[dict], vocabulary, weights, bias) -> np.ndarray:
    return matrix(examples, vocabulary) @ weights + bias


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per label slope and intercept; labels with few positives share one fitted on all type labels pooled."""
    def one(s: np.ndarray, t: np.ndarray) -> tuple[float, float]:
        model = LogisticRegression(C=1.0, solver="lbfgs")
        model.fit(s.reshape(-1, 1), t)
        return float(model.coef_[0][0]), float(model.intercept_[0])

    types = len(PLOVER_TYPES)
    pooled = one(scores[:, :types].ravel(), y[:, :types].ravel())
    slope, intercept = np.empty(len(LABELS)), np.empty(len(LABELS))
    for j in range(len(LABELS)):
        slope[j], intercept[j] = one(scores[:, j], y[:, j]) if y[:, j].sum() >= 25 else pooled
    return slope, intercept


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def reliability(probs: np.ndarray, y: np.ndarray) -> list[tuple[str, int, float, float]]:
    """(bin, count, mean confidence, share right) over every (sentence, type) pair with p >= 0.1."""
    rows = []
    p, t = probs[:, : len(PLOVER_TYPES)].ravel(), y[:, : len(PLOVER_TYPES)].ravel()
    for low, high in zip(BINS, BINS[1:], strict=False):
        inside = (p >= low) & (p < high)
        if low >= 0.1 and inside.any():
            rows.append((f"{low:.1f}-{min(high, 1.0):.1f}", int(inside.sum()), float(p[inside].mean()), float(t[inside].mean())))
    return rows


def type_scores(probs: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall, F1 of (sentence, type) pairs at a threshold."""
    predicted = probs[:, : len(PLOVER_TYPES)] >= threshold
    gold = y[:, : len(PLOVER_TYPES)].astype(bool)
    tp = float((predicted & gold).sum())
    precision = tp / predicted.sum() if predicted.sum() else 0.0
    recall = tp / gold.sum() if gold.sum() else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def tune(held_out: Path, model: EventTypeModel) -> tuple[dict, list[str]]:
    """Thresholds of the hybrid step that give the best triple F1 on the held-out articles, relevance precision >= 0.85."""
    from tacitus.coding.pipeline import Pipeline
    from tacitus.evaluation.articles import evaluate_articles

    rules = Pipeline.load(model=False)
    lines = []
    score, relevance, _ = evaluate_articles(held_out, rules)
    lines.append(f"  rules only                         f1={score.f1():.3f} p={score.precision():.3f} r={score.recall():.3f} "
                 f"relevance p={relevance.precision():.3f} r={relevance.recall():.3f}")
    best = None
    grid = [(emit, demote, factor, alone) for emit in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
            for demote, factor in ((0.0, 1.0), (0.02, 0.5), (0.05, 0.5)) for alone in (False, True)]
    for emit, demote, factor, alone in grid:
        if emit > 1 and alone:
            continue
        layer = HybridLayer(model, rules.triggers, emit, demote, factor, alone, rules.actors.names)
        score, relevance, _ = evaluate_articles(held_out, replace(rules, model=layer))
        lines.append(f"  emit>={emit:.2f}{' uncoded' if alone else ' any    '} demote<{demote:.2f} x{factor:.1f}  f1={score.f1():.3f} "
                     f"p={score.precision():.3f} r={score.recall():.3f} relevance p={relevance.precision():.3f} r={relevance.recall():.3f}")
        key = (relevance.precision() >= 0.85, round(score.f1(), 3), emit, -demote, alone)
        if best is None or key > best[0]:
            best = (key, {"emit_threshold": emit, "demote_threshold": demote, "demote_factor": factor, "emit_only_uncoded": alone})
    return best[1], lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=1.0, help="Inverse regularisation strength.")
    parser.add_argument("--real-weight", type=float, default=3.0, help="Weight of a real-news sentence against a synthetic one.")
    parser.add_argument("--default-on", action="store_true",
                        help="Ship the layer on by default (only when it reached the issue's F1 gain on the shared dev set).")
    parser.add_argument("--no-tune", action="store_true", help="Keep the default thresholds (quicker).")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--held-out", default=HELD_OUT, help="The file whose articles are held out (to look at errors elsewhere).")
    args = parser.parse_args()
    started = time.perf_counter()
    nlp, triggers = load_nlp(), default_triggers()
    real_files = sorted((HERE / "wikinews").glob("annotated_*.jsonl"))
    synthetic_files = sorted((HERE / "synthetic").glob("synthetic_*.jsonl"))
    real = real_examples(real_files, nlp, triggers)
    synthetic = synthetic_examples(synthetic_files, nlp, triggers)
    held_articles = {e["group"] for e in real if e["file"] == args.held_out}  # with their later sentences (annotated_e/f "-part2")
    held = [e for e in real if e["group"] in held_articles]
    train_real = [e for e in real if e["group"] not in held_articles]
    train = train_real + synthetic
    print(f"data: {len(train_real)} real sentences ({', '.join(f.name for f in real_files)}, but the held-out articles), "
          f"{len(synthetic)} synthetic ({', '.join(f.name for f in synthetic_files) or 'none'}); held out: {len(held)} sentences "
          f"of the {len(held_articles)} articles of {args.held_out}")
    print(f"  with an event: real {sum(bool(e['labels']) for e in train_real)}, synthetic {sum(bool(e['labels']) for e in synthetic)}, "
          f"held out {sum(bool(e['labels']) for e in held)}")
    parsed = time.perf_counter()

    # out-of-fold scores of the training real news, for calibration
    oof = np.zeros((len(train_real), len(LABELS)))
    for fold in range(FOLDS):
        inside = [i for i, e in enumerate(train_real) if fold_of(e["group"]) == fold]
        rest = [e for i, e in enumerate(train_real) if fold_of(e["group"]) != fold] + synthetic
        oof[inside] = raw_scores([train_real[i] for i in inside], *fit(rest, args.c, args.real_weight))
    y_oof = targets(train_real)
    slope, intercept = platt(oof, y_oof)

    vocabulary, weights, bias = fit(train, args.c, args.real_weight)
    trained = time.perf_counter()
    keep = np.abs(weights).max(axis=1) >= 1e-3
    kept = [f for f, i in sorted(vocabulary.items(), key=lambda kv: kv[1]) if keep[i]]
    model = EventTypeModel(LABELS, {f: i for i, f in enumerate(kept)}, weights[keep].astype(np.float32), bias,
                           slope, intercept, {"default_on": args.default_on})
    y_held = targets(held)
    probs = model.calibrated(raw_scores(held, model.vocabulary, model.weights, model.bias))
    print(f"\nmodel: {len(kept):,} features x {len(LABELS)} labels; parse {parsed - started:.0f} s, "
          f"training {trained - parsed:.0f} s")
    print(f"\nheld-out sentences ({args.held_out}, {len(held)} sentences, {int(y_held[:, -1].sum())} with an event)")
    event = LABELS.index(EVENT)
    for threshold in (0.3, 0.5, 0.7):
        predicted, gold = probs[:, event] >= threshold, y_held[:, event].astype(bool)
        tp = float((predicted & gold).sum())
        p, r = (tp / predicted.sum() if predicted.sum() else 0.0), tp / max(1, gold.sum())
        tp_, tr_, tf_ = type_scores(probs, y_held, threshold)
        print(f"  p>={threshold:.1f}: relevance precision={p:.3f} recall={r:.3f}; type per sentence precision={tp_:.3f} "
              f"recall={tr_:.3f} f1={tf_:.3f}")
    print("\nreliability on the held-out sentences (every sentence x type pair with p >= 0.1)")
    print("  bin        pairs  mean p  share right")
    table = reliability(probs, y_held)
    for name, count, mean, right in table:
        print(f"  {name:<9} {count:>6}  {mean:6.3f}  {right:6.3f}")
    print("\nthe same, out of fold on the training real news (what the calibration was fitted on)")
    for name, count, mean, right in reliability(sigmoid(slope * oof + intercept), y_oof):
        print(f"  {name:<9} {count:>6}  {mean:6.3f}  {right:6.3f}")
    model.settings.update({"features": len(kept), "training_sentences": {"real": len(train_real), "synthetic": len(synthetic)},
                           "held_out": args.held_out, "c": args.c, "real_weight": args.real_weight,
                           "reliability": [[name, count, round(mean, 3), round(right, 3)] for name, count, mean, right in table]})
    model.save(args.out)
    load_model.cache_clear()
    if not args.no_tune:
        print("\nhybrid thresholds on the held-out articles (all their annotated sentences): triple F1 and sentence relevance")
        with tempfile.TemporaryDirectory() as tmp:
            held_file = Path(tmp) / "held_out.jsonl"
            held_file.write_text("".join(json.dumps(r) + "\n" for f in real_files for r in read_jsonl(f)
                                         if str(r["id"]).split("-part")[0] in held_articles), encoding="utf-8")
            chosen, lines = tune(held_file, load_model(args.out))
        print("\n".join(lines))
        print(f"  chosen: {chosen}")
        model.settings.update(chosen)
        model.save(args.out)
    arrays = args.out / "event_types.npz"
    print(f"\nwrote {arrays} ({arrays.stat().st_size / 1e6:.1f} MB) and event_types.json in {time.perf_counter() - started:.0f} s; "
          f"default {'on' if args.default_on else 'off'}")


if __name__ == "__main__":
    main()
