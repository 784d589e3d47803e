"""Invisible format characters inside words ("Isr\\u00adael") and the hyphen of a "re-" prefix are taken out
before coding, and every offset of the events is mapped back to the text as given, so evidence stays verbatim."""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Actor, Event, Span

# soft hyphen, zero-width space/joiners, direction marks and embeddings, word joiner and invisible
# operators, zero-width no-break space (a BOM inside the text)
FORMAT_CHARACTERS = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# the hyphen of a verb's "re-" or "co-" prefix, which the tokenizer splits off ("agreed to re-open its borders"
# would read "re" as the verb): taken out as well, so "re-open" is coded as "reopen"
PREFIX_HYPHENS = re.compile(r"(?<=\b[Rr]e)-(?=[a-z]{3})|(?<=\b[Cc]o)-(?=op)")


class OffsetMap:
    """Positions of the kept characters in the original text, to map offsets of the clean text back."""

    def __init__(self, original: str, kept: list[int]) -> None:
        self.original = original
        self.kept = kept

    @classmethod
    def clean(cls, text: str) -> tuple[str, OffsetMap | None]:
        """The text without format characters and prefix hyphens, and the map back (None when there were none)."""
        drop = {m.start() for pattern in (FORMAT_CHARACTERS, PREFIX_HYPHENS) for m in pattern.finditer(text)}
        if not drop:
            return text, None
        kept = [i for i in range(len(text)) if i not in drop]
        return "".join(text[i] for i in kept), cls(text, kept)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            at = self.kept[start] if start < len(self.kept) else len(self.original)
            return at, at
        return self.kept[start], self.kept[end - 1] + 1

    def actor(self, actor: Actor | None) -> Actor | None:
        if actor is None:
            return None
        start, end = self.span(actor.start, actor.end)
        return replace(actor, text=self.original[start:end], start=start, end=end)

    def event(self, event: Event) -> Event:
        """The event with offsets and evidence texts in the original text."""
        start, end = self.span(event.trigger.start, event.trigger.end)
        sentence_start, sentence_end = self.span(event.sentence_start, event.sentence_start + len(event.sentence))
        return replace(event, source=self.actor(event.source), target=self.actor(event.target),
                       attributed_to=self.actor(event.attributed_to), trigger=Span(self.original[start:end], start, end),
                       sentence=self.original[sentence_start:sentence_end], sentence_start=sentence_start)
