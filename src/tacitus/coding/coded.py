"""What the coder's stages pass between them: matched triggers and events before place, date and ids."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ..knowledge.lexicon import TriggerPattern
from ..models import Actor


@dataclass(frozen=True)
class Trigger:
    """A matched trigger: its pattern and the tokens that carry it."""

    pattern: TriggerPattern
    token: Token
    tokens: tuple[Token, ...]


@dataclass
class CodedEvent:
    """An event before place, date and ids are attached."""

    source: Actor | None
    target: Actor | None
    event_type: str
    mode: str | None
    cameo: str
    trigger: tuple[Token, ...]
    anchor: Token  # the verb whose clause carries the event (for place and date)
    polarity: str = "affirmed"
    modality: str = "actual"
    intended_type: str | None = None
    attributed_to: Actor | None = None
    confidence: float = 0.5
    rule: str = ""
    alleged_by: Token | None = None  # the verb of an accusation that reports this event ("alleged that ...")


def pairs(sources: list[tuple[Token, Actor]], targets: list[tuple[Token, Actor]]) -> Iterator[tuple[Actor | None, Actor | None]]:
    """Each source with each target, one event per pair as GDELT counts them, never an actor with itself (one
    "they" may stand for several countries' actors: same words, different actors)."""
    for _, source in sources or [(None, None)]:
        for _, target in targets or [(None, None)]:
            if source is not None and target is not None and (source.start, source.end, source.code) == (target.start, target.end, target.code):
                continue
            yield source, target

