"""Run every gold file of a folder (or one file) with the scorer its format needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..coding.pipeline import Pipeline
from ..errors import GoldFileError
from .articles import evaluate_articles, is_article_gold
from .events import DEFAULT_MIN_CONFIDENCE, GoldRecord, Triple, evaluate, matches


@dataclass
class Result:
    """One gold file's scores, printable and summarised in one line."""

    path: Path
    kind: str  # plover | articles | actors
    report: str
    summary: str
    misses: list[str]


def gold_kind(path: Path) -> str:
    """Which format a gold file is in, from its first record; a clean error for anything else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise GoldFileError(f"{path}: UTF-16 text; a gold file is JSON lines in UTF-8: re-save it as UTF-8")
        with path.open(encoding="utf-8-sig") as handle:
            first = next((line for line in handle if line.strip()), "")
    except UnicodeDecodeError as exc:
        raise GoldFileError(f"{path}: not UTF-8 text (byte {exc.start}); a gold file is JSON lines in UTF-8") from exc
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read: {exc}") from exc
    if not first:
        raise GoldFileError(f"{path}: empty gold file; nothing to score")
    if '"expected"' in first and '"actor"' in first:
        return "actors"
    if is_article_gold(first):
        return "articles"
    if '"events"' in first and '"text"' in first:
        return "plover"
    raise GoldFileError(f"{path}: first record is not a known gold format (PLOVER sentences, article-level "
                        "real news, or NGEC actor cases)")


def gold_files(path: Path) -> list[Path]:
    """The gold files a path names: itself, or the known .jsonl files of a folder."""
    if path.is_dir():
        found = sorted(p for p in path.glob("*.jsonl") if p.is_file())
        if not found:
            raise GoldFileError(f"{path}: no .jsonl gold files in this folder")
        return found
    return [path]


def _errors(details: list[tuple[GoldRecord, set[Triple]]]) -> list[str]:
    lines = []
    for record, predicted in details:
        wrong = [p for p in predicted if not any(matches(p, g) for g in record.triples)]
        missed = [g for g in record.triples if not any(matches(p, g) for p in predicted)]
        if wrong or missed:
            lines.append(f"{record.id}: {record.text}\n  missed: {missed}\n  wrong:  {wrong}")
    return lines


def run(path: Path, pipeline: Callable[[], Pipeline], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Result:
    """Score one gold file; `pipeline` is called only for event gold (actor cases need the model only)."""
    kind = gold_kind(path)
    if kind == "actors":
        from ..coding.nlp import load_nlp
        from .actors import evaluate_actors

        score = evaluate_actors(path, load_nlp())
        misses = [f"{case.text!r} ({case.date}): expected {case.country}/{case.sector}, got "
                  f"{(actor.country, actor.sector) if actor else None}" for case, actor in score.misses]
        report = score.report()
        return Result(path, kind, report, report, misses)
    if kind == "articles":
        score, relevance, details = evaluate_articles(path, pipeline(), min_confidence)
        report = score.report() + "\n" + relevance.report()
        summary = (f"precision={score.precision():.3f} recall={score.recall():.3f} f1={score.f1():.3f}; "
                   f"relevance recall={relevance.recall():.3f} precision={relevance.precision():.3f}")
        return Result(path, kind, report, summary, _errors(details))
    score, details = evaluate(path, pipeline(), min_confidence)
    summary = f"precision={score.precision():.3f} recall={score.recall():.3f} f1={score.f1():.3f}"
    return Result(path, kind, score.report(), summary, _errors(details))
