"""What a story has already said, read back into later sentences of the same article.

An analyst reads an article in order: once the lead says who attacked, "the woman was
killed in a stairwell" three sentences later is that attacker's deed, not an attack by
no one (GUIDELINES: earlier sentences of the same article are context).
"""

from __future__ import annotations

from ..models import Actor
from .coded import CodedEvent

DONE = frozenset({"actual", "claimed"})  # attacks that happened (or are said to have happened)
TAKING_GROUND = "192"  # "the town was recaptured from X": told with its loser, never a victim of the story's attacker
REACH = 5  # sentences after the attacker's last attack in which a doer-less attack is still theirs


class StoryAssailants:
    """The attacker a story leads with, given to its later attacks that name no doer.

    Only the first attacker counts: later ones are mostly responders ("police shot him dead"),
    and an attack on the attacker himself is never his own.
    """

    def __init__(self) -> None:
        self.first: Actor | None = None
        self.last_seen = 0  # the sentence of the first attacker's latest attack

    def revise(self, events: list[CodedEvent], position: int, named: set[str]) -> None:
        """Give the story's attacker to the doer-less attacks among `events`, of sentence `position`,
        unless the sentence names the attacker in another role ("recaptured from the Houthis")."""
        for event in events:
            if event.event_type != "ASSAULT" or event.polarity != "affirmed" or event.modality not in DONE:
                continue
            source, target = event.source, event.target
            if source is not None:
                if self.first is None and (source.country or source.code):
                    self.first = source
                if self.first is not None and source.code == self.first.code:
                    self.last_seen = position
                continue
            if self.first is None or target is None or event.cameo == TAKING_GROUND or target.code == self.first.code \
                    or position - self.last_seen > REACH or {self.first.code, self.first.name} & named:
                continue
            event.source = self.first  # the evidence is where the story named them
            event.rule += "+story_assailant"
