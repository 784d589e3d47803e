"""`python -m tacitus.cli`."""

from . import run

run()
