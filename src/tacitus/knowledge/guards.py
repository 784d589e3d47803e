"""Non-political senses of trigger words (nonpolitical.tsv): the guards that keep "the film beat its rivals" and
"the storm hit" from being events."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import DataFileError
from .cache import cached, data_fingerprint, fingerprint
from .lexicon import data_file, load_frames, read_tsv


@dataclass(frozen=True)
class Guards:
    """Non-political senses of trigger words (nonpolitical.tsv): "the film beat its rivals", "the storm hit".

    `words[(trigger, role)]` holds the lemmas that, as the trigger's subject, object or any dependent,
    make its sense non-political; trigger "*" applies to every trigger.
    """

    words: dict[tuple[str, str], frozenset[str]]

    def blocks(self, trigger: str, role: str, lemmas: set[str]) -> bool:
        return bool(lemmas & (self.words.get((trigger, role), frozenset()) | self.words.get(("*", role), frozenset())))


@lru_cache(maxsize=1)
def load_guards() -> Guards:
    """The non-political senses (cached on disk by the content of the data files)."""
    return cached("guards", fingerprint(["guards", *data_fingerprint()]), _read_guards)


def _read_guards() -> Guards:
    path = data_file("nonpolitical.tsv")
    found: dict[tuple[str, str], set[str]] = {}
    for number, row in read_tsv(path, 3):
        if row["role"] not in ("subject", "object", "any") or not row["trigger"] or not row["word"]:
            raise DataFileError(str(path), number, "role must be subject, object or any, with a trigger and a word")
        found.setdefault((row["trigger"].lower(), row["role"]), set()).add(row["word"].lower())
    for word in load_frames().impersonal_causes:
        found.setdefault(("*", "subject"), set()).add(word)
    return Guards({key: frozenset(words) for key, words in found.items()})
