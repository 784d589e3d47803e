"""The `tacitus` command: a thin layer over the library."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .errors import TacitusError
from .knowledge.lexicon import data_file
from .output import EventWriter
from .read.articles import Problem, read_articles

FORMATS = ("jsonl", "table", "csv")


def _date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


def _pipeline(dictionaries: tuple[str, ...] = (), prefilter: bool = True):
    from .coding.pipeline import Pipeline

    _report_dictionary_problems(dictionaries)
    return Pipeline.load(dictionaries, prefilter)


def _report_dictionary_problems(dictionaries: tuple[str, ...]) -> None:
    """Broken lines of user dictionaries are reported (file:line: reason); the rest still loads."""
    from .knowledge.actor_base import build_knowledge

    for name in dictionaries:
        if not Path(name).is_file():
            raise click.BadParameter(f"dictionary {name!r} does not exist", param_hint="--dictionary")
    for problem in build_knowledge(tuple(dictionaries)).problems:
        click.echo(f"Error: {problem}", err=True)


class Runner:
    """Counts what was read and what went wrong, for messages and the exit code."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.articles = 0

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        click.echo(f"Error: {problem}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tacitus")
def main() -> None:
    """tacitus: who did what to whom, where and when, from news text."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", callback=_date, help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--min-confidence", type=float, default=0.0, show_default=True, help="Leave out less certain events.")
@click.option("--dictionary", "dictionaries", multiple=True, envvar="TACITUS_DICTIONARY",
              help="User actor dictionary (TSV) layered over the built-in one.")
def extract(paths: tuple[str, ...], date: dt.date | None, fmt: str, min_confidence: float, dictionaries: tuple[str, ...]) -> None:
    """Code events in PATHS (.txt, .md, .jsonl, folders, or - for stdin)."""
    runner = Runner()
    pipeline = _pipeline(dictionaries)
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
def eval_command(gold: Path, show_errors: bool, min_confidence: float | None, no_prefilter: bool) -> None:
    """Score the coder on a gold file, or on every gold file of a folder (`tacitus eval ../shared/eval/`).

    Knows PLOVER gold sentences, article-level real news and NGEC-style actor cases.
    """
    from .evaluation.events import DEFAULT_MIN_CONFIDENCE
    from .evaluation.suite import gold_files, run

    threshold = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    loaded = []

    def pipeline():
        if not loaded:
            loaded.append(_pipeline(prefilter=not no_prefilter))
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
    from .knowledge.phrases import resolve_phrases
    from .read.articles import parse_date

    items: list[tuple[str, dt.date | None]] = [(p, date) for p in phrases]
    shown = list(phrases)
    if input_path is not None:
        for number, line in enumerate(input_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = str(record["text"])
                context = str(record.get("context") or "").strip()
                # the context ("Colombian defense") is read as part of the phrase's noun phrase
                items.append((f"{context} {text}" if context else text, parse_date(record.get("date")) or date))
                shown.append(text)
            except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                raise click.ClickException(f"{input_path}:{number}: not a phrase record ({exc})") from exc
    from .coding.nlp import load_nlp

    _report_dictionary_problems(dictionaries)
    for text, actor in zip(shown, resolve_phrases(load_nlp(), items, dictionaries), strict=True):
        click.echo(json.dumps({
            "text": text, "name": actor.name if actor else None, "code": actor.code if actor else None,
            "country": actor.country if actor else None, "sector": actor.sector if actor else None,
            "matched": actor.text if actor else None,
        }, ensure_ascii=False))


@main.command(name="import-petrarch")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def import_petrarch(source: Path, target: Path) -> None:
    """Convert a PETRARCH/Phoenix actor dictionary into a tacitus user dictionary (TSV)."""
    from .knowledge.petrarch import import_dictionary

    count, problems = import_dictionary(source, target)
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    click.echo(f"{count} actor lines written to {target}; use it with --dictionary {target}")


DB_OPTION = click.option("--db", envvar="TACITUS_DATABASE_URL", default=None,
                         help="Store: a file path or SQLAlchemy URL (default tacitus.db; env TACITUS_DATABASE_URL).")


def _existing_store(db: str | None, create: bool = False):
    """The store of a command that reads: one that does not exist is an error naming it, not a new empty store."""
    from .store.schema import StoreNotFound, open_store

    try:
        return open_store(db, create=create)
    except StoreNotFound as exc:
        raise click.ClickException(str(exc)) from exc


def _window(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"--from {date_from} is after --to {date_to}", param_hint="--from/--to")


def _filters(**options):
    """An EventFilter from the shared filter options; --from after --to is refused."""
    from .store.queries import EventFilter

    _window(options.get("date_from"), options.get("date_to"))
    return EventFilter(
        source=options.get("source"), target=options.get("target"), actor=options.get("actor"),
        event_type=options.get("event_type"), cameo=options.get("cameo"), quad_class=options.get("quad_class"),
        date_from=options.get("date_from"), date_to=options.get("date_to"), place=options.get("place"),
        text=options.get("text"), min_confidence=options.get("min_confidence"), modality=options.get("modality"),
    )


def filter_options(function):
    """The event filters shared by query and export."""
    options = [
        click.option("--source", help="Source actor code or country (USA, USAGOV, IGOEUREEC)."),
        click.option("--target", help="Target actor code or country."),
        click.option("--actor", help="Actor or country on either side."),
        click.option("--type", "event_type", type=click.Choice(sorted(_plover_types()), case_sensitive=False)),
        click.option("--cameo", help="CAMEO code prefix, e.g. 19 or 0256."),
        click.option("--quad-class", type=click.IntRange(1, 4)),
        click.option("--from", "date_from", callback=_date, help="First date (YYYY-MM-DD)."),
        click.option("--to", "date_to", callback=_date, help="Last date (YYYY-MM-DD)."),
        click.option("--place", help="Place name or country of the event."),
        click.option("--text", help="Words in the evidence sentence."),
        click.option("--min-confidence", type=click.FloatRange(0, 1)),
        click.option("--modality", type=click.Choice(["actual", "claimed", "intended", "threatened", "requested", "hypothetical"])),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _plover_types() -> tuple[str, ...]:
    from .knowledge.lexicon import PLOVER_TYPES

    return PLOVER_TYPES


@main.command()
@click.argument("sources", nargs=-1, required=True)
@DB_OPTION
@click.option("--date", callback=_date, help="Publication date for inputs that carry none.")
@click.option("--dictionary", "dictionaries", multiple=True, envvar="TACITUS_DICTIONARY")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes that parse and code (each loads the model once).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Code on a Dask distributed cluster: its scheduler (tcp://host:8786), or `local` for a LocalCluster "
                   "of --workers processes on this machine.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=16, show_default=True,
              help="Articles stored per transaction (a killed run loses at most one batch, which the next run redoes).")
def ingest(sources: tuple[str, ...], db: str | None, date: dt.date | None, dictionaries: tuple[str, ...],
           workers: int, dask_address: str | None, batch_size: int) -> None:
    """Code articles (files, folders, globs, feeds, - for stdin) and store their events."""
    import time

    from .store.loader import Loader
    from .store.loader import ingest as store_articles
    from .store.schema import open_store

    runner = Runner()
    engine = open_store(db)
    loader = Loader(engine)
    tty = sys.stderr.isatty()
    started = time.monotonic()

    def counted():
        for article in read_articles(sources, date, runner.problem):
            runner.articles += 1
            yield article

    if dask_address or workers > 1:
        from .coding.parallel import ParallelCoder

        _report_dictionary_problems(dictionaries)
        coder = ParallelCoder(workers, dask_address, dictionaries, on_problem=runner.problem)
    else:
        coder = _pipeline(dictionaries)
        coder.on_problem = runner.problem
    try:
        for stats in store_articles(engine, coder, counted(), loader, batch_size):
            if tty:
                rate = stats.articles / max(time.monotonic() - started, 1e-9)
                click.echo(f"\r{stats.articles} articles ({stats.added} new, {stats.unchanged} unchanged) "
                           f"{stats.events} events  {rate:.1f} articles/s", nl=False, err=True)
    finally:
        if hasattr(coder, "close"):
            coder.close()
    if tty:
        click.echo(err=True)
    stats = loader.stats
    click.echo(f"{stats.articles} articles read: {stats.added} added, {stats.replaced} replaced, "
               f"{stats.unchanged} already stored, {stats.duplicates} near-duplicates; {stats.events} events stored; "
               f"{len(runner.problems)} inputs skipped")
    if runner.articles == 0:
        raise SystemExit(1)
    if runner.problems:
        raise SystemExit(3)


@main.command()
@DB_OPTION
@filter_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=int, default=None)
def query(db: str | None, fmt: str, limit: int | None, **options) -> None:
    """Stored events matching the filters."""
    from .store.queries import query_events

    writer = EventWriter(sys.stdout, fmt)
    writer.write(query_events(_existing_store(db), _filters(**options), limit))


@main.command()
@click.argument("target")
@DB_OPTION
@click.option("--from", "date_from", callback=_date)
@click.option("--to", "date_to", callback=_date)
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None)
def reactions(target: str, db: str | None, date_from: dt.date | None, date_to: dt.date | None, min_confidence: float | None) -> None:
    """How the world reacted to TARGET: events toward it (each counted once, however many articles report it),
    grouped by source and type, with their mentions."""
    from .store.queries import reactions as grouped

    _window(date_from, date_to)
    rows = grouped(_existing_store(db), target, date_from, date_to, min_confidence)
    if not rows:
        click.echo(f"no events toward {target}")
        return
    click.echo(f"{'source':<10} {'type':<10} {'events':>6} {'mentions':>8} {'goldstein':>9}  first       last")
    for row in rows:
        click.echo(f"{row.get('source') or row['source_country'] or '?':<10} {row['event_type']:<10} {row['events']:>6} "
                   f"{row['mentions']:>8} {row['goldstein']:>9.2f}  {row['first'] or '-'!s:<11} {row['last'] or '-'!s}")


@main.command(name="export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "gdelt", "plover", "geojson", "gexf", "graphml"]),
              required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@filter_options
def export_command(db: str | None, fmt: str, output: Path, **options) -> None:
    """Export stored events (jsonl, csv, parquet, gdelt, plover, geojson, gexf, graphml)."""
    from .store.export import export

    count = export(_existing_store(db), fmt, output, _filters(**options))
    click.echo(f"{count} {'edges' if fmt in ('gexf', 'graphml') else 'events'} written to {output}")


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; loopback unless told otherwise.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file holding the API token; with it (or TACITUS_API_TOKEN) the writing endpoints exist and need it.")
def serve(db: str | None, host: str, port: int, token_file: Path | None) -> None:
    """Serve the JSON API (/api/, /openapi.json) and the dashboard over the store."""
    import os

    import uvicorn

    from .web.api import create_app

    token = token_file.read_text(encoding="utf-8").strip() if token_file else os.environ.get("TACITUS_API_TOKEN")
    engine = _existing_store(db, create=bool(token))  # a read-only server needs a store; one that writes may start it
    try:
        app = create_app(engine=engine, token=token or None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    mode = "read-write with token" if token else "read-only"
    click.echo(f"tacitus: dashboard at http://{host}:{port}/  API at http://{host}:{port}/api/events ({mode})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def run() -> None:
    try:
        main(standalone_mode=True)
    except TacitusError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    run()
