"""Finding known names in a doc by their token texts, and a cache that makes loading them cheap.

spaCy's PhraseMatcher needs a Doc per name: building it over the ~55,000
place and actor forms tokenised every form and grew the vocabulary by
100,000 lexemes, seconds at every start. Here a name is a tuple of token
texts, looked up by its first token; the tuples of a set of forms are
tokenised once and kept in a cache file keyed by the forms themselves, the
spaCy version and the model, so a changed data file or user dictionary
builds a new entry and nothing stale is ever read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import spacy
from spacy.language import Language

from .cache import cached, fingerprint  # noqa: F401  (cached: re-exported)

V = TypeVar("V")
UNIT, RECORD = "\x1f", "\x1e"  # ASCII's unit and record separators: between the words, between the names of a bucket


class TokenSequenceIndex(Generic[V]):
    """Token-text sequences -> values; `find` gives every (start, end, value) in a list of words.

    Pickled, a bucket of string values is one string, unpacked when its first word is first met: a cache of
    the place names loads 80,000 strings, not 250,000 tuples, lists and strings, in a third of the time.
    """

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], V]] | str] = {}
        self.__setstate__({"by_first": self.by_first})

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.by_first = state["by_first"]
        # a bucket split by its names' second word, made when its first word is first met: a word like "United"
        # starts a hundred names, and the one word after it in the text leaves few to compare
        self.split: dict[str, tuple[list[V], dict[str, list[tuple[tuple[str, ...], V]]]]] = {}

    def add(self, tokens: Sequence[str], value: V) -> None:
        tokens = tuple(tokens)
        if not tokens:
            return
        self.split.pop(tokens[0], None)
        bucket = self.by_first.setdefault(tokens[0], [])
        if isinstance(bucket, str):
            bucket = self._unpacked(tokens[0])
        if (tokens, value) not in bucket:
            bucket.append((tokens, value))

    def find(self, words: Sequence[str]) -> Iterator[tuple[int, int, V]]:
        """Every occurrence, overlapping ones included, as PhraseMatcher gives them."""
        size, by_first = len(words), self.by_first
        firsts = by_first.keys() & set(words)  # the doc's few words that start a name, probed in a small set
        for start in [i for i, word in enumerate(words) if word in firsts]:  # most words start no name: skipped at C speed
            word = words[start]
            singles, by_second = self.split.get(word) or self._split(word)
            for value in singles:
                yield start, start + 1, value
            if start + 1 < size:
                for tokens, value in by_second.get(words[start + 1], ()):
                    end = start + len(tokens)
                    if end <= size and tuple(words[start:end]) == tokens:
                        yield start, end, value

    def _split(self, first: str) -> tuple[list[V], dict[str, list[tuple[tuple[str, ...], V]]]]:
        """The bucket of `first`: the values of its one-word names, and its longer names by their second word."""
        singles: list[V] = []
        by_second: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for tokens, value in self._unpacked(first):
            if len(tokens) == 1:
                singles.append(value)
            else:
                by_second.setdefault(tokens[1], []).append((tokens, value))
        self.split[first] = (singles, by_second)
        return singles, by_second

    def _unpacked(self, first: str) -> list[tuple[tuple[str, ...], V]]:
        bucket = self.by_first[first]
        if isinstance(bucket, str):
            units = [record.split(UNIT) for record in bucket.split(RECORD)]
            bucket = self.by_first[first] = [(tuple(unit[:-1]), unit[-1]) for unit in units]
        return bucket

    def __getstate__(self) -> dict[str, Any]:
        return {"by_first": {first: _packed(bucket) for first, bucket in self.by_first.items()}}


def _packed(bucket: list | str) -> list | str:
    """A bucket as one string (each name's words and value joined by UNIT, the names by RECORD), or as it is
    when a value is no string or a word holds a separator."""
    if isinstance(bucket, str) or not bucket:
        return bucket
    records = [(*tokens, value) for tokens, value in bucket]
    if all(isinstance(unit, str) and UNIT not in unit and RECORD not in unit for record in records for unit in record):
        return RECORD.join(UNIT.join(record) for record in records)
    return bucket


def phrase_index(name: str, nlp: Language, forms: Sequence[str],
                 variants: Callable[[str, tuple[str, ...]], Iterable[tuple[str, ...]]] | None = None,
                 ) -> TokenSequenceIndex[str]:
    """An index of `forms` (each found as itself, and as its `variants` of its token texts), as the model's
    tokenizer splits them; cached by the forms, the spaCy version and the model."""
    key = fingerprint([spacy.__version__, nlp.meta.get("name", ""), nlp.meta.get("version", ""),
                       getattr(variants, "__qualname__", ""), *forms])

    def build() -> TokenSequenceIndex[str]:
        index: TokenSequenceIndex[str] = TokenSequenceIndex()
        for form, doc in zip(forms, nlp.tokenizer.pipe(forms), strict=True):
            tokens = tuple(t.text for t in doc)
            index.add(tokens, form)
            for variant in variants(form, tokens) if variants else ():
                index.add(variant, form)
        return index

    return cached(name, key, build)
