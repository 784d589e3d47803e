"""The `tacitus` command: a thin layer over the library, one module per group of commands, each imported when
one of its commands runs (group.py)."""

from __future__ import annotations

import gc

import click

from ..errors import TacitusError
from .group import main

__all__ = ["main", "run"]


def run() -> None:
    try:
        main(standalone_mode=True)
    except TacitusError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc
    finally:
        # the process ends here: the collections of interpreter shutdown walked every object of the loaded model
        # and knowledge (~0.4 s, a fifth of a one-sentence extract); frozen, they are only freed
        gc.freeze()
