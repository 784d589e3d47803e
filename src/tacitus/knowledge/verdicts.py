"""The verdict lexicon (verdicts.yaml): labelling and judging verbs and the words of a negative verdict."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import DataFileError
from .lexicon import data_file, read_yaml


@dataclass(frozen=True)
class Verdicts:
    """Which verbs pass a verdict and which words make it a negative one."""

    labelling: frozenset[str]  # "called X illegal", "described X as a crime"
    judging: frozenset[str]  # "said (that) X was illegal"
    negative: frozenset[str]
    deeds: frozenset[str]  # nouns of what an actor does or says, judged through their owner ("Russia's decision")
    displeasure: frozenset[str]  # "is concerned about", "was angered by", "the move angered Greece"
    displeasure_preps: frozenset[str]  # what the displeasure is about: "by", "with", "about", "over", "of"
    harms: frozenset[str]  # deeds done to someone: their of-object is the victim ("the murder of Abe")
    warnings: frozenset[str]  # "will not tolerate any interference": a warning
    wrongdoing: frozenset[str]  # "ruled the policy violated the constitution": a verb that is itself the verdict
    norms: frozenset[str]  # what can be violated: "the constitution", "the ceasefire" (not "expectations")
    positive: frozenset[str] = frozenset()  # praise: "called Xi a dear friend", "said the move was constructive"
    norm_breaking: frozenset[str] = frozenset()  # "goes against the resolution": a verdict when a norm is the object


@lru_cache(maxsize=1)
def load_verdicts() -> Verdicts:
    """The built-in verdict lexicon."""
    path = data_file("verdicts.yaml")
    raw = read_yaml(path)

    def words(key: str) -> frozenset[str]:
        value = raw.get(key)
        if not isinstance(value, list) or not value:
            raise DataFileError(f"{path}: '{key}' must be a non-empty list of words; restore it from the repository")
        return frozenset(str(w).lower() for w in value)

    return Verdicts(words("labelling"), words("judging"), words("negative"), words("deeds"), words("displeasure"),
                    words("displeasure_preps"), words("harms"), words("warnings"), words("wrongdoing"),
                    words("norms"), words("positive"), words("norm_breaking"))
