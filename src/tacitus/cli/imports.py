"""Commands that turn other projects' dictionaries into tacitus knowledge files: import-petrarch,
import-wikidata."""

from __future__ import annotations

from pathlib import Path

import click

from .group import main


def _report(problems) -> None:
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)


@main.command(name="import-petrarch")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path())
def import_petrarch(sources: tuple[Path, ...], target: str) -> None:
    """Convert PETRARCH/Phoenix actor and agent dictionaries (SOURCES) into tacitus user dictionaries.

    TARGET `my.tsv` gives my-people.tsv, my-organisations.tsv and my-agents.tsv (a folder: people.tsv,
    organisations.tsv, agents.tsv inside it); each line that cannot be imported is reported as file:line.
    """
    from ..knowledge.petrarch import import_dictionaries

    if target.endswith(("/", "\\")):
        Path(target).mkdir(parents=True, exist_ok=True)
    result = import_dictionaries(list(sources), Path(target))
    _report(result.problems)
    counts = result.counts
    click.echo(f"{counts['people']} people lines, {counts['organisations']} organisation lines "
               f"({counts['countries']} country aliases), {counts['agents']} agent lines; "
               f"{counts['known']} country names left to the built-in base; {len(result.problems)} problems")
    if result.paths:
        click.echo("use them with " + " ".join(f"--dictionary {path}" for path in result.paths.values()))


@main.command(name="import-wikidata")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "target", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("people-wikidata.tsv"), show_default=True, help="The people file to write.")
def import_wikidata(source: Path, target: Path) -> None:
    """Convert the JSON of the README's Wikidata office-holder query into a people file."""
    from ..knowledge.wikidata import import_wikidata as convert

    result = convert(source, target)
    _report(result.problems)
    click.echo(f"{len(result.lines)} lines for {result.people} people written to {target}; "
               f"{len(result.problems)} problems; use it with --dictionary {target}")
