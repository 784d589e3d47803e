"""What the commands share: option parsing, the pipeline, the store, problem reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..read.articles import Problem

FORMATS = ("jsonl", "table", "csv")


def _date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


def _pipeline(dictionaries: tuple[str, ...] = (), prefilter: bool = True, model: bool | None = None):
    from ..coding.pipeline import Pipeline

    _report_dictionary_problems(dictionaries)
    return Pipeline.load(dictionaries, prefilter, model)


MODEL_OPTION = click.option("--model/--no-model", "model", default=None,
                            help="The learned layer beside the rules on or off (default: env TACITUS_MODEL, else the shipped default).")


def _report_dictionary_problems(dictionaries: tuple[str, ...]) -> None:
    """Broken lines of user dictionaries are reported (file:line: reason); the rest still loads."""
    from ..knowledge.actor_base import build_knowledge

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


DB_OPTION = click.option("--db", envvar="TACITUS_DATABASE_URL", default=None,
                         help="Store: a file path or SQLAlchemy URL (default tacitus.db; env TACITUS_DATABASE_URL).")


def _existing_store(db: str | None, create: bool = False):
    """The store of a command that reads: one that does not exist is an error naming it, not a new empty store."""
    from ..store.schema import StoreNotFound, open_store

    try:
        return open_store(db, create=create)
    except StoreNotFound as exc:
        raise click.ClickException(str(exc)) from exc


def _window(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"--from {date_from} is after --to {date_to}", param_hint="--from/--to")


def _filters(**options):
    """An EventFilter from the shared filter options; --from after --to is refused."""
    from ..store.queries import EventFilter

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
    from ..knowledge.lexicon import PLOVER_TYPES

    return PLOVER_TYPES
