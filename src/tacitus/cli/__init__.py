"""The `tacitus` command: a thin layer over the library, one module per group of commands."""

from __future__ import annotations

import click

from ..errors import TacitusError
from . import coding, imports, store, watch  # noqa: F401  (registers the commands)
from .group import main

__all__ = ["main", "run"]


def run() -> None:
    try:
        main(standalone_mode=True)
    except TacitusError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc
