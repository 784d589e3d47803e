"""Commands that code text without a store: extract, demo, eval, resolve."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..knowledge.lexicon import data_file
from ..output import EventWriter
from ..read.articles import read_articles
from .common import FORMATS, MODEL_OPTION, Runner, _date, _pipeline, _report_dictionary_problems
from .group import main


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", callback=_date, help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--min-confidence", type=float, default=0.0, show_default=True, help="Leave out less certain events.")
@click.option("--dictionary", "dictionaries", multiple=True, envvar="TACITUS_DICTIONARY",
              help="User actor dictionary (TSV) layered over the built-in one.")
@MODEL_OPTION
def extract(paths: tuple[str, ...], date: dt.date | None, fmt: str, min_confidence: float, dictionaries: tuple[str, ...],
            model: bool | None) -> None:
    """Code events in PATHS (.txt, .md, .jsonl, folders, or - for stdin)."""
    runner = Runner()
    pipeline = _pipeline(dictionaries, model=model)
    pipeline.on_problem = runner.problem
    writer = EventWriter(sys.stdout, fmt)

    def counted():
        for article in read_articles(paths, date, runner.problem):
            runner.articles += 1
            yield article

    for _, events in pipeline.extract_articles(counted()):
        writer.write(e for e in events if e.confidence >= min_confidence)
    if runner.articles == 0:
        raise SystemExit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def demo(fmt: str) -> None:
    """Code the sample articles bundled with tacitus and print their events."""
    path = data_file("samples/articles.jsonl")
    pipeline = _pipeline()
    writer = EventWriter(sys.stdout, fmt)
    for article, events in pipeline.extract_articles(read_articles([str(path)])):
        if fmt == "table":
            click.echo(f"\n== {article.title} ({article.date}) ==")
        writer.write(events)
    if fmt == "table":
        click.echo(f"\n{writer.count} events from the bundled samples in {path.parent}")


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option("--show-errors", is_flag=True, help="Print each sentence whose triples differ from the gold.")
@click.option("--min-confidence", type=float, default=None, help="Count events at or above this confidence (default 0.3).")
@click.option("--no-prefilter", is_flag=True, help="Parse every sentence (to measure what the pre-filter costs).")
@MODEL_OPTION
@click.option("--ablation", is_flag=True, help="Also score rules only, the model alone and the hybrid on each event set.")
def eval_command(gold: Path, show_errors: bool, min_confidence: float | None, no_prefilter: bool, model: bool | None,
                 ablation: bool) -> None:
    """Score the coder on a gold file, or on every gold file of a folder (`tacitus eval ../shared/eval/`).

    Knows PLOVER gold sentences, article-level real news and NGEC-style actor cases.
    """
    from ..evaluation.events import DEFAULT_MIN_CONFIDENCE
    from ..evaluation.suite import gold_files, run

    threshold = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    loaded = []

    def pipeline():
        if not loaded:
            loaded.append(_pipeline(prefilter=not no_prefilter, model=model))
        return loaded[0]

    files = gold_files(gold)
    results = []
    for path in files:
        result = run(path, pipeline, threshold)
        results.append(result)
        if len(files) > 1:
            click.echo(f"== {path.name} ({result.kind})")
        if show_errors:
            for line in result.misses:
                click.echo(line)
        click.echo(result.report)
        if ablation and result.kind != "actors":
            from ..evaluation.ablation import ablation as compare

            click.echo(compare(path, result.kind, pipeline(), threshold))
    if len(results) > 1:
        click.echo("\n== summary")
        for result in results:
            click.echo(f"{result.path.name:<32} {result.summary}")


@main.command()
@click.argument("phrases", nargs=-1)
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL of {"text", "date", "context"} records.')
@click.option("--date", callback=_date, help="Date for the phrases (YYYY-MM-DD).")
@click.option("--dictionary", "dictionaries", multiple=True, envvar="TACITUS_DICTIONARY")
def resolve(phrases: tuple[str, ...], input_path: Path | None, date: dt.date | None, dictionaries: tuple[str, ...]) -> None:
    """Resolve actor phrases to country and sector, one JSON line each, in input order."""
    from ..knowledge.phrases import resolve_phrases

    items: list[tuple[str, dt.date | None]] = [(p, date) for p in phrases]
    shown = list(phrases)
    runner = Runner()
    if input_path is not None:
        for text, context, when in phrase_records(input_path, date, runner.problem):
            # the context ("Colombian defense") is read as part of the phrase's noun phrase
            items.append((f"{context} {text}" if context else text, when))
            shown.append(text)
        if not items:
            raise SystemExit(1)
    from ..coding.nlp import load_nlp

    _report_dictionary_problems(dictionaries)
    for text, actor in zip(shown, resolve_phrases(load_nlp(), items, dictionaries), strict=True):
        click.echo(json.dumps({
            "text": text, "name": actor.name if actor else None, "code": actor.code if actor else None,
            "country": actor.country if actor else None, "sector": actor.sector if actor else None,
            "matched": actor.text if actor else None,
        }, ensure_ascii=False))
    if runner.problems:
        raise SystemExit(3)


def phrase_records(path: Path, default: dt.date | None, report) -> list[tuple[str, str, dt.date | None]]:
    """(text, context, date) of each good line of a phrase file; each bad line or date is reported
    (file:line: reason) and the others are kept."""
    from ..read.checks import Problem, checked_date, clean_field, parse_date, shown

    found = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{shown(path)}: cannot read ({exc.strerror or exc})") from exc
    for number, raw in enumerate(data.split(b"\n"), 1):
        where = f"{path}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            report(Problem(where, f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"))
            continue
        except (json.JSONDecodeError, RecursionError) as exc:
            report(Problem(where, f"malformed JSON ({getattr(exc, 'msg', 'nested too deeply')}); "
                                  'each line is {"text", "date", "context"}'))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            report(Problem(where, 'not a phrase record: needs a "text" string ({"text", "date", "context"})'))
            continue
        try:
            when = parse_date(record.get("date")) or default
        except ValueError:
            report(Problem(where, f"date {record.get('date')!r} is not YYYY-MM-DD; resolved without a date"))
            when = default
        when, problem = checked_date(when, where, "resolved without a date")
        if problem:
            report(problem)
        context = record.get("context")
        context = clean_field(context).strip() if isinstance(context, str) else ""
        found.append((clean_field(record["text"]), context, when))
    return found

