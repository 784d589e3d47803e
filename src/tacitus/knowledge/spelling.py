"""Misspelt country names and demonyms ("Columbian", "Afghanstan"): one edit away from exactly one known form.

Only words of seven letters or more are read this way: shorter ones are too
close to each other ("Iraqi"/"Iraq", "Malian"/"Malians") and to ordinary
names. The lookup uses deletion neighbourhoods, so it costs a few dictionary
probes per word, however many forms there are.
"""

from __future__ import annotations

from collections.abc import Iterable

MIN_LETTERS = 7
MEMORY = 1 << 16  # words whose lookup is remembered; cleared when full, so memory stays flat


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance at most one, or one swap of neighbouring letters."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


class NearMisses:
    """Known single-word forms, found again from a word one edit away from exactly one of them."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms = {f for f in forms if len(f) >= MIN_LETTERS and f.isalpha() and f[:1].isupper()}
        self.by_key: dict[str, set[str]] = {}
        self.seen: dict[str, str | None] = {}  # words looked up, and what they misspell
        for form in self.forms:
            for key in _deletions(form) | {form}:
                self.by_key.setdefault(key, set()).add(form)

    def lookup(self, word: str) -> str | None:
        """The one known form `word` misspells, or None (too short, known, no near form, or several)."""
        if len(word) < MIN_LETTERS or not word.isalpha() or not word[:1].isupper() or word in self.forms:
            return None
        if word in self.seen:  # the same capitalised words recur in every article
            return self.seen[word]
        if len(self.seen) >= MEMORY:
            self.seen.clear()
        found = self.seen[word] = self._lookup(word)
        return found

    def _lookup(self, word: str) -> str | None:
        near: set[str] = set()
        for key in _deletions(word) | {word}:
            near.update(self.by_key.get(key, ()))
        hits = [form for form in near if within_one_edit(word, form)]
        return hits[0] if len(hits) == 1 else None
