"""The `tacitus` command group that every command module registers with."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tacitus")
def main() -> None:
    """tacitus: who did what to whom, where and when, from news text."""
