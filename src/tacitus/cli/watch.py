"""`tacitus watch`: keep a store current from feeds, pages and folders; `tacitus watch --status` reports on it."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import click

from .common import DB_OPTION, _existing_store, _pipeline
from .group import main


def _interval(_: click.Context, __: click.Parameter, value: str) -> float:
    from ..watch.sources import SourceError, parse_interval

    try:
        return parse_interval(value)
    except SourceError as exc:
        raise click.BadParameter(str(exc)) from exc


@main.command()
@click.argument("sources", nargs=-1)
@DB_OPTION
@click.option("--sources", "source_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML source list (name, url or path, interval, date, language, enabled, kind per entry).")
@click.option("--every", default="15m", show_default=True, callback=_interval,
              help="Interval of the sources named as arguments (15m, 30s, 1h, 0.5s).")
@click.option("--date", "date_rule", default="today", show_default=True,
              help="Publication date of items that carry none, for the sources named as arguments: today, none or "
                   "YYYY-MM-DD.")
@click.option("--dictionary", "dictionaries", multiple=True, envvar="TACITUS_DICTIONARY")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=16, show_default=True,
              help="Articles stored per transaction.")
@click.option("--polls", type=click.IntRange(1), default=None,
              help="Stop after this many polls of each source (default: run until SIGTERM or Ctrl-C).")
@click.option("--once", is_flag=True, help="Poll each source once and stop (as --polls 1; for cron).")
@click.option("--status", "show_status", is_flag=True,
              help="Print each watched source's last poll, lag, errors and counts, and the store's counts, then exit.")
@click.option("--json", "as_json", is_flag=True, help="With --status: print the status as JSON (as /api/status).")
def watch(sources: tuple[str, ...], db: str | None, source_file: Path | None, every: float, date_rule: str,
          dictionaries: tuple[str, ...], batch_size: int, polls: int | None, once: bool, show_status: bool,
          as_json: bool) -> None:
    """Keep a store current: poll SOURCES (feed or page URLs, folders, feed files) every --every and store what is new.

    One JSON line per poll goes to stderr (source, status, new articles, events, errors, duration). SIGTERM or
    Ctrl-C stops it after the batch being stored; a run killed at any point resumes with nothing lost or stored
    twice. Fetching honours robots.txt, waits TACITUS_WATCH_HOST_DELAY s (1) between requests to one host, and
    stops at TACITUS_WATCH_TIMEOUT s (20) and TACITUS_WATCH_MAX_BYTES (10 MB)."""
    if show_status:
        _print_status(db, as_json)
        return
    from ..store.schema import open_store
    from ..watch.sources import SourceError, load_sources, parse_date_rule, sources_from_arguments

    try:
        found = sources_from_arguments(sources, every, parse_date_rule(date_rule))
    except SourceError as exc:
        raise click.BadParameter(str(exc), param_hint="SOURCES/--date") from exc
    if source_file:
        listed, problems = load_sources(source_file)
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        taken = {source.name for source in found}
        found += [source for source in listed if source.name not in taken]
    enabled = [source for source in found if source.enabled]
    if not enabled:
        raise click.UsageError("nothing to watch: name sources (URLs, folders, files) or give --sources with at least "
                               "one enabled, valid entry")
    from ..watch.runner import Watcher

    engine = open_store(db)
    watcher = Watcher(engine, _pipeline(dictionaries), enabled, batch_size=batch_size)

    def stop(signum: int, _frame) -> None:
        if watcher.stopping.is_set():  # asked twice: stop now (the store keeps whole batches only)
            raise SystemExit(128 + signum)
        click.echo(f"tacitus watch: {signal.Signals(signum).name}, stopping after the current batch", err=True)
        watcher.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"tacitus watch: {len(enabled)} sources, store {engine.url.render_as_string(hide_password=True)}",
               err=True)
    try:
        watcher.run(1 if once else polls)
    finally:
        watcher.close()
        engine.dispose()
    click.echo("tacitus watch: stopped", err=True)


def _print_status(db: str | None, as_json: bool) -> None:
    from ..watch.state import status

    report = status(_existing_store(db))
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    store = report["store"]
    click.echo(f"store: {store['articles']} articles, {store['events']} events; last written {report['updated_at'] or 'never'}")
    if not report["sources"]:
        click.echo("no source has been watched in this store")
        return
    click.echo(f"{'source':<40} {'state':<8} {'polls':>6} {'failed':>6} {'articles':>8} {'events':>7} {'lag':>8}  last poll")
    for row in report["sources"]:
        lag = f"{row['lag_seconds']:.0f}s" if row["lag_seconds"] is not None else "-"
        click.echo(f"{row['name'][:40]:<40} {row['state']:<8} {row['polls']:>6} {row['failed_polls']:>6} "
                   f"{row['articles']:>8} {row['events']:>7} {lag:>8}  {row['last_poll'] or '-'}")
        if row["last_error"] and row["consecutive_failures"]:
            click.echo(f"    last error: {row['last_error'][:300]}")
    sys.stdout.flush()
