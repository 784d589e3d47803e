"""Commands over a store: ingest, query, reactions, export, serve."""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path

import click

from ..output import EventWriter
from ..read.articles import read_articles
from .common import (
    DB_OPTION,
    FORMATS,
    Runner,
    _date,
    _existing_store,
    _filters,
    _pipeline,
    _report_dictionary_problems,
    _window,
    filter_options,
)
from .group import main


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

    from ..store.loader import Loader, StoreSchemeWarning
    from ..store.loader import ingest as store_articles
    from ..store.schema import open_store

    runner = Runner()
    engine = open_store(db)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StoreSchemeWarning)  # said once, plainly, below
        loader = Loader(engine)
    for message in loader.scheme_warnings:
        click.echo(f"warning: {message}", err=True)
    tty = sys.stderr.isatty()
    started = time.monotonic()

    def counted():
        for article in read_articles(sources, date, runner.problem):
            runner.articles += 1
            yield article

    if dask_address or workers > 1:
        from ..coding.parallel import ParallelCoder

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
               f"{stats.unchanged} already stored, {stats.duplicates} near-duplicates"
               + (f", {stats.superseded} superseded by a later record of the same URL" if stats.superseded else "")
               + f"; {stats.events} events stored; {len(runner.problems)} inputs skipped")
    if runner.articles == 0:
        raise SystemExit(1)
    if runner.problems:
        raise SystemExit(3)


def confidence_default(command: click.Command) -> click.Command:
    """--min-confidence defaults to the dashboard's threshold (DEFAULT_MIN_CONFIDENCE), shown in --help."""
    from ..store.queries import DEFAULT_MIN_CONFIDENCE

    for param in command.params:
        if param.name == "min_confidence":
            param.default = DEFAULT_MIN_CONFIDENCE
            param.show_default = True
            param.help = "Only events coded with at least this confidence, as the dashboard shows (0: every event)."
    return command


@confidence_default
@main.command()
@DB_OPTION
@filter_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=int, default=None)
def query(db: str | None, fmt: str, limit: int | None, **options) -> None:
    """Stored events matching the filters."""
    from ..store.queries import query_events

    engine = _existing_store(db)
    writer = EventWriter(sys.stdout, fmt)
    writer.write(query_events(engine, _filters(**_named_filters(engine, options)), limit))


def _named(engine, value: str | None) -> str | None:
    """An actor filter given as a name ("Azerbaijan", "Blinken") as its code, as the API and dashboard read it;
    a code (AZE, USAGOV) is used as it is, without loading the actor knowledge."""
    import re

    from ..web.actor_names import UnknownActor, resolve_actor

    if value is None or re.fullmatch(r"[A-Z]{3}[A-Z0-9]{0,37}", value):
        return value
    try:
        return resolve_actor(engine, value)
    except UnknownActor as exc:
        raise click.BadParameter(str(exc)) from exc


def _named_filters(engine, options: dict) -> dict:
    return options | {side: _named(engine, options.get(side)) for side in ("source", "target", "actor")}


REACTION_COLUMNS = ("source", "source_country", "event_type", "events", "mentions", "goldstein", "first", "last", "places")


@main.command()
@click.argument("target")
@DB_OPTION
@click.option("--from", "date_from", callback=_date)
@click.option("--to", "date_to", callback=_date)
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True,
              help="table: aligned columns; csv: one row per source and type (formula cells neutralised); jsonl: one "
                   "JSON object per row (places as a list).")
def reactions(target: str, db: str | None, date_from: dt.date | None, date_to: dt.date | None, min_confidence: float | None,
              fmt: str) -> None:
    """How the world reacted to TARGET (a code or a name: AZE, Azerbaijan): events toward it (each counted once, however many articles report it),
    grouped by source and type, with their mentions and the places they happened at."""
    import json

    from ..store.export import csv_stream
    from ..store.queries import reactions as grouped

    _window(date_from, date_to)
    engine = _existing_store(db)
    target = _named(engine, target) or target
    rows = grouped(engine, target, date_from, date_to, min_confidence)
    for row in rows:
        row["goldstein"] = round(row["goldstein"], 3)
        row["first"], row["last"] = (d.isoformat() if d else None for d in (row["first"], row["last"]))
    if fmt == "csv":
        for chunk in csv_stream((row | {"places": "; ".join(row["places"])} for row in rows), REACTION_COLUMNS):
            sys.stdout.write(chunk)
        return
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if not rows:
        click.echo(f"no events toward {target}")
        return
    click.echo(f"{'source':<10} {'type':<10} {'events':>6} {'mentions':>8} {'goldstein':>9}  {'first':<11} {'last':<11} places")
    for row in rows:
        places = ", ".join(row["places"][:3]) + (f" (+{len(row['places']) - 3})" if len(row["places"]) > 3 else "")
        click.echo(f"{row.get('source') or row['source_country'] or '?':<10} {row['event_type']:<10} {row['events']:>6} "
                   f"{row['mentions']:>8} {row['goldstein']:>9.2f}  {row['first'] or '-':<11} {row['last'] or '-':<11} "
                   f"{places or '-'}")


@confidence_default
@main.command(name="export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "gdelt", "plover", "geojson", "gexf", "graphml"]),
              required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--allow-formulas", is_flag=True, envvar="TACITUS_ALLOW_FORMULAS",
              help="Write CSV cells starting with = + - @ as they are (default: a leading ' keeps spreadsheets from "
                   "running them as formulas).")
@filter_options
def export_command(db: str | None, fmt: str, output: Path, allow_formulas: bool, **options) -> None:
    """Export stored events (jsonl, csv, parquet, gdelt, plover, geojson, gexf, graphml).

    The file appears only when complete; an --output naming the store is refused."""
    from ..errors import TacitusError
    from ..store.export import export

    try:
        engine = _existing_store(db)
        count = export(engine, fmt, output, _filters(**_named_filters(engine, options)), allow_formulas=allow_formulas)
    except TacitusError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{count} {'edges' if fmt in ('gexf', 'graphml') else 'events'} written to {output}")


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; loopback unless told otherwise.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file holding the API token; with it (or TACITUS_API_TOKEN) the writing endpoints exist and need it.")
@click.option("--allowed-host", "allowed", multiple=True, metavar="NAME",
              help="A host name clients use to reach the server (repeatable); requests naming another Host get 400 "
                   "(DNS rebinding). Always allowed: localhost, 127.0.0.1, ::1 and the --host address. '*': any.")
def serve(db: str | None, host: str, port: int, token_file: Path | None, allowed: tuple[str, ...]) -> None:
    """Serve the JSON API (/api/, /openapi.json) and the dashboard over the store.

    Slow clients are cut off (a request head must arrive within 10 s, TACITUS_HEADER_TIMEOUT; a body within
    30 s, TACITUS_BODY_TIMEOUT), open connections are capped (400, TACITUS_MAX_CONNECTIONS), and when the
    database is saturated requests get 503 with Retry-After."""
    import os

    import uvicorn

    from ..web.api import create_app
    from ..web.serving import allowed_hosts, server_config

    token = token_file.read_text(encoding="utf-8").strip() if token_file else os.environ.get("TACITUS_API_TOKEN")
    engine = _existing_store(db, create=bool(token))  # a read-only server needs a store; one that writes may start it
    try:
        app = create_app(engine=engine, token=token or None, allowed_hosts=allowed_hosts(host, allowed), warm=True)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    mode = "read-write with token" if token else "read-only"
    click.echo(f"tacitus: dashboard at http://{host}:{port}/  API at http://{host}:{port}/api/events ({mode})", err=True)
    if host in ("0.0.0.0", "::") and not allowed:
        click.echo("tacitus: only requests to localhost are answered; name the host clients use with --allowed-host",
                   err=True)
    uvicorn.Server(server_config(app, host=host, port=port)).run()
