"""The `tacitus` command group that every command module registers with.

A command's module is imported when the command is asked for: `tacitus extract` then never imports the
store's modules (SQLAlchemy, Alembic: ~0.4 s of every start), only `--help` and unknown names load them all.
"""

from __future__ import annotations

import importlib

import click

# command -> the module of this package that registers it; a command missing here is still found (all load)
COMMAND_MODULES = {
    "extract": "coding", "demo": "coding", "eval": "coding", "resolve": "coding",
    "import-petrarch": "imports", "import-wikidata": "imports",
    "ingest": "store", "query": "store", "reactions": "store", "export": "store", "serve": "store",
    "watch": "watch",
}
MODULES = ("coding", "imports", "store", "watch")


def load_commands(*modules: str) -> None:
    """Import command modules, which register their commands with `main`."""
    for module in modules:
        importlib.import_module(f"{__package__}.{module}")


class LazyGroup(click.Group):
    """A group whose commands are registered by importing their module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands(*MODULES)
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = COMMAND_MODULES.get(cmd_name)
            load_commands(*((module,) if module else MODULES))
            if cmd_name not in self.commands:  # a new command not yet listed in COMMAND_MODULES
                load_commands(*MODULES)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tacitus")
def main() -> None:
    """tacitus: who did what to whom, where and when, from news text."""
